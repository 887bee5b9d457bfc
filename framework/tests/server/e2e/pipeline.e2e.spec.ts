/**
 * `protean server` as a real process on PostgreSQL + Redis: commands in,
 * projections updated; SIGTERM under load; SIGKILL mid-run and restart. After every fault each
 * deposit is applied exactly once.
 */
import { afterEach, expect, it } from 'vitest';
import { describeIntegration } from '../../../src/testing/index.js';
import { eventually } from '../../fixtures/eventually.js';
import { Scene, applied, deposit, depositCount, drained, handledTwice } from './harness.js';

const scene = new Scene();
afterEach(() => scene.close());

describeIntegration('protean server on PostgreSQL and Redis', () => {
  it('handles async commands and updates the projections, then stops on SIGTERM with 0', async () => {
    const world = await scene.open({ LEDGER_COMMANDS: 'async' });
    const running = scene.server();
    await running.started();
    const health = await running.waitForLine((line) => line['port'] !== undefined);
    const url = `http://127.0.0.1:${String(health['port'])}`;
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      ready: true,
      checks: { database: { ok: true }, event_store: { ok: true }, broker: { ok: true } },
    });

    const expected = await deposit(world, 40, { accounts: 4 });
    expect(await drained(world, expected)).toEqual(expected);
    const notices = await world.ledger.domain.repository(world.ledger.Notices).find({});
    expect(notices).toHaveLength(40);

    running.signal('SIGTERM');
    expect(await running.exited).toEqual({ code: 0, signal: null });
    expect(running.messages('server stopped')).toEqual([expect.objectContaining({ exitCode: 0 })]);
  }, 60_000);

  it('finishes in-flight work on SIGTERM under load: exit 0, nothing lost, nothing twice', async () => {
    const world = await scene.open();
    const first = scene.server({}, ['--log-level', 'debug']);
    await first.started();

    const load = deposit(world, 300, { concurrency: 4 });
    await first.waitForLine((line) => line['msg'] === 'handling message');
    const signalledAt = Date.now();
    first.signal('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    // Within shutdown_timeout_seconds (10).
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
    const expected = await load;

    const second = scene.server({}, ['--log-level', 'debug']);
    await second.started();
    expect(await drained(world, expected)).toEqual(expected);
    expect(handledTwice([first, second])).toEqual([]);
    expect(first.messages('handling message').length).toBeGreaterThan(0);
    second.signal('SIGTERM');
    expect((await second.exited).code).toBe(0);
  }, 90_000);

  it('loses nothing and applies nothing twice when SIGKILLed mid-run and restarted', async () => {
    const world = await scene.open();
    // A backlog, and more commands coming in while the servers are killed one after the other.
    const expected = await deposit(world, 300, { concurrency: 4 });
    const load = deposit(world, 300, { concurrency: 2, first: 300, expected });
    for (let kill = 0; kill < 3; kill += 1) {
      const victim = scene.server();
      await victim.started();
      const before = sumOf(await applied(world));
      await eventually(async () => sumOf(await applied(world)) > before + 20);
      victim.signal('SIGKILL');
      expect((await victim.exited).signal).toBe('SIGKILL');
    }
    await load;
    const survivor = scene.server();
    await survivor.started();
    expect(await drained(world, expected)).toEqual(expected);
    expect(sumOf(await applied(world))).toBe(600);
  }, 120_000);

  it('loses nothing when killed at the relay and consumer failpoints, restart after restart', async () => {
    const world = await scene.open();
    const expected = await deposit(world, 150, { concurrency: 4 });
    const failpoints =
      'relay.after_publish:0.03,relay.before_mark:0.1,consumer.after_handle_before_ack:0.02';
    let killed = 0;
    for (let run = 0; run < 6 && depositCount(await drained(world, expected, 0)) < 150; run += 1) {
      const crashing = scene.server({ PROTEAN_FAILPOINT: failpoints });
      const exit = await Promise.race([
        crashing.exited,
        drained(world, expected, 8_000).then(() => null),
      ]);
      if (exit?.signal === 'SIGKILL') killed += 1;
      await crashing.kill();
    }
    expect(killed).toBeGreaterThan(0);
    const last = scene.server();
    await last.started();
    expect(await drained(world, expected)).toEqual(expected);
    expect(sumOf(await applied(world))).toBe(150);
  }, 180_000);
});

function sumOf(values: Map<string, number>): number {
  return [...values.values()].reduce((total, value) => total + value, 0);
}
