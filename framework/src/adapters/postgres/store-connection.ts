/**
 * The connection of the PostgreSQL stores that live in the aggregates' database (the outbox and
 * the idempotency store): a pool opened on `start()`, joining a database session's transaction,
 * and the table chores both need.
 */
import type { Pool } from 'pg';
import { IncorrectUsageError } from '../../core/errors.js';
import type { TransactionLink } from '../../ports/database.js';
import { defaultLogger } from '../../ports/logger.js';
import { quoteIdentifier } from './identifiers.js';
import { canJoin, connectionSettings, createPool, databaseIdentity } from './pool.js';
import type { ConnectionSettings, Queryable } from './pool.js';
import { transaction } from './session.js';

/** Settings of a PostgreSQL store: the keys of `[databases.default]` it reads. */
export interface PostgresStoreSettings {
  /** `postgresql://user@host:port/dbname` */
  readonly database_uri: string;
  /** Connections in the pool. @defaultValue 10 */
  readonly pool_size?: number | undefined;
}

/** The settings table the stores are built from, named in their settings errors. */
const SETTINGS_KEY = 'databases.default';

/**
 * A lazily created `pg` pool plus what joining a transaction needs. `label` names the store in
 * its messages (`The PostgreSQL outbox is not started`).
 */
export class PostgresConnection {
  readonly resource: string;
  readonly #settings: ConnectionSettings;
  readonly #label: string;
  #pool: Pool | undefined;

  constructor(settings: PostgresStoreSettings, label: string) {
    this.#settings = connectionSettings(settings, SETTINGS_KEY);
    this.#label = label;
    this.resource = databaseIdentity(this.#settings.database_uri);
  }

  async start(): Promise<void> {
    if (this.#pool) return;
    this.#pool = await createPool(this.#settings, defaultLogger(), this.#label);
  }

  async close(): Promise<void> {
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.end();
  }

  /** The pool; throws when `start()` has not run. */
  pool(): Pool {
    if (this.#pool) return this.#pool;
    throw new IncorrectUsageError(`${this.#label} is not started: call start() before using it.`);
  }

  /** Whether `link` is a transaction on this same database. */
  canJoin(link: TransactionLink): boolean {
    return canJoin(link, this.resource);
  }

  /** The client of `link` when it can be joined, the pool (autocommit) otherwise. */
  on(link: TransactionLink | undefined): Queryable {
    if (canJoin(link, this.resource)) return link.handle as Queryable;
    return this.pool();
  }

  /**
   * Creates `table` with `statements` (each idempotent) in one transaction, serialized with other
   * setups of the table by an advisory lock named after it.
   */
  async setup(table: string, statements: readonly string[]): Promise<void> {
    await transaction(this.pool(), async (client) => {
      await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [table]);
      for (const statement of statements) await client.query(statement);
    });
  }

  /** Whether the table exists (in the search path). */
  async exists(table: string): Promise<boolean> {
    const { rows } = await this.pool().query<{ found: string | null }>(
      'SELECT to_regclass($1) AS found',
      [quoteIdentifier(table)],
    );
    return rows[0]?.found != null;
  }

  /**
   * Runs a `DELETE ... LIMIT $n` statement until it deletes fewer than `batchSize` rows (so no
   * single statement holds many row locks); answers how many rows it deleted in all.
   */
  async deleteInBatches(text: string, values: unknown[], batchSize: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const count = (await this.pool().query(text, values)).rowCount ?? 0;
      deleted += count;
      if (count < batchSize) return deleted;
    }
  }
}
