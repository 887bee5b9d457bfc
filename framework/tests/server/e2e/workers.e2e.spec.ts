/**
 * `protean server --workers N` (docs/guides/server.md, "Several processes"): N engines share the
 * consumer groups; signals reach them all; a domain with event-store subscriptions is refused
 * unless forced.
 */
import { afterEach, expect, it } from 'vitest';
import { describeIntegration } from '../../../src/testing/index.js';
import { Scene, applied, deposit, drained } from './harness.js';

const scene = new Scene();
afterEach(() => scene.close());

describeIntegration('protean server --workers', () => {
  it('runs two engines that share the work, and stops both on one SIGTERM', async () => {
    const world = await scene.open();
    const server = scene.server({}, ['--workers', '2', '--health-port', '0']);
    await server.waitForLine((line) => line['msg'] === 'starting workers');
    const started = () => server.messages('server starting').length === 2;
    await server.waitForLine(() => started());

    const expected = await deposit(world, 200);
    expect(await drained(world, expected)).toEqual(expected);
    const tally = await applied(world);
    const workers = new Set(server.messages('server starting').map((line) => String(line['pid'])));
    expect(new Set(tally.keys())).toEqual(workers);
    expect([...tally.values()].every((count) => count > 0)).toBe(true);

    server.signal('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.messages('server stopped')).toHaveLength(2);
    expect(server.messages('workers stopped')).toEqual([expect.objectContaining({ exitCode: 0 })]);
  }, 60_000);

  it('refuses a domain with event-store subscriptions, naming them, with exit code 2', async () => {
    await scene.open({ LEDGER_COMMANDS: 'async' });
    const server = scene.server({}, ['--workers', '2']);
    const { code } = await server.exited;
    expect(code).toBe(2);
    expect(server.stderr).toContain('--workers needs stream subscriptions');
    expect(server.stderr).toContain('commands@ledger::account:command');
    expect(server.stderr).toContain('--force');
  }, 30_000);

  it('rejects a bad number of workers as bad usage', async () => {
    await scene.open();
    const server = scene.server({}, ['--workers', 'many']);
    expect((await server.exited).code).toBe(2);
    expect(server.stderr).toContain(`expected a whole number from 1 to 64, received "many"`);
  }, 30_000);
});
