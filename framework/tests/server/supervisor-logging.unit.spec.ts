/**
 * What the supervisor says about a loop that crashes: which component it belongs to, how many
 * times it has been restarted, and when it gives up (the engine then stops with exit code 1).
 */
import { describe, expect, it } from 'vitest';
import { Supervisor, loopComponent } from '../../src/server/supervisor.js';
import { fakeClock, recordingLogger } from './subscriptions/helpers.js';

/** A loop called `name` that crashes every time it runs. */
function crashingLoop(name: string) {
  let calls = 0;
  return { name, run: () => Promise.reject(new Error(`crash ${(calls += 1)}`)) };
}

describe('Supervisor logging', () => {
  it('names the component and counts the restarts of a crashing subscription, then gives up', async () => {
    const { logger, lines } = recordingLogger();
    const supervisor = new Supervisor({
      maxRestarts: 2,
      withinSeconds: 60,
      logger,
      clock: fakeClock().clock,
    });
    await expect(supervisor.supervise(crashingLoop('Totals@shop::order'))).resolves.toBe('gave_up');
    const component = 'protean.subscription.Totals@shop::order';
    expect(lines.map(({ level, message, fields }) => ({ level, message, ...fields }))).toEqual([
      expect.objectContaining({
        level: 'warn',
        message: 'loop crashed; restarting',
        component,
        loop: 'Totals@shop::order',
        restarts: 1,
        error: 'crash 1',
      }),
      expect.objectContaining({ level: 'warn', component, restarts: 2, error: 'crash 2' }),
      expect.objectContaining({
        level: 'error',
        message: 'loop keeps crashing; giving up',
        component,
        loop: 'Totals@shop::order',
        restarts: 2,
        crashes: 3,
        maxRestarts: 2,
        withinSeconds: 60,
        error: 'crash 3',
      }),
    ]);
  });

  it('files an outbox processor under protean.outbox', () => {
    expect(loopComponent('outbox@default->default')).toBe('protean.outbox');
    expect(loopComponent('Mailer@shop::order')).toBe('protean.subscription.Mailer@shop::order');
  });
});
