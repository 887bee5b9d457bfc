/**
 * outbox-pipeline: deposits through command -> account + outbox row in one transaction -> relay
 * -> Redis stream -> idempotent projector -> ack, end to end; protean-ts (`domain.process()` and
 * an `Engine`) against the same pipeline written by hand with `pg` and `ioredis`. Needs PostgreSQL
 * (`DATABASE_URL`, or postgres@127.0.0.1:5432, allowed to CREATE DATABASE) and Redis (`REDIS_URL`,
 * or 127.0.0.1:6379): every run gets a database and a key prefix of its own, dropped afterwards.
 */
import process from 'node:process';
import { Redis } from 'ioredis';
import pg from 'pg';
import { quantile } from '../lib/stats.js';
import type { Benchmark, BenchOptions, Contender, Metrics, Setup } from '../lib/types.js';
import { openBaseline } from './baseline.js';
import { countDuring } from './counters.js';
import type { Counts } from './counters.js';
import { clockOffset, readApplied, waitApplied, withRun } from './harness.js';
import type { Services } from './harness.js';
import { openProtean } from './protean.js';
import { countFigures, sharedPreloadLibraries } from './report.js';
import { verify } from './verify.js';
import {
  ACCOUNTS_PER_CLIENT,
  CLIENTS,
  drive,
  OUTBOX,
  PACED_RATE,
  plan,
  STREAM,
} from './workload.js';
import type { Drive, OpenPipeline } from './workload.js';

const ADMIN_URL = process.env['DATABASE_URL'] ?? 'postgresql://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379/0';
/** Deposits in the untimed run per side that counts statements and commands. */
const PROBE_DEPOSITS = 1000;

/** Deposits of the paced latency phase, for a run of `deposits` in the throughput phase. */
const pacedDeposits = (deposits: number): number => Math.max(100, Math.round(deposits / 4));

/** Commit-to-projection latencies (ms) of the deposits `drive` sent. */
function latencies(driven: Drive, appliedAt: ReadonlyMap<string, number>): number[] {
  return [...driven.committedAt].map(([id, at]) => (appliedAt.get(id) ?? Number.NaN) - at);
}

/**
 * One run of a side on fresh stores: first the latency phase (deposits paced at `PACED_RATE`/s),
 * then the throughput phase (`deposits` as fast as the clients go, timed until the last one is in
 * the projection); then every deposit of both phases is checked.
 */
async function measureRun(
  services: Services,
  side: string,
  open: OpenPipeline,
  deposits: number,
): Promise<Metrics> {
  return withRun(services, side, open, async (run, pipeline, stop) => {
    const paced = plan(pacedDeposits(deposits));
    const flat = plan(deposits, pacedDeposits(deposits));
    const offset = await clockOffset(run.admin);
    const slow = await drive(pipeline, paced, PACED_RATE);
    await waitApplied(run, pacedDeposits(deposits));
    const fast = await drive(pipeline, flat);
    await waitApplied(run, pacedDeposits(deposits) + deposits);
    await stop();
    const applied = await readApplied(run.admin, offset);
    await verify(run, [...paced, ...flat], applied);
    const appliedAt = new Map(applied.map(({ depositId, at }) => [depositId, at]));
    const lastApplied = Math.max(
      ...flat.flat().map((d) => appliedAt.get(d.depositId) ?? Number.NaN),
    );
    const pacedLatencies = latencies(slow, appliedAt);
    return {
      eventRate: deposits / ((lastApplied - fast.startedAt) / 1000),
      latencyP50: quantile(pacedLatencies, 0.5),
      latencyP99: quantile(pacedLatencies, 0.99),
      saturatedP99: quantile(latencies(fast, appliedAt), 0.99),
      commandRate: deposits / ((fast.endedAt - fast.startedAt) / 1000),
      commandP99: quantile(fast.commandMs, 0.99),
    };
  });
}

/** An untimed run of a side that counts what it sends while its deposits go through. */
async function probe(services: Services, side: string, open: OpenPipeline): Promise<Counts> {
  return withRun(services, side, open, async (run, pipeline, stop) => {
    const clients = plan(PROBE_DEPOSITS);
    const { counts } = await countDuring(async () => {
      await drive(pipeline, clients);
      await waitApplied(run, PROBE_DEPOSITS);
    }, run);
    await stop();
    await verify(run, clients, await readApplied(run.admin, 0));
    return counts;
  });
}

function contender(
  services: Services,
  name: string,
  open: OpenPipeline,
  options: BenchOptions,
): Contender {
  return {
    name,
    async warmUp() {
      if (options.warmup > 0) await measureRun(services, name, open, options.warmup);
    },
    run: () => measureRun(services, name, open, options.commands),
  };
}

async function openServices(): Promise<Services> {
  const check = new pg.Client({ connectionString: ADMIN_URL });
  await check
    .connect()
    .then(() => check.end())
    .catch((error: unknown) => {
      throw new Error(
        `outbox-pipeline needs PostgreSQL: could not connect through ${ADMIN_URL} ` +
          `(${(error as Error).message}); set DATABASE_URL to a server where you may CREATE DATABASE.`,
      );
    });
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  await redis.connect().catch((error: unknown) => {
    throw new Error(
      `outbox-pipeline needs Redis: could not connect to ${REDIS_URL} ` +
        `(${(error as Error).message}); set REDIS_URL.`,
    );
  });
  return { adminUrl: ADMIN_URL, redisUrl: REDIS_URL, redis };
}

async function setUp(options: BenchOptions): Promise<Setup> {
  const services = await openServices();
  const accounts = CLIENTS * ACCOUNTS_PER_CLIENT;
  return {
    workload:
      `${pacedDeposits(options.commands)} Deposit commands paced at ${PACED_RATE}/s (latency), ` +
      `then ${options.commands} (--commands) flat out (throughput), from ${CLIENTS} concurrent ` +
      `clients into ${accounts} accounts; each through outbox (claim ${OUTBOX.messagesPerTick}/tick) ` +
      `-> Redis stream (XREADGROUP COUNT ${STREAM.messagesPerTick}) -> idempotent projector; fresh ` +
      `database and key prefix per run; a warm-up run of ${options.warmup} before each run`,
    protean: contender(services, 'protean-ts', openProtean, options),
    baseline: contender(services, 'baseline', openBaseline, options),
    async extras() {
      const preload = await sharedPreloadLibraries(ADMIN_URL);
      const protean = await probe(services, 'protean-ts', openProtean);
      const baseline = await probe(services, 'baseline', openBaseline);
      return countFigures(protean, baseline, PROBE_DEPOSITS, preload);
    },
    async close() {
      await services.redis.quit().catch(() => undefined);
    },
  };
}

export const outboxPipeline: Benchmark = {
  name: 'outbox-pipeline',
  summary:
    'command -> aggregate + outbox row -> outbox processor -> Redis stream -> idempotent projector, vs the same pipeline by hand with pg + ioredis',
  metrics: [
    { key: 'eventRate', label: 'end-to-end throughput', unit: 'events/s', better: 'higher' },
    {
      key: 'latencyP50',
      label: `commit-to-projection p50 at ${PACED_RATE}/s`,
      unit: 'ms',
      better: 'lower',
    },
    {
      key: 'latencyP99',
      label: `commit-to-projection p99 at ${PACED_RATE}/s`,
      unit: 'ms',
      better: 'lower',
    },
    {
      key: 'saturatedP99',
      label: 'commit-to-projection p99, flat out',
      unit: 'ms',
      better: 'lower',
    },
    { key: 'commandRate', label: 'command throughput', unit: 'cmd/s', better: 'higher' },
    { key: 'commandP99', label: 'command p99 latency', unit: 'ms', better: 'lower' },
  ],
  defaults: { commands: 2000, warmup: 300 },
  setUp,
};
