/**
 * event-store: appends and a category catch-up on the PostgreSQL event store, against the same
 * statements written by hand with `pg` on the same schema (see `workload.ts` and `baseline.ts`).
 * Needs PostgreSQL (`DATABASE_URL`, or postgres@127.0.0.1:5432): creates a database of its own,
 * `protean_bench_<random>`, and drops it at the end.
 */
import process from 'node:process';
import pg from 'pg';
import { createPostgresEventStore } from '../../src/adapters/postgres/event-store.js';
import { createTestDatabase } from '../../src/testing/isolation.js';
import type { TestDatabase } from '../../src/testing/isolation.js';
import { quantile } from '../lib/stats.js';
import type {
  Benchmark,
  BenchOptions,
  Contender,
  ExtraFigure,
  Metrics,
  Setup,
} from '../lib/types.js';
import { openBaselineSide } from './baseline.js';
import { openProteanSide } from './protean.js';
import type { OpenSide } from './protean.js';
import { countStatements } from './statements.js';
import {
  appendAll,
  catchUp,
  EVENTS_PER_APPEND,
  plan,
  READ_BATCH,
  verify,
  WRITERS,
} from './workload.js';
import type { Side } from './workload.js';

const ADMIN_URL = process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** The bench database, its table, and a connection to empty the table between runs. */
interface Bench {
  readonly database: TestDatabase;
  readonly admin: pg.Client;
  /** A new tag for each run's ids. */
  nextRun(): string;
}

async function openBench(): Promise<Bench> {
  const database = await createTestDatabase(ADMIN_URL, { prefix: 'protean_bench' }).catch(
    (error: unknown) => {
      throw new Error(
        `event-store needs PostgreSQL: could not create a database through ${ADMIN_URL} ` +
          `(${(error as Error).message}); set DATABASE_URL to a server where you may CREATE DATABASE.`,
      );
    },
  );
  const store = await createPostgresEventStore({
    provider: 'postgresql',
    database_uri: database.url,
  });
  await store.setup?.();
  await store.close();
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  // An insert-only table of this size triggers autovacuum mid-run on one side or the other: noise.
  await admin.query('ALTER TABLE protean_messages SET (autovacuum_enabled = false)');
  let runs = 0;
  return { database, admin, nextRun: () => `r${(runs += 1)}` };
}

/** Empties the table and restarts global positions, so every run starts alike. */
async function reset(bench: Bench): Promise<void> {
  await bench.admin.query('TRUNCATE protean_messages RESTART IDENTITY');
}

/** Appends then catches up `events` events on a fresh table, checks the read, returns figures. */
async function measureRun(
  bench: Bench,
  name: string,
  side: Side,
  events: number,
): Promise<Metrics> {
  await reset(bench);
  const writers = plan(events, bench.nextRun());
  const appendStart = process.hrtime.bigint();
  const latencies = await appendAll(side, writers);
  const appendSeconds = seconds(appendStart);
  const readStart = process.hrtime.bigint();
  const read = await catchUp(side);
  const readSeconds = seconds(readStart);
  verify(name, writers, read);
  return {
    appendRate: read.length / appendSeconds,
    readRate: read.length / readSeconds,
    appendP50: quantile(latencies, 0.5) / 1e3,
    appendP99: quantile(latencies, 0.99) / 1e3,
  };
}

function contender(bench: Bench, name: string, opened: OpenSide, options: BenchOptions): Contender {
  return {
    name,
    async warmUp() {
      if (options.warmup > 0) await measureRun(bench, name, opened.side, options.warmup);
    },
    run: () => measureRun(bench, name, opened.side, options.commands),
  };
}

/** SQL statements per event, appending and reading, in one untimed run of a side. */
async function statementProbe(bench: Bench, name: string, side: Side, events: number) {
  await reset(bench);
  const writers = plan(events, bench.nextRun());
  const appended = await countStatements(() => appendAll(side, writers));
  const { result: read, statements } = await countStatements(() => catchUp(side));
  verify(name, writers, read);
  return { append: appended.statements / read.length, read: statements / read.length };
}

async function statementFigures(
  bench: Bench,
  protean: Side,
  baseline: Side,
): Promise<ExtraFigure[]> {
  const events = 2000;
  const p = await statementProbe(bench, 'protean-ts', protean, events);
  const b = await statementProbe(bench, 'baseline', baseline, events);
  const note = 'pg queries sent by the client (pg_stat_statements is not preloaded)';
  return [
    {
      label: 'statements per appended event',
      unit: '',
      protean: p.append,
      baseline: b.append,
      note,
    },
    { label: 'statements per event read', unit: '', protean: p.read, baseline: b.read, note },
  ];
}

async function setUp(options: BenchOptions): Promise<Setup> {
  const bench = await openBench();
  const [protean, baseline] = await Promise.all([
    openProteanSide(bench.database.url),
    openBaselineSide(bench.database.url),
  ]).catch(async (error: unknown) => {
    await bench.admin.end();
    await bench.database.drop();
    throw error;
  });
  return {
    workload:
      `${options.commands} events (--commands) in streams of 10, appended ${EVENTS_PER_APPEND} per ` +
      `transaction with an expected version by ${WRITERS} concurrent writers (pool of ${WRITERS}), ` +
      `then one category catch-up in batches of ${READ_BATCH}; PostgreSQL database ` +
      `${bench.database.name}, table emptied before each run; warm-up ${options.warmup} events`,
    protean: contender(bench, 'protean-ts', protean, options),
    baseline: contender(bench, 'baseline', baseline, options),
    extras: () => statementFigures(bench, protean.side, baseline.side),
    async close() {
      await Promise.allSettled([protean.close(), baseline.close(), bench.admin.end()]);
      await bench.database.drop();
    },
  };
}

export const eventStore: Benchmark = {
  name: 'event-store',
  summary:
    'appends and a category catch-up on the PostgreSQL event store, vs the same SQL written by hand with pg',
  metrics: [
    { key: 'appendRate', label: 'append throughput', unit: 'events/s', better: 'higher' },
    { key: 'readRate', label: 'category read throughput', unit: 'events/s', better: 'higher' },
    { key: 'appendP50', label: 'append p50 latency', unit: 'µs', better: 'lower' },
    { key: 'appendP99', label: 'append p99 latency', unit: 'µs', better: 'lower' },
  ],
  defaults: { commands: 10_000, warmup: 1_000 },
  setUp,
};
