/**
 * Consumer groups across `protean server` processes: two servers
 * share the work; the pending entries of a consumer that died are claimed by another.
 */
import { afterEach, expect, it } from 'vitest';
import { describeIntegration } from '../../../src/testing/index.js';
import { Scene, applied, deposit, drained } from './harness.js';

const scene = new Scene();
afterEach(() => scene.close());

describeIntegration('protean server: consumer groups', () => {
  it('splits the work between two servers on one group, each event applied once', async () => {
    const world = await scene.open();
    const [one, two] = [scene.server(), scene.server()];
    await Promise.all([one.started(), two.started()]);

    const expected = await deposit(world, 300, { concurrency: 4 });
    expect(await drained(world, expected)).toEqual(expected);
    expect(await world.ledger.domain.broker.streamLength('ledger::account:dlq')).toBe(0);
    const conflicts = [one, two].flatMap((s) =>
      s.lines.filter((line) => line['errorCode'] === 'EXPECTED_VERSION_ERROR'),
    );
    // Two consumers updating the same rows: a conflict is a failed delivery, retried.
    expect(
      conflicts.every(
        (line) => line['msg'] === 'delivery failed; the entry stays pending for a retry',
      ),
    ).toBe(true);

    const tally = await applied(world);
    expect([...tally.keys()].sort()).toEqual([String(one.pid), String(two.pid)].sort());
    expect(tally.get(String(one.pid))).toBeGreaterThan(0);
    expect(tally.get(String(two.pid))).toBeGreaterThan(0);
    expect([...tally.values()].reduce((a, b) => a + b, 0)).toBe(300);
  }, 60_000);

  it('lets another server claim the pending entries of a consumer killed before acking', async () => {
    const world = await scene.open();
    const expected = await deposit(world, 60, { concurrency: 4 });
    // Dies right after its first handled entry, before acknowledging it: its batch stays pending.
    const dying = scene.server({ PROTEAN_FAILPOINT: 'consumer.after_handle_before_ack' });
    expect((await dying.exited).signal).toBe('SIGKILL');
    const found = await drained(world, expected, 0);
    expect([...found.values()].reduce((n, entry) => n + entry.deposits, 0)).toBeLessThan(60);

    const heir = scene.server();
    const claim = await heir.waitForLine(
      (line) => line['msg'] === 'claimed entries of an idle consumer',
    );
    expect(claim['ids']).toEqual(expect.arrayContaining([expect.any(String)]));
    expect(await drained(world, expected)).toEqual(expected);
    // The crash came after one handled entry (of Totals or of Notifier): whatever it applied
    // was claimed too and skipped as already applied.
    const tally = await applied(world);
    expect(tally.get(String(dying.pid)) ?? 0).toBeLessThanOrEqual(1);
    expect([...tally.values()].reduce((a, b) => a + b, 0)).toBe(60);
  }, 60_000);
});
