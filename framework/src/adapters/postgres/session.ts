/**
 * Transactions on PostgreSQL: a session holds one pooled client between `BEGIN` and
 * `COMMIT`/`ROLLBACK`, runs every record operation on it, and lends it to the event store and
 * outbox through its `TransactionLink`. Autocommit operations run on the pool.
 */
import type { Pool, PoolClient } from 'pg';
import { IncorrectUsageError } from '../../core/errors.js';
import type { ProteanError } from '../../core/errors.js';
import type { DatabaseSession, RecordStore, TransactionLink } from '../../ports/database.js';
import { DatabaseError, databaseError } from './errors.js';
import { CheckedOutClient } from './pool.js';
import type { Queryable } from './pool.js';
import type { Executor } from './sql-records.js';

/** Makes the record store of a kind on an executor (the provider knows the tables). */
export type StoreFactory = (kind: string, executor: Executor) => RecordStore;

/** Checks a client out of the pool, failing with a clear error when none can be had. */
async function checkOut(pool: Pool, server: string, operation: string): Promise<CheckedOutClient> {
  try {
    return new CheckedOutClient(await pool.connect());
  } catch (error) {
    throw databaseError(error, { server, operation });
  }
}

/**
 * Runs `work` between `BEGIN` and `COMMIT` on a client of `pool`, rolling back when it throws,
 * and rethrows what it threw unchanged (the caller translates it). The client goes back to the
 * pool either way, destroyed if it broke. Every PostgreSQL adapter runs its own transactions so.
 */
export async function transaction<T>(
  pool: Pool,
  work: (client: PoolClient) => Promise<T>,
): Promise<T> {
  const held = new CheckedOutClient(await pool.connect());
  try {
    await held.client.query('BEGIN');
    const result = await work(held.client);
    await held.client.query('COMMIT');
    return result;
  } catch (error) {
    held.noteFailure(error);
    if (!held.broken) await held.client.query('ROLLBACK').catch((e: unknown) => held.discard(e));
    throw error;
  } finally {
    held.release();
  }
}

/**
 * {@link transaction}, with what fails turned into a protean-ts error naming the operation and
 * the server.
 */
export async function inTransaction<T>(
  pool: Pool,
  server: string,
  operation: string,
  work: (db: Queryable) => Promise<T>,
): Promise<T> {
  try {
    return await transaction(pool, work);
  } catch (error) {
    throw databaseError(error, { server, operation });
  }
}

/**
 * Autocommit access: each operation on whichever pooled connection is free, in a transaction of
 * its own when it writes several statements.
 */
export class PoolExecutor implements Executor {
  readonly #pool: Pool;
  readonly #server: string;

  constructor(pool: Pool, server: string) {
    this.#pool = pool;
    this.#server = server;
  }

  async run<T>(operation: string, work: (db: Queryable) => Promise<T>, atomic = false) {
    if (atomic) return inTransaction(this.#pool, this.#server, operation, work);
    try {
      return await work(this.#pool);
    } catch (error) {
      throw databaseError(error, { server: this.#server, operation });
    }
  }
}

/** What a session needs from its provider. */
export interface SessionOptions {
  readonly pool: Pool;
  /** The database identity (`host:port/database`), also the link's `resource`. */
  readonly server: string;
  readonly stores: StoreFactory;
  /** Told when the session has ended and its client is back in the pool. */
  readonly onEnd?: (session: PostgresSession) => void;
}

/**
 * One PostgreSQL transaction. Reads see its own writes; a write to a row another open session
 * changed waits for that session (up to `lock_timeout_ms`) and then fails its version check.
 */
export class PostgresSession implements DatabaseSession, Executor {
  readonly #held: CheckedOutClient;
  readonly #server: string;
  readonly #stores: StoreFactory;
  readonly #onEnd: ((session: PostgresSession) => void) | undefined;
  #ended: 'commit' | 'rollback' | undefined;
  readonly link: TransactionLink;

  private constructor(held: CheckedOutClient, options: SessionOptions) {
    this.#held = held;
    this.#server = options.server;
    this.#stores = options.stores;
    this.#onEnd = options.onEnd;
    this.link = { technology: 'postgresql', resource: options.server, handle: held.client };
  }

  /** Checks out a client and opens a transaction on it. */
  static async begin(options: SessionOptions): Promise<PostgresSession> {
    const held = await checkOut(options.pool, options.server, 'begin');
    try {
      await held.client.query('BEGIN');
    } catch (error) {
      held.discard(error);
      held.release();
      throw databaseError(error, { server: options.server, operation: 'begin' });
    }
    return new PostgresSession(held, options);
  }

  records(kind: string): RecordStore {
    return this.#stores(kind, this);
  }

  async run<T>(operation: string, work: (db: Queryable) => Promise<T>): Promise<T> {
    this.#requireOpen(operation.split(' ')[0] ?? operation);
    try {
      return await work(this.#held.client);
    } catch (error) {
      this.#held.noteFailure(error);
      throw databaseError(error, { server: this.#server, operation });
    }
  }

  async commit(): Promise<void> {
    this.#requireOpen('commit');
    this.#ended = 'commit';
    let command: string;
    try {
      ({ command } = await this.#held.client.query('COMMIT'));
    } catch (error) {
      this.#held.discard(error);
      throw databaseError(error, { server: this.#server, operation: 'commit' });
    } finally {
      this.#release();
    }
    // PostgreSQL answers COMMIT of a failed transaction with ROLLBACK, not with an error.
    if (command === 'ROLLBACK') throw this.#abortedCommit();
  }

  /** Rolls back; never throws (a failed ROLLBACK discards the connection, which ends it too). */
  async rollback(): Promise<void> {
    if (this.#ended) return;
    this.#ended = 'rollback';
    try {
      if (!this.#held.broken) await this.#held.client.query('ROLLBACK');
    } catch (error) {
      this.#held.discard(error);
    } finally {
      this.#release();
    }
  }

  #release(): void {
    this.#held.release();
    this.#onEnd?.(this);
  }

  #abortedCommit(): ProteanError {
    return new DatabaseError(
      'DATABASE_TRANSACTION_ABORTED',
      `commit on PostgreSQL at ${this.#server} rolled back instead: a statement of this ` +
        'transaction had failed, so nothing it wrote was stored; handle that failure (or ' +
        'roll back) and start a new unit of work.',
    );
  }

  /** Refuses any use once the session has ended: its client is back in the pool. */
  #requireOpen(action: string): void {
    if (this.#ended)
      throw new IncorrectUsageError(
        `this database session has ended (${this.#ended}()); ${action}() needs a new one: begin()`,
      );
  }
}
