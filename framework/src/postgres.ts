/**
 * `protean-ts/postgres`: the PostgreSQL adapters. Domains configured with
 * `provider = "postgresql"` load them on their own; import this entry to build one by hand or to
 * use its errors and helpers. Needs the `pg` package.
 */
export { createPostgresDatabase } from './adapters/postgres/database.js';
export type { PostgresDatabase, PostgresDatabaseOptions } from './adapters/postgres/database.js';
export { createPostgresEventStore } from './adapters/postgres/event-store.js';
export type { PostgresEventStoreSettings } from './adapters/postgres/event-store.js';
export { createPostgresOutbox, OUTBOX_TABLE } from './adapters/postgres/outbox.js';
export {
  createPostgresIdempotencyStore,
  IDEMPOTENCY_TABLE,
} from './adapters/postgres/idempotency.js';
export { DatabaseError, isConnectionError } from './adapters/postgres/errors.js';
export type { DatabaseErrorCode } from './adapters/postgres/errors.js';
export { databaseIdentity, redactUri } from './adapters/postgres/pool.js';
export type { ConnectionSettings, PostgresSettings } from './adapters/postgres/pool.js';
