/**
 * A handler that always throws (a poison message): its message goes to the dead-letter
 * queue after max_retries deliveries while everything else keeps flowing, and `protean dlq
 * replay` delivers it again once the handler is fixed.
 */
import { afterEach, expect, it } from 'vitest';
import { engineSubscriptions, subscriptionReports } from '../../../src/server/index.js';
import { describeIntegration } from '../../../src/testing/index.js';
import { eventually } from '../../fixtures/eventually.js';
import { Scene, deposit, drained, protean } from './harness.js';
import type { LedgerWorld } from './harness.js';

const scene = new Scene();
afterEach(() => scene.close());

async function notices(here: LedgerWorld): Promise<number> {
  return (await here.ledger.domain.repository(here.ledger.Notices).find({})).length;
}

describeIntegration('protean server: poison messages and the dead-letter queue', () => {
  it('dead-letters what a handler keeps failing on, keeps the rest flowing, and replays it', async () => {
    const here = await scene.open();
    const failing = scene.server({ LEDGER_POISON: '13' });
    await failing.started();

    const { Deposit } = here.ledger;
    await here.ledger.domain.process(new Deposit({ accountId: 'account-0', amount: 13 }));
    const expected = await deposit(here, 20, { accounts: 2 });
    const poisoned = expected.get('account-0')!;
    expected.set('account-0', { total: poisoned.total + 13, deposits: poisoned.deposits + 1 });

    // Totals applies all 21 deposits; Notifier all but the poisoned one.
    expect(await drained(here, expected)).toEqual(expected);
    await eventually(async () => (await notices(here)) === 20);
    const moved = await failing.waitForLine(
      (line) => line['msg'] === 'delivery failed for the last time; moved to the dead-letter queue',
    );
    const { max_retries: deliveries } = here.ledger.domain.subscriptionOptions('Notifier');
    expect(moved).toMatchObject({ level: 'error', group: 'Notifier', deliveries });

    const listed = await protean(here.env, ['dlq', 'list', '--json']);
    expect(listed.code).toBe(0);
    const letters = JSON.parse(listed.stdout) as Record<string, unknown>[];
    expect(letters).toEqual([
      expect.objectContaining({
        group: 'Notifier',
        stream: 'ledger::account',
        attempts: deliveries,
        error: 'the notification service refuses amount 13',
      }),
    ]);

    // The handler is fixed: a server without the poison, then the replay.
    failing.signal('SIGTERM');
    expect((await failing.exited).code).toBe(0);
    const fixed = scene.server();
    await fixed.started();
    const replayed = await protean(here.env, ['dlq', 'replay', String(letters[0]!['id'])]);
    expect(replayed).toMatchObject({ code: 0 });
    expect(replayed.stdout).toContain('for Notifier');
    expect(replayed.stderr).toBe('');

    await eventually(async () => (await notices(here)) === 21);
    await eventually(async () => {
      const reports = await subscriptionReports(
        here.ledger.domain,
        engineSubscriptions(here.ledger.domain),
      );
      return reports.every((report) => report.lag === 0 && report.pending === 0);
    });
    // Marked for Notifier: Totals acknowledged it without applying it again.
    expect(await drained(here, expected, 0)).toEqual(expected);
    const after = await protean(here.env, ['dlq', 'list', '--json']);
    expect(JSON.parse(after.stdout)).toEqual([]);
  }, 90_000);
});
