/**
 * `/metrics` against the truth: a `protean server` process runs the ledger on PostgreSQL + Redis,
 * its trace reaches the observatory over Redis pub/sub, and what the exposition says matches
 * `protean dlq list`, `protean subscriptions status`, XPENDING, XLEN and the outbox.
 */
import { Redis } from 'ioredis';
import { afterEach, expect, it } from 'vitest';
import { Observatory } from '../../src/observatory/index.js';
import { describeIntegration } from '../../src/testing/index.js';
import { Scene, deposit, drained, protean } from '../server/e2e/harness.js';
import type { LedgerWorld } from '../server/e2e/harness.js';
import { recordingLogger } from '../server/subscriptions/helpers.js';
import { eventually, parsePrometheus, sampleValue } from './helpers.js';
import type { Exposition } from './helpers.js';

const scene = new Scene();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
  await scene.close();
});

async function observe(world: LedgerWorld): Promise<(path: string) => Promise<Response>> {
  const { logger } = recordingLogger();
  const observatory = new Observatory({
    domains: [world.ledger.domain],
    port: 0,
    logger,
    refreshMs: 0,
  });
  const { url } = await observatory.start();
  closers.push(() => observatory.close());
  return (path) => fetch(new URL(path, url));
}

async function scrape(get: (path: string) => Promise<Response>): Promise<Exposition> {
  return parsePrometheus(await (await get('/metrics')).text());
}

describeIntegration('the observatory of a running server', () => {
  it('exposes metrics that match the CLI, XPENDING, XLEN and the outbox', async () => {
    const world = await scene.open();
    const get = await observe(world);
    const server = scene.server({ LEDGER_POISON: '13' });
    await server.started();

    // The engine publishes its trace once Redis tells it that someone subscribes.
    const expected = await deposit(world, 10, { accounts: 2 });
    await eventually(
      async () => {
        const stats = (await (await get('/api/stats')).json()) as {
          events: Record<string, number>;
        };
        return (stats.events['handler.completed'] ?? 0) > 0;
      },
      { what: 'a trace event' },
    );
    const { Deposit } = world.ledger;
    await world.ledger.domain.process(new Deposit({ accountId: 'account-0', amount: 13 }));
    await deposit(world, 10, { accounts: 2, first: 10, expected });
    const poisoned = expected.get('account-0')!;
    expected.set('account-0', { total: poisoned.total + 13, deposits: poisoned.deposits + 1 });
    expect(await drained(world, expected)).toEqual(expected);

    const dlq = { domain: 'ledger', subscription: 'Notifier@ledger::account' };
    await eventually(
      async () => sampleValue(await scrape(get), 'protean_subscription_dlq_depth', dlq) === 1,
      {
        what: 'one dead letter',
      },
    );

    // Entries a consumer read and never acknowledged: a group of our own, left pending.
    const redis = new Redis(world.env.REDIS_URL!);
    closers.push(async () => void redis.disconnect());
    const key = `${world.env.LEDGER_PREFIX}ledger::account`;
    await redis.xgroup('CREATE', key, 'Auditor', '0');
    await redis.xreadgroup('GROUP', 'Auditor', 'auditor-1', 'COUNT', 3, 'STREAMS', key, '>');

    const quiet = async () => {
      const reports = JSON.parse(
        (await protean(world.env, ['subscriptions', 'status', '--json'])).stdout,
      );
      return reports.every((r: { lag: number; pending: number }) => r.lag === 0 && r.pending === 0)
        ? reports
        : undefined;
    };
    const reports = await eventually(quiet, { what: 'a drained engine', timeoutMs: 30_000 });
    const exposition = await scrape(get);

    // DLQ depth: what `protean dlq list` counts.
    const listed = JSON.parse((await protean(world.env, ['dlq', 'list', '--json'])).stdout);
    const notifierLetters = listed.filter(
      (letter: { group: string }) => letter.group === 'Notifier',
    );
    expect(sampleValue(exposition, 'protean_subscription_dlq_depth', dlq)).toBe(
      notifierLetters.length,
    );
    // Lag and DLQ depth per subscription: what `protean subscriptions status` says.
    for (const report of reports as { name: string; lag: number; dlqDepth: number | null }[]) {
      const labels = { domain: 'ledger', subscription: report.name };
      expect(sampleValue(exposition, 'protean_subscription_lag', labels), report.name).toBe(
        report.lag,
      );
      if (report.dlqDepth !== null) {
        expect(sampleValue(exposition, 'protean_subscription_dlq_depth', labels)).toBe(
          report.dlqDepth,
        );
      }
    }
    // Pending: the sum of XPENDING over the stream's groups; length: XLEN.
    let pending = 0;
    for (const group of ['Totals', 'Notifier', 'Auditor']) {
      const [count] = (await redis.xpending(key, group)) as [number];
      pending += Number(count);
    }
    expect(pending).toBe(3);
    const stream = { domain: 'ledger', stream: 'ledger::account' };
    expect(sampleValue(exposition, 'protean_stream_pending', stream)).toBe(pending);
    expect(sampleValue(exposition, 'protean_stream_messages_total', stream)).toBe(
      await redis.xlen(key),
    );
    // The outbox, by status.
    const counts = await world.ledger.domain.outbox.countByStatus();
    for (const [status, count] of Object.entries(counts)) {
      expect(sampleValue(exposition, 'protean_outbox_messages', { domain: 'ledger', status })).toBe(
        count,
      );
    }
    // The broker, and what the trace counted: every failed delivery of the poisoned deposit.
    expect(sampleValue(exposition, 'protean_broker_up', { domain: 'ledger' })).toBe(1);
    expect(
      sampleValue(exposition, 'protean_broker_memory_bytes', { domain: 'ledger' }),
    ).toBeGreaterThan(0);
    const { max_retries } = world.ledger.domain.subscriptionOptions('Notifier');
    const failed = { domain: 'ledger', handler: 'Notifier', status: 'failed' };
    expect(sampleValue(exposition, 'protean_messages_processed_total', failed)).toBe(max_retries);
    const totals = { domain: 'ledger', handler: 'Totals', status: 'completed' };
    expect(
      sampleValue(exposition, 'protean_messages_processed_total', totals),
    ).toBeGreaterThanOrEqual(11);
    const durations = { domain: 'ledger', handler: 'Totals' };
    expect(
      sampleValue(exposition, 'protean_handler_duration_seconds_count', durations),
    ).toBeGreaterThan(0);
  }, 90_000);
});
