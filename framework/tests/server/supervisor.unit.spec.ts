import { describe, expect, it, vi } from 'vitest';
import { Engine } from '../../src/server/index.js';
import { EventStoreSubscription } from '../../src/server/subscriptions/index.js';
import { Supervisor } from '../../src/server/supervisor.js';
import { createShop } from './engine-model.js';
import { fakeClock, recordingLogger } from './subscriptions/helpers.js';

/** A loop that crashes `crashes` times (or forever), then runs until `stop()`. */
function flakyLoop(crashes: number) {
  let calls = 0;
  let stop: () => void = () => undefined;
  const loop = {
    name: 'flaky',
    get calls() {
      return calls;
    },
    stop: () => stop(),
    run: () => {
      calls += 1;
      if (calls <= crashes) return Promise.reject(new Error(`crash ${calls}`));
      return new Promise<void>((resolve) => (stop = resolve));
    },
  };
  return loop;
}

function supervisor(maxRestarts = 3, withinSeconds = 60) {
  const time = fakeClock();
  const { logger, lines } = recordingLogger();
  const sup = new Supervisor({ maxRestarts, withinSeconds, logger, clock: time.clock });
  return { sup, time, lines };
}

describe('Supervisor', () => {
  it('restarts a loop that crashes twice, with doubling backoff, and keeps it running', async () => {
    const { sup, time, lines } = supervisor();
    const loop = flakyLoop(2);
    const outcome = sup.supervise(loop);
    await expect.poll(() => loop.calls).toBe(3);
    expect(time.sleeps).toEqual([100, 200]);
    expect(lines.filter((l) => l.message.includes('restarting'))).toHaveLength(2);
    loop.stop();
    await expect(outcome).resolves.toBe('stopped');
  });

  it('gives up after more than max_restarts crashes within the window', async () => {
    const { sup, time, lines } = supervisor(3, 60);
    const loop = flakyLoop(Infinity);
    await expect(sup.supervise(loop)).resolves.toBe('gave_up');
    expect(loop.calls).toBe(4);
    expect(time.sleeps).toEqual([100, 200, 400]);
    expect(lines.some((l) => l.level === 'error' && l.message.includes('giving up'))).toBe(true);
  });

  it('forgets crashes older than the window', async () => {
    const { sup, time } = supervisor(1, 0.05);
    const loop = flakyLoop(3);
    const outcome = sup.supervise(loop);
    await expect.poll(() => loop.calls).toBe(4);
    expect(time.sleeps).toEqual([100, 200, 400]);
    loop.stop();
    await expect(outcome).resolves.toBe('stopped');
  });

  it('caps the backoff at 5 s', async () => {
    const { sup, time } = supervisor(10, 1_000);
    await sup.supervise(flakyLoop(Infinity));
    expect(Math.max(...time.sleeps)).toBe(5_000);
  });

  it('stops restarting after stop()', async () => {
    const { sup } = supervisor();
    sup.stop();
    await expect(sup.supervise(flakyLoop(Infinity))).resolves.toBe('stopped');
  });
});

describe('Engine supervision', () => {
  it('shuts down with exit code 1 when a loop keeps crashing', async () => {
    const m = createShop({ server: { supervisor: { max_restarts: 2, within_seconds: 60 } } });
    await m.domain.init();
    const time = fakeClock();
    const { logger, lines } = recordingLogger();
    const crash = vi
      .spyOn(EventStoreSubscription.prototype, 'run')
      .mockRejectedValue(new Error('connection lost'));
    const engine = new Engine(m.domain, {
      logger,
      clock: time.clock,
      closeDomain: true,
      health: false,
    });
    await expect(engine.run()).resolves.toBe(1);
    crash.mockRestore();
    expect(engine.shuttingDown).toBe(true);
    expect(time.sleeps).toContain(200);
    expect(lines.some((l) => l.message.includes('giving up'))).toBe(true);
  });
});
