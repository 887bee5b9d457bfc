/**
 * One run of one side, identical for both: a fresh database and Redis key prefix; the side's
 * tables; an apply log (a trigger on the projection table that records, for every row written,
 * the deposit it applied and `clock_timestamp()`); the side's relay and consumer started; the
 * deposits driven by the clients; then a wait until every deposit is in the projection, the
 * side stopped, its results checked, and everything dropped.
 */
import process from 'node:process';
import type { Redis } from 'ioredis';
import pg from 'pg';
import {
  createTestDatabase,
  deleteRedisKeys,
  uniqueRedisPrefix,
} from '../../src/testing/isolation.js';
import { CorrectnessError } from '../lib/types.js';
import { BALANCE_TABLE, CATEGORY, OUTBOX_TABLE, PROJECTOR, wallClockMs } from './workload.js';
import type { OpenPipeline, Pipeline, RunEnv } from './workload.js';

/** How often the harness looks whether every deposit reached the projection. */
const POLL_MS = 5;
/** A run whose projection does not move for this long has lost something: it fails. */
const STALL_MS = 20_000;
/** How long a side's consumer group may take to appear after `start()`. */
const START_TIMEOUT_MS = 10_000;

/** Statements the harness runs; tagged so nobody mistakes them for a side's. */
const APPLY_LOG = [
  'CREATE TABLE bench_applied (deposit_id text NOT NULL, applied_at timestamptz NOT NULL)',
  `CREATE FUNCTION bench_log_applied() RETURNS trigger LANGUAGE plpgsql AS $$
   BEGIN
     INSERT INTO bench_applied (deposit_id, applied_at) VALUES (NEW.last_deposit_id, clock_timestamp());
     RETURN NULL;
   END $$`,
  `CREATE TRIGGER bench_log_applied AFTER INSERT OR UPDATE ON ${BALANCE_TABLE}
   FOR EACH ROW EXECUTE FUNCTION bench_log_applied()`,
];
const APPLIED_SO_FAR = `SELECT coalesce(sum(deposits), 0)::float8 AS n FROM ${BALANCE_TABLE}`;
const APPLIED = `
SELECT deposit_id, (extract(epoch FROM applied_at) * 1000)::float8 AS ms FROM bench_applied`;
const CLOCK = 'SELECT (extract(epoch FROM clock_timestamp()) * 1000)::float8 AS ms';

/** A run in progress: its stores and the harness's connections to them. */
export interface Run {
  readonly side: string;
  readonly env: RunEnv;
  /** The stream's Redis key. */
  readonly key: string;
  /** The harness's connection to the run's database (never counted as a side's). */
  readonly admin: pg.Client;
  /** The harness's Redis connection (shared by every run). */
  readonly redis: Redis;
}

/** Where the harness finds PostgreSQL and Redis. */
export interface Services {
  readonly adminUrl: string;
  readonly redisUrl: string;
  readonly redis: Redis;
}

async function installApplyLog(admin: pg.Client): Promise<void> {
  for (const statement of APPLY_LOG) await admin.query(statement);
}

/** Waits until the side's consumer group exists on the stream (the side is ready to consume). */
async function waitForGroup(run: Run): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const groups = (await run.redis.call('XINFO', 'GROUPS', run.key).catch(() => [])) as unknown[];
    if (groups.some((group) => Array.isArray(group) && group.includes(PROJECTOR))) return;
    if (Date.now() > deadline)
      throw new Error(`${run.side}: consumer group ${PROJECTOR} did not appear on ${run.key}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/**
 * PostgreSQL's clock minus this process's wall clock, in ms, from the round trip with the
 * smallest delay (both read the same system clock, so this is within a fraction of a millisecond).
 */
export async function clockOffset(admin: pg.Client): Promise<number> {
  let best = { delay: Infinity, offset: 0 };
  for (let sample = 0; sample < 7; sample++) {
    const sent = wallClockMs();
    const { rows } = await admin.query<{ ms: number }>(CLOCK);
    const received = wallClockMs();
    const delay = received - sent;
    const offset = (rows[0]?.ms ?? 0) - (sent + received) / 2;
    if (delay < best.delay) best = { delay, offset };
  }
  return best.offset;
}

async function diagnostics(run: Run): Promise<string[]> {
  const outbox = await run.admin.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM ${OUTBOX_TABLE} GROUP BY status ORDER BY status`,
  );
  const length = await run.redis.xlen(run.key).catch(() => Number.NaN);
  const rows = outbox.rows.map((row) => `${row.status} ${row.n}`).join(', ');
  return [`outbox rows by status: ${rows || 'none'}`, `stream ${run.key} holds ${length} entries`];
}

/** Waits until the projection counts `deposits` applications; fails when it stops moving. */
export async function waitApplied(run: Run, deposits: number): Promise<void> {
  let seen = -1;
  let movedAt = Date.now();
  for (;;) {
    const { rows } = await run.admin.query<{ n: number }>(APPLIED_SO_FAR);
    const applied = rows[0]?.n ?? 0;
    if (applied >= deposits) return;
    if (applied !== seen) [seen, movedAt] = [applied, Date.now()];
    if (Date.now() - movedAt > STALL_MS) {
      throw new CorrectnessError(run.side, [
        `only ${applied} of ${deposits} deposits reached the projection; nothing moved for ${STALL_MS / 1000} s`,
        ...(await diagnostics(run)),
      ]);
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Every application the apply log recorded: deposit id and when, on this process's clock. */
export async function readApplied(
  admin: pg.Client,
  offset: number,
): Promise<{ depositId: string; at: number }[]> {
  const { rows } = await admin.query<{ deposit_id: string; ms: number }>(APPLIED);
  return rows.map((row) => ({ depositId: row.deposit_id, at: row.ms - offset }));
}

/**
 * Runs `use` on a fresh run of the side `open` builds: stores created, apply log installed, side
 * started and ready; afterwards (whatever happens) the side is closed and the stores dropped.
 * `use` gets a `stop()` that closes the side early (before reading its results).
 */
export async function withRun<T>(
  services: Services,
  side: string,
  open: OpenPipeline,
  use: (run: Run, pipeline: Pipeline, stop: () => Promise<void>) => Promise<T>,
): Promise<T> {
  const database = await createTestDatabase(services.adminUrl, { prefix: 'protean_bench' });
  const env: RunEnv = {
    databaseUrl: database.url,
    redisUrl: services.redisUrl,
    keyPrefix: uniqueRedisPrefix(),
  };
  const admin = new pg.Client({ connectionString: database.url, application_name: 'bench' });
  let pipeline: Pipeline | undefined;
  const stop = async () => {
    const closing = pipeline;
    pipeline = undefined;
    await closing?.close();
  };
  try {
    await admin.connect();
    pipeline = await open(env);
    await installApplyLog(admin);
    const key = `${env.keyPrefix}${CATEGORY}`;
    const run: Run = { side, env, key, admin, redis: services.redis };
    await pipeline.start();
    await waitForGroup(run);
    return await use(run, pipeline, stop);
  } finally {
    await stop().catch((error: unknown) => {
      process.stderr.write(`${side}: closing failed: ${(error as Error).message}\n`);
    });
    await admin.end().catch(() => undefined);
    await database.drop();
    await deleteRedisKeys(services.redisUrl, env.keyPrefix);
  }
}
