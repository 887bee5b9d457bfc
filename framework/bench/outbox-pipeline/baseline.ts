/**
 * The baseline side of outbox-pipeline: the same pipeline written by hand with `pg` and
 * `ioredis`, with the same SQL semantics, batch sizes, poll schedule and pool sizes as protean-ts:
 *
 * - command: one transaction that upserts the account row (version + 1) and inserts the outbox
 *   row of its Deposited envelope;
 * - relay: claims up to 50 rows under a lease (`FOR UPDATE SKIP LOCKED`), XADDs each to the
 *   category stream, marks them published fenced on the lease; 10 ms between busy ticks, idle
 *   waits doubling from 20 ms up to 1 s (the outbox processor's schedule);
 * - consumer: see `baseline-consumer.ts`.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import pg from 'pg';
import { Consumer } from './baseline-consumer.js';
import { CLAIM, ENQUEUE, MARK_PUBLISHED, SCHEMA, UPSERT_ACCOUNT } from './baseline-sql.js';
import { CATEGORY, DEPOSITED_TYPE, OUTBOX, POOL_SIZE } from './workload.js';
import type { DepositInput, OpenPipeline, RunEnv } from './workload.js';

/** The Deposited envelope, shaped as protean-ts writes it (same fields, same size). */
function depositedEnvelope(input: DepositInput, commandId: string, version: number) {
  const { accountId, depositId, amount } = input;
  return {
    id: randomUUID(),
    type: DEPOSITED_TYPE,
    kind: 'EVENT',
    stream: `${CATEGORY}-${accountId}`,
    data: { accountId, depositId, amount },
    metadata: {
      timestamp: new Date().toISOString(),
      correlationId: commandId,
      causationId: commandId,
      aggregateVersion: version,
      headers: {},
    },
  };
}

/** One Deposit: account upsert and outbox row in one transaction. */
async function deposit(pool: pg.Pool, input: DepositInput): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const { rows } = await client.query<{ version: number }>(UPSERT_ACCOUNT, [
      input.accountId,
      input.amount,
    ]);
    const envelope = depositedEnvelope(input, randomUUID(), rows[0]?.version ?? 0);
    await client.query(ENQUEUE, [envelope.id, JSON.stringify(envelope)]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

/** The relay: claim -> XADD each -> mark, polling on the outbox processor's schedule. */
class Relay {
  readonly #pool: pg.Pool;
  readonly #redis: Redis;
  readonly #key: string;
  readonly #owner = `relay-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
  readonly #waker = new AbortController();
  #stopping = false;
  #loop: Promise<void> | undefined;

  constructor(pool: pg.Pool, redis: Redis, key: string) {
    this.#pool = pool;
    this.#redis = redis;
    this.#key = key;
  }

  start(): void {
    this.#loop = this.#run();
    this.#loop.catch(() => undefined); // close() rethrows it
  }

  /** Finishes the batch in hand, then stops; rethrows a failure of the loop. */
  async close(): Promise<void> {
    this.#stopping = true;
    this.#waker.abort();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const busyMs = OUTBOX.tickIntervalMs;
    const baseMs = Math.max(busyMs, 10);
    let idleMs = baseMs;
    while (!this.#stopping) {
      const claimed = await this.#tick();
      idleMs = claimed > 0 ? baseMs : Math.min(idleMs * 2, OUTBOX.maxTickIntervalMs);
      const waitMs = claimed > 0 ? busyMs : idleMs;
      if (this.#stopping) return;
      await sleep(waitMs, undefined, { signal: this.#waker.signal }).catch(() => undefined);
    }
  }

  async #tick(): Promise<number> {
    const values = [this.#owner, OUTBOX.messagesPerTick, OUTBOX.leaseSeconds];
    const { rows } = await this.#pool.query<{ id: string; message: unknown }>(CLAIM, values);
    const published: string[] = [];
    for (const row of rows) {
      await this.#redis.call('XADD', this.#key, '*', 'payload', JSON.stringify(row.message));
      published.push(row.id);
    }
    if (published.length > 0) await this.#pool.query(MARK_PUBLISHED, [published, this.#owner]);
    return rows.length;
  }
}

async function connectRedis(url: string, name: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectionName: name,
    maxRetriesPerRequest: 1,
  });
  redis.on('error', () => undefined); // failures surface as rejected commands
  await redis.connect();
  return redis;
}

/**
 * The hand-written pipeline on a run's fresh stores, its tables created. Two pools of
 * `POOL_SIZE` (commands and projection transactions; the relay), as protean-ts has its
 * database's pool and the outbox's; one Redis connection for XADD and XACK, one for blocking reads.
 *
 * @example
 * const pipeline = await openBaseline({ databaseUrl, redisUrl, keyPrefix });
 */
export const openBaseline: OpenPipeline = async (env: RunEnv) => {
  const pool = new pg.Pool({ connectionString: env.databaseUrl, max: POOL_SIZE });
  const relayPool = new pg.Pool({ connectionString: env.databaseUrl, max: POOL_SIZE });
  const setup = await pool.connect();
  try {
    for (const statement of SCHEMA) await setup.query(statement);
  } finally {
    setup.release();
  }
  const main = await connectRedis(env.redisUrl, 'baseline');
  const blocking = await connectRedis(env.redisUrl, 'baseline-blocking');
  const key = `${env.keyPrefix}${CATEGORY}`;
  const relay = new Relay(relayPool, main, key);
  const consumer = new Consumer({ pool, main, blocking, key });
  let started = false;
  return {
    async start() {
      await consumer.open();
      relay.start();
      consumer.start();
      started = true;
    },
    deposit: (input) => deposit(pool, input),
    async close() {
      try {
        if (started) {
          const [relayed, consumed] = await Promise.allSettled([relay.close(), consumer.close()]);
          for (const outcome of [relayed, consumed])
            if (outcome.status === 'rejected') throw outcome.reason;
        }
      } finally {
        blocking.disconnect();
        await main.quit().catch(() => undefined);
        await Promise.allSettled([pool.end(), relayPool.end()]);
      }
    },
  };
};
