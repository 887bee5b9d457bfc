/**
 * The `postgresql` database provider: aggregates and projections in tables derived from their
 * declarations, optimistic concurrency on a version column, and sessions that are PostgreSQL
 * transactions the event store and outbox can join.
 */
import type { Pool } from 'pg';
import { IncorrectUsageError } from '../../core/errors.js';
import type {
  DatabaseProvider,
  DatabaseSession,
  KindSchema,
  RecordStore,
} from '../../ports/database.js';
import { defaultLogger } from '../../ports/logger.js';
import type { Logger } from '../../ports/logger.js';
import type { ProviderSettings } from '../../ports/registry.js';
import { DatabaseError } from './errors.js';
import { pingPool } from './ping.js';
import { createPool, databaseIdentity, postgresSettings, redactUri } from './pool.js';
import type { PostgresSettings } from './pool.js';
import { deriveTables, documentTable } from './schema.js';
import type { TableSchema } from './schema.js';
import { createSql, dropSql, tableNames, truncateSql } from './schema-ddl.js';
import { SqlRecords } from './sql-records.js';
import type { Executor } from './sql-records.js';
import { inTransaction, PoolExecutor, PostgresSession } from './session.js';

/** Options of {@link createPostgresDatabase} that are not domain.toml settings. */
export interface PostgresDatabaseOptions {
  /**
   * What `records(kind)` does for a kind the domain did not declare: `refuse` it with
   * `IncorrectUsageError`, or keep its records in a `jsonb` table of their own, created on first
   * use (id, version, data). The second serves tests and tools that store free-form kinds.
   * @defaultValue 'refuse'
   */
  readonly undeclaredKinds?: 'refuse' | 'jsonb';
  /** Where warnings go (a failed idle connection). @defaultValue the default logger */
  readonly logger?: Logger;
}

/** The PostgreSQL provider, with what other PostgreSQL adapters need to join its transactions. */
export interface PostgresDatabase extends Required<Pick<DatabaseProvider, 'declare'>> {
  readonly provider: 'postgresql';
  /** The database identity `host:port/database`, equal to its sessions' `link.resource`. */
  readonly resource: string;
}

/** The lock that serialises schema changes of concurrent `setup()` calls. */
const SCHEMA_LOCK = 'protean-ts:schema';

class PostgresDatabaseProvider implements DatabaseProvider, PostgresDatabase {
  readonly provider = 'postgresql' as const;
  readonly resource: string;
  readonly #pool: Pool;
  readonly #settings: PostgresSettings;
  readonly #options: PostgresDatabaseOptions;
  readonly #autocommit: PoolExecutor;
  #kinds: KindSchema[] = [];
  #tables = new Map<string, TableSchema>();
  /** Document tables of undeclared kinds: created once, on first use. */
  readonly #documents = new Map<string, { table: TableSchema; ready?: Promise<void> }>();
  /** Sessions not yet ended: close() rolls them back so that ending the pool cannot hang. */
  readonly #open = new Set<PostgresSession>();
  #closed = false;

  constructor(pool: Pool, settings: PostgresSettings, options: PostgresDatabaseOptions) {
    this.#pool = pool;
    this.#settings = settings;
    this.#options = options;
    this.resource = databaseIdentity(settings.database_uri);
    this.#autocommit = new PoolExecutor(pool, this.resource);
  }

  declare(kinds: readonly KindSchema[]): void {
    const merged = new Map(this.#kinds.map((kind) => [kind.kind, kind]));
    for (const kind of kinds) merged.set(kind.kind, kind);
    this.#tables = deriveTables([...merged.values()]);
    this.#kinds = [...merged.values()];
  }

  async start(): Promise<void> {
    if (this.#closed)
      throw new IncorrectUsageError('this PostgreSQL database was closed; create a new one');
    try {
      await this.#pool.query('SELECT 1');
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new DatabaseError(
        'DATABASE_UNAVAILABLE',
        `cannot connect to PostgreSQL at ${redactUri(this.#settings.database_uri)}: ${reason}. ` +
          'Check that the server is running and that database_uri names the right host, port, ' +
          'database and credentials.',
        error,
      );
    }
  }

  async ping(): Promise<void> {
    if (this.#closed)
      throw new IncorrectUsageError(
        'this PostgreSQL database is closed: ping() was called after close(); create a new one',
      );
    await pingPool(this.#pool, { server: this.resource, operation: 'ping of the database' });
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await Promise.allSettled([...this.#open].map((session) => session.rollback()));
    await this.#pool.end();
  }

  records(kind: string): RecordStore {
    return this.#store(kind, this.#autocommit);
  }

  async begin(): Promise<DatabaseSession> {
    if (this.#closed) throw new IncorrectUsageError('begin() on a closed PostgreSQL database');
    const stores = (kind: string, executor: Executor) => this.#store(kind, executor);
    const onEnd = (session: PostgresSession) => this.#open.delete(session);
    const session = await PostgresSession.begin({
      pool: this.#pool,
      server: this.resource,
      stores,
      onEnd,
    });
    this.#open.add(session);
    return session;
  }

  async setup(): Promise<void> {
    const statements = [...this.#allTables()].flatMap(createSql);
    await inTransaction(this.#pool, this.resource, 'setup', async (db) => {
      await db.query('SELECT pg_advisory_xact_lock(hashtext($1))', [SCHEMA_LOCK]);
      for (const statement of statements) await db.query(statement);
    });
  }

  async truncate(): Promise<void> {
    const existing = await this.#existingTables();
    const statement = truncateSql(existing);
    if (statement) await this.#autocommit.run('truncate', (db) => db.query(statement));
  }

  async drop(): Promise<void> {
    const statement = dropSql(tableNames(this.#allTables()));
    if (statement) await this.#autocommit.run('drop', (db) => db.query(statement));
    for (const document of this.#documents.values()) delete document.ready;
  }

  #allTables(): TableSchema[] {
    return [...this.#tables.values(), ...[...this.#documents.values()].map((d) => d.table)];
  }

  /** The owned tables that exist now (truncate must not fail on a table never set up). */
  async #existingTables(): Promise<string[]> {
    const names = tableNames(this.#allTables());
    return this.#autocommit.run('truncate', async (db) => {
      const { rows } = await db.query(
        'SELECT name FROM unnest($1::text[]) AS name WHERE to_regclass(quote_ident(name)) IS NOT NULL',
        [names],
      );
      return (rows as { name: string }[]).map((row) => row.name);
    });
  }

  #store(kind: string, executor: Executor): RecordStore {
    const declared = this.#tables.get(kind);
    const committedVersion = (id: string) => this.#committedVersion(kind, id);
    if (declared)
      return new SqlRecords({ table: declared, ready: async () => {}, committedVersion }, executor);
    const document = this.#document(kind);
    const ready = () => (document.ready ??= this.#createDocumentTable(document));
    return new SqlRecords({ table: document.table, ready, committedVersion }, executor);
  }

  #document(kind: string): { table: TableSchema; ready?: Promise<void> } {
    let document = this.#documents.get(kind);
    if (document) return document;
    if (this.#options.undeclaredKinds !== 'jsonb') {
      const known = [...this.#tables.keys()].join(', ') || 'none';
      throw new IncorrectUsageError(
        `kind "${kind}" is not declared on this PostgreSQL database, so it has no table: it must ` +
          'be declared on the domain (register its aggregate or projection before ' +
          `domain.init()). Declared kinds: ${known}.`,
      );
    }
    const table = documentTable(kind);
    if (tableNames(this.#tables.values()).includes(table.name))
      throw new IncorrectUsageError(
        `kind "${kind}" would share table "${table.name}" with a declared kind`,
      );
    this.#documents.set(kind, (document = { table }));
    return document;
  }

  /** Creates a document table on a connection of its own, so no session's rollback undoes it. */
  async #createDocumentTable(document: { table: TableSchema; ready?: Promise<void> }) {
    const operation = `creating the table of kind "${document.table.kind}"`;
    const [statement] = createSql(document.table);
    try {
      await this.#autocommit.run(operation, (db) => db.query(statement ?? ''));
    } catch (error) {
      delete document.ready; // the next use tries again
      throw error;
    }
  }

  async #committedVersion(kind: string, id: string): Promise<number> {
    const found = await this.#store(kind, this.#autocommit).get(id);
    return found?.version ?? 0;
  }
}

/**
 * Creates the `postgresql` database provider from its `[databases.<name>]` settings
 * (`database_uri`, `pool_size` = 10, `connect_timeout_ms` = 10000, `lock_timeout_ms` = 10000).
 * Loads `pg` here, lazily. `declare()` the kinds, `start()`, then `setup()` creates the tables.
 * `ping()` runs `SELECT 1` and rejects when no answer comes within 5 s (`PING_TIMEOUT_MS`).
 *
 * @example
 * const db = await createPostgresDatabase({
 *   provider: 'postgresql',
 *   database_uri: 'postgresql://postgres@127.0.0.1:5432/bookshelf',
 *   pool_size: 5,
 * });
 * db.declare(kinds);
 * await db.start();
 * await db.setup?.();
 */
export async function createPostgresDatabase(
  settings: ProviderSettings,
  options: PostgresDatabaseOptions = {},
): Promise<DatabaseProvider & PostgresDatabase> {
  const checked = postgresSettings(settings);
  const pool = await createPool(checked, options.logger ?? defaultLogger());
  return new PostgresDatabaseProvider(pool, checked, options);
}
