import { checkMarker, markerCleanupOptions } from '../../ports/checks/idempotency.js';
import type { IdempotencyStore } from '../../ports/idempotency.js';
import { quoteIdentifier } from './identifiers.js';
import { PostgresConnection, type PostgresStoreSettings } from './store-connection.js';

/** The markers table's name. */
export const IDEMPOTENCY_TABLE = 'protean_idempotency';

/** `$1` is the caller's clock, or NULL for the server's. */
const NOW = 'COALESCE($1::timestamptz, now())';

const schema = (t: string): string[] => [
  `CREATE TABLE IF NOT EXISTS ${t} (
    message_id text NOT NULL,
    handler text NOT NULL,
    marked_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, handler)
  )`,
  `CREATE INDEX IF NOT EXISTS "${IDEMPOTENCY_TABLE}_marked_at_idx" ON ${t} (marked_at)`,
];

/**
 * A concurrent transaction inserting the same key waits on the primary key until this one ends,
 * then inserts (it rolled back) or does nothing (it committed).
 */
const mark = (t: string): string =>
  `INSERT INTO ${t} (message_id, handler, marked_at) VALUES ($2, $3, ${NOW})
   ON CONFLICT DO NOTHING`;

const has = (t: string): string => `SELECT 1 FROM ${t} WHERE message_id = $1 AND handler = $2`;

/** `$2`: retention hours, `$3`: batch size. */
const cleanupBatch = (t: string): string =>
  `DELETE FROM ${t} WHERE ctid = ANY(ARRAY(
     SELECT ctid FROM ${t}
     WHERE marked_at < ${NOW} - $2::float8 * interval '1 hour'
     LIMIT $3
     FOR UPDATE SKIP LOCKED
   ))`;

/**
 * The PostgreSQL idempotency store: one table, `protean_idempotency`, primary key
 * `(message_id, handler)`, created by `setup()`. `mark()` inserts on the client of the handler's
 * transaction when `canJoin(link)`, so the marker commits with the effect or not at all.
 * `pg` is loaded on `start()`.
 *
 * @example
 * const markers = createPostgresIdempotencyStore({ database_uri });
 * await markers.start();
 * await markers.setup?.();
 * const first = await markers.mark(message.id, 'BookProjector', { transaction: session.link });
 */
export function createPostgresIdempotencyStore(settings: PostgresStoreSettings): IdempotencyStore {
  const connection = new PostgresConnection(settings, 'The PostgreSQL idempotency store');
  const t = quoteIdentifier(IDEMPOTENCY_TABLE);
  return {
    provider: 'postgresql',
    start: () => connection.start(),
    close: () => connection.close(),
    setup: () => connection.setup(IDEMPOTENCY_TABLE, schema(t)),
    async truncate() {
      if (await connection.exists(IDEMPOTENCY_TABLE))
        await connection.pool().query(`TRUNCATE ${t}`);
    },
    async drop() {
      await connection.pool().query(`DROP TABLE IF EXISTS ${t}`);
    },
    canJoin: (link) => connection.canJoin(link),
    async mark(messageId, handler, options = {}) {
      checkMarker(messageId, handler);
      const values = [options.now ?? null, messageId, handler];
      const { rowCount } = await connection.on(options.transaction).query(mark(t), values);
      return rowCount === 1;
    },
    async has(messageId, handler, options = {}) {
      checkMarker(messageId, handler);
      const client = connection.on(options.transaction);
      return ((await client.query(has(t), [messageId, handler])).rowCount ?? 0) > 0;
    },
    async cleanup(options) {
      const { retentionHours, batchSize, now } = markerCleanupOptions(options);
      const values = [now ?? null, retentionHours, batchSize];
      return connection.deleteInBatches(cleanupBatch(t), values, batchSize);
    },
  };
}
