/**
 * The baseline's consumer: one consumer of group `BalanceProjector` on the category stream, with
 * the engine's group semantics on the happy path: XAUTOCLAIM of idle entries at start and every
 * `claim_idle_ms / 2`, its own pending entries first (id `0`), then `XREADGROUP ... BLOCK` for new
 * ones on a connection of its own; each entry applied in one transaction (idempotency marker
 * `ON CONFLICT DO NOTHING`, then the projection upsert, only when the marker is new), then XACKed.
 * It has no retry or dead-letter path: a failure stops it, and the run fails.
 */
import { hostname } from 'node:os';
import process from 'node:process';
import type { Redis } from 'ioredis';
import type pg from 'pg';
import { MARK_APPLIED, UPSERT_BALANCE } from './baseline-sql.js';
import { DEPOSITED_TYPE, PROJECTOR, STREAM } from './workload.js';

type Entry = [id: string, fields: string[] | null];

/** The part of an envelope the projection needs. */
interface Deposited {
  readonly id: string;
  readonly type: string;
  readonly data: {
    readonly accountId: string;
    readonly depositId: string;
    readonly amount: number;
  };
}

/**
 * The entries of an XREADGROUP reply on one stream: `[[key, entries]]` over RESP2, `[key, entries]`
 * over RESP3 (a map, which ioredis flattens), `null` when nothing came.
 */
function entriesOf(reply: unknown): Entry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const entries: unknown = typeof reply[0] === 'string' ? reply[1] : (reply[0] as unknown[])[1];
  return (entries ?? []) as Entry[];
}

function depositedOf(fields: readonly string[]): Deposited {
  const message = JSON.parse(fields[1] ?? 'null') as Deposited | null;
  const data = message?.data;
  if (
    message?.type !== DEPOSITED_TYPE ||
    typeof message.id !== 'string' ||
    typeof data?.accountId !== 'string' ||
    typeof data.depositId !== 'string' ||
    !Number.isInteger(data.amount)
  ) {
    throw new Error(`baseline consumer: not a Deposited envelope: ${fields.join(' ')}`);
  }
  return message;
}

/** What a {@link Consumer} works with. */
export interface ConsumerInit {
  /** Commands and projection transactions share this pool, as in protean-ts. */
  readonly pool: pg.Pool;
  /** XACK and XAUTOCLAIM (shared with the relay's XADD). */
  readonly main: Redis;
  /** XREADGROUP ... BLOCK only. */
  readonly blocking: Redis;
  /** The stream's Redis key (key prefix + category). */
  readonly key: string;
}

/**
 * @example
 * const consumer = new Consumer({ pool, main, blocking, key });
 * await consumer.open(); // XGROUP CREATE ... MKSTREAM
 * consumer.start();
 * await consumer.close();
 */
export class Consumer {
  readonly #init: ConsumerInit;
  readonly #name = `${PROJECTOR}-${hostname()}-${process.pid}`;
  #stopping = false;
  #loop: Promise<void> | undefined;
  #lastClaim = 0;

  constructor(init: ConsumerInit) {
    this.#init = init;
  }

  /** Creates the consumer group from the start of the stream (or joins it). */
  async open(): Promise<void> {
    const { main, key } = this.#init;
    try {
      await main.call('XGROUP', 'CREATE', key, PROJECTOR, '0', 'MKSTREAM');
    } catch (error) {
      if (!(error instanceof Error && error.message.startsWith('BUSYGROUP'))) throw error;
    }
  }

  start(): void {
    this.#loop = this.#run();
    this.#loop.catch(() => undefined); // close() rethrows it
  }

  /** Stops reading (dropping the blocked read), waits for the entry in hand; rethrows a failure. */
  async close(): Promise<void> {
    this.#stopping = true;
    this.#init.blocking.disconnect();
    await this.#loop;
  }

  async #run(): Promise<void> {
    await this.#claimIdle();
    await this.#consume(await this.#read('0', 0));
    while (!this.#stopping) {
      if (Date.now() - this.#lastClaim >= STREAM.claimIdleMs / 2) await this.#claimIdle();
      let entries: Entry[];
      try {
        entries = await this.#read('>', STREAM.blockMs);
      } catch (error) {
        if (this.#stopping) return;
        throw error;
      }
      await this.#consume(entries);
    }
  }

  async #read(from: '0' | '>', blockMs: number): Promise<Entry[]> {
    const { main, blocking, key } = this.#init;
    const args: (string | number)[] = ['GROUP', PROJECTOR, this.#name];
    args.push('COUNT', STREAM.messagesPerTick);
    if (blockMs > 0) args.push('BLOCK', blockMs);
    args.push('STREAMS', key, from);
    const connection = blockMs > 0 ? blocking : main;
    return entriesOf(await connection.call('XREADGROUP', ...args));
  }

  async #claimIdle(): Promise<void> {
    const { main, key } = this.#init;
    this.#lastClaim = Date.now();
    const [, entries] = (await main.call(
      'XAUTOCLAIM',
      key,
      PROJECTOR,
      this.#name,
      STREAM.claimIdleMs,
      '0-0',
      'COUNT',
      STREAM.messagesPerTick,
    )) as [string, Entry[]];
    await this.#consume(entries);
  }

  async #consume(entries: readonly Entry[]): Promise<void> {
    for (const [id, fields] of entries) {
      if (fields) await this.#apply(depositedOf(fields));
      await this.#init.main.call('XACK', this.#init.key, PROJECTOR, id);
    }
  }

  async #apply({ id, data }: Deposited): Promise<void> {
    const client = await this.#init.pool.connect();
    try {
      await client.query('BEGIN');
      const marked = await client.query(MARK_APPLIED, [id, PROJECTOR]);
      if (marked.rowCount === 1) {
        await client.query(UPSERT_BALANCE, [data.accountId, data.amount, data.depositId]);
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}
