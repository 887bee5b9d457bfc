/**
 * The PostgreSQL event store: the `EventStore` port on a message-store table of our own
 * (`message-store-schema.ts`), appends in `event-store-append.ts`. `pg` is loaded when the store
 * is built, so nothing else of protean-ts needs it installed.
 */
import type { ClientBase, Pool, QueryResultRow } from 'pg';
import { IncorrectUsageError } from '../../core/errors.js';
import { defaultLogger } from '../../ports/logger.js';
import type { TransactionLink } from '../../ports/database.js';
import { readCategoryOptions, readStreamOptions } from '../../ports/checks/event-store.js';
import type {
  AppendResult,
  EventStore,
  StoredMessage,
  StreamAppend,
} from '../../ports/event-store.js';
import { appendOn, prepareAppends } from './event-store-append.js';
import { translateError } from './event-store-errors.js';
import {
  DROP_STATEMENT,
  MESSAGES_TABLE,
  SELECT_COLUMNS,
  SETUP_STATEMENTS,
  toStoredMessage,
  TRUNCATE_STATEMENT,
} from './message-store-schema.js';
import type { MessageRow } from './message-store-schema.js';
import { pingPool } from './ping.js';
import { canJoin, connectionSettings, createPool, databaseIdentity } from './pool.js';
import type { ConnectionSettings } from './pool.js';
import { transaction } from './session.js';

/** The `[event_store]` table for `provider = "postgresql"`. */
export interface PostgresEventStoreSettings {
  readonly provider: string;
  /** Connection string, e.g. `postgresql://postgres@127.0.0.1:5432/bookshelf`. */
  readonly database_uri?: unknown;
  /**
   * Connections in the store's own pool (joined transactions use the caller's connection).
   * @defaultValue 10
   */
  readonly pool_size?: unknown;
  readonly [key: string]: unknown;
}

const READ_STREAM_SQL = `
SELECT ${SELECT_COLUMNS} FROM ${MESSAGES_TABLE}
WHERE stream_name = $1 AND position >= $2 ORDER BY position LIMIT $3`;

const READ_CATEGORY_SQL = `
SELECT ${SELECT_COLUMNS} FROM ${MESSAGES_TABLE}
WHERE category = $1 AND global_position >= $2 ORDER BY global_position LIMIT $3`;

const VERSION_SQL = `SELECT max(position) AS version FROM ${MESSAGES_TABLE} WHERE stream_name = $1`;

const READ_LAST_SQL = `
SELECT ${SELECT_COLUMNS} FROM ${MESSAGES_TABLE}
WHERE stream_name = $1 ORDER BY position DESC LIMIT 1`;

/** The store's state: its settings and, between first use and `close()`, its pool. */
class PostgresEventStoreState {
  #pool: Promise<Pool> | undefined;
  /** Between close() and the next start(): ping() must not answer from a pool opened anew. */
  #closed = false;
  /** The database's {@link databaseIdentity}: the transactions the store joins, its errors. */
  readonly resource: string;

  constructor(readonly settings: ConnectionSettings) {
    this.resource = databaseIdentity(settings.database_uri);
  }

  /** The pool; `pg` is imported on first use, and only then. */
  pool(): Promise<Pool> {
    this.#pool ??= createPool(this.settings, defaultLogger(), 'the postgresql event store');
    return this.#pool;
  }

  async start(): Promise<void> {
    this.#closed = false;
    await this.query('start of the event store', 'SELECT 1', []);
  }

  async close(): Promise<void> {
    this.#closed = true;
    const pool = this.#pool;
    this.#pool = undefined;
    await (await pool)?.end();
  }

  /** `SELECT 1`, bounded in time; refused after `close()` until the next `start()`. */
  async ping(): Promise<void> {
    if (this.#closed) {
      throw new IncorrectUsageError(
        'the PostgreSQL event store is closed: ping() was called after close(); call start() first.',
      );
    }
    const pool = await this.pool();
    await pingPool(pool, { server: this.resource, operation: 'ping of the event store' });
  }

  /** Runs `work`, turning what it throws into protean-ts errors naming `operation`. */
  async run<T>(operation: string, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      throw translateError(error, this.resource, operation);
    }
  }

  async query<R extends QueryResultRow>(operation: string, sql: string, values: unknown[]) {
    const pool = await this.pool();
    return this.run(operation, async () => (await pool.query<R>(sql, values)).rows);
  }

  async statements(operation: string, statements: readonly string[]): Promise<void> {
    const pool = await this.pool();
    await this.run(operation, () =>
      transaction(pool, async (client) => {
        for (const statement of statements) await client.query(statement);
      }),
    );
  }

  async append(appends: readonly StreamAppend[], link?: TransactionLink): Promise<AppendResult[]> {
    const batch = prepareAppends(appends);
    const operation = `append to ${batch.map(({ stream }) => `'${stream}'`).join(', ')}`;
    if (canJoin(link, this.resource)) {
      const joined = link.handle as ClientBase;
      return this.run(operation, () => appendOn(joined, batch));
    }
    const pool = await this.pool();
    return this.run(operation, () => transaction(pool, (client) => appendOn(client, batch)));
  }
}

/**
 * The PostgreSQL event store (`provider = "postgresql"` in `[event_store]`). Messages live in the
 * table `protean_messages` (create it with `protean db setup`, or `setup()`). Appends check
 * expected versions under a per-category lock, so concurrent appends to a stream are serialized
 * and a category reader never skips a message that commits late. `appendBatch` joins the caller's
 * transaction when given a PostgreSQL `TransactionLink` on the same database (same host, port and
 * database name), and otherwise runs in a transaction of its own. `ping()` runs `SELECT 1` and
 * rejects when no answer comes within 5 s (`PING_TIMEOUT_MS`).
 *
 * @example
 * const store = await createPostgresEventStore({
 *   provider: 'postgresql',
 *   database_uri: 'postgresql://postgres@127.0.0.1:5432/bookshelf',
 * });
 * await store.setup?.();
 * await store.append('bookshelf::book-42', [bookAdded], { expectedVersion: 'no_stream' });
 * const batch = await store.readCategory('bookshelf::book', { fromGlobalPosition: 1 });
 * await store.close();
 */
export async function createPostgresEventStore(
  settings: PostgresEventStoreSettings,
): Promise<EventStore> {
  const state = new PostgresEventStoreState(connectionSettings(settings, 'event_store'));
  await state.pool(); // loads `pg` now: a missing driver fails where the store is built
  return {
    provider: 'postgresql',
    capabilities: { atomicBatch: true },
    start: () => state.start(),
    close: () => state.close(),
    ping: () => state.ping(),
    setup: () => state.statements('event store setup', SETUP_STATEMENTS),
    truncate: () => state.statements('event store truncate', [TRUNCATE_STATEMENT]),
    drop: () => state.statements('event store drop', [DROP_STATEMENT]),
    async append(stream, messages, options = {}) {
      const [result] = await state.append([{ ...options, stream, messages }]);
      return result as AppendResult;
    },
    appendBatch: (appends, options = {}) => state.append(appends, options.transaction),
    canJoin: (link) => canJoin(link, state.resource),
    async readStream(stream, options) {
      const { fromPosition, maxCount } = readStreamOptions(options);
      const limit = maxCount === Number.POSITIVE_INFINITY ? null : maxCount;
      const values = [stream, fromPosition, limit];
      const rows = await state.query<MessageRow>(`read of '${stream}'`, READ_STREAM_SQL, values);
      return rows.map(toStoredMessage);
    },
    async readCategory(category, options): Promise<StoredMessage[]> {
      const { fromGlobalPosition, batchSize } = readCategoryOptions(category, options);
      const values = [category, fromGlobalPosition, batchSize];
      const operation = `read of category '${category}'`;
      return (await state.query<MessageRow>(operation, READ_CATEGORY_SQL, values)).map(
        toStoredMessage,
      );
    },
    async streamVersion(stream) {
      const operation = `version of '${stream}'`;
      const rows = await state.query<{ version: number | null }>(operation, VERSION_SQL, [stream]);
      return rows[0]?.version ?? -1;
    },
    async readLast(stream) {
      const operation = `read of the last message of '${stream}'`;
      const [row] = await state.query<MessageRow>(operation, READ_LAST_SQL, [stream]);
      return row && toStoredMessage(row);
    },
  };
}
