/**
 * The connection side shared by every PostgreSQL adapter (database provider, event store, outbox,
 * idempotency store): settings checked once, the driver loaded lazily (so protean-ts works without
 * `pg` installed), the `pg` pool, and the database named without credentials.
 */
import type * as Pg from 'pg';
import type { Pool, PoolClient, QueryResult, QueryResultRow } from 'pg';
import { ConfigurationError } from '../../core/errors.js';
import type { TransactionLink } from '../../ports/database.js';
import type { Logger } from '../../ports/logger.js';
import { isConnectionError } from './errors.js';

/** The keys every PostgreSQL pool reads: where the database is, how many connections. */
export interface ConnectionSettings {
  /** `postgresql://user:password@host:port/database`. */
  readonly database_uri: string;
  /** Connections in the pool. @defaultValue 10 */
  readonly pool_size: number;
}

/** The checked settings of a `postgresql` database (`[databases.<name>]` in domain.toml). */
export interface PostgresSettings extends ConnectionSettings {
  /** How long to wait for a connection before failing; 0 waits forever. @defaultValue 10000 */
  readonly connect_timeout_ms: number;
  /**
   * How long a statement waits for a row lock held by another transaction before failing
   * (PostgreSQL's `lock_timeout`, set on every connection of the pool); 0 waits forever.
   * @defaultValue 10000
   */
  readonly lock_timeout_ms: number;
}

/** A settings table as domain.toml gives it (`[databases.default]`): the keys a pool reads. */
export interface SettingsTable {
  readonly provider?: unknown;
  readonly database_uri?: unknown;
  readonly pool_size?: unknown;
  readonly connect_timeout_ms?: unknown;
  readonly lock_timeout_ms?: unknown;
}

const DEFAULTS = { pool_size: 10, connect_timeout_ms: 10_000, lock_timeout_ms: 10_000 };
const EXAMPLE_URI = 'database_uri = "${DATABASE_URL|postgresql://postgres@127.0.0.1:5432/app}"';

/** A received value for a message: `nothing`, or its JSON (a URI without its password). */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const redact = typeof value === 'string' && URL.canParse(value);
  return JSON.stringify(redact ? redactUri(value) : value);
}

function wholeNumber(
  settings: SettingsTable,
  key: string,
  name: keyof typeof DEFAULTS,
  min: number,
): number {
  const value = settings[name] ?? DEFAULTS[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ConfigurationError(
      `${key}.${name}: must be a whole number >= ${min}, received ${describe(value)}; ` +
        `leave it out for the default (${DEFAULTS[name]}).`,
    );
  }
  return value;
}

/**
 * Checks `database_uri` and `pool_size`, the settings every PostgreSQL pool needs, and fills in
 * the default pool size. `key` is the settings table (`databases.default`, `event_store`): every
 * error names the key it is about, e.g. `event_store.pool_size: must be a whole number >= 1`.
 */
export function connectionSettings(settings: SettingsTable, key: string): ConnectionSettings {
  const uri = settings.database_uri;
  if (typeof uri !== 'string' || uri.trim() === '') {
    throw new ConfigurationError(
      `${key}.database_uri: provider = "postgresql" needs database_uri, received ` +
        `${describe(uri)}; add it to the [${key}] table of domain.toml, e.g. ${EXAMPLE_URI}`,
    );
  }
  if (!/^postgres(ql)?:\/\//.test(uri) || !URL.canParse(uri)) {
    throw new ConfigurationError(
      `${key}.database_uri: must be a postgresql:// URL, received ${describe(uri)}; ` +
        `e.g. ${EXAMPLE_URI}`,
    );
  }
  return { database_uri: uri, pool_size: wholeNumber(settings, key, 'pool_size', 1) };
}

/**
 * Checks the settings of a `postgresql` database and fills in the defaults; errors name
 * `key` (the database's table).
 */
export function postgresSettings(
  settings: SettingsTable,
  key = 'databases.default',
): PostgresSettings {
  return {
    ...connectionSettings(settings, key),
    connect_timeout_ms: wholeNumber(settings, key, 'connect_timeout_ms', 0),
    lock_timeout_ms: wholeNumber(settings, key, 'lock_timeout_ms', 0),
  };
}

/**
 * The URI with its password removed, safe for logs and error messages.
 *
 * @example
 * redactUri('postgresql://app:secret@db:5432/shop'); // 'postgresql://app@db:5432/shop'
 */
export function redactUri(uri: string): string {
  if (!URL.canParse(uri)) return '<unparseable database_uri>';
  const url = new URL(uri);
  url.password = '';
  url.searchParams.delete('password');
  return url.toString();
}

/**
 * Which database a URI points at, without user or password: `host:port/database`. Two adapters
 * share a transaction only when their identities are equal (`TransactionLink.resource`), so
 * spell the host the same way in every URI (`127.0.0.1` and `localhost` are different).
 *
 * @example
 * databaseIdentity('postgresql://app:secret@127.0.0.1/shop'); // '127.0.0.1:5432/shop'
 */
export function databaseIdentity(uri: string): string {
  const url = new URL(uri);
  const host = url.hostname.toLowerCase() || 'localhost';
  const database = decodeURIComponent(url.pathname.slice(1)) || decodeURIComponent(url.username);
  return `${host}:${url.port || '5432'}/${database || 'postgres'}`;
}

/**
 * Whether `link` is a PostgreSQL transaction on the database `resource` (a
 * {@link databaseIdentity}), so that an adapter on that database can run statements in it.
 */
export function canJoin(
  link: TransactionLink | undefined,
  resource: string,
): link is TransactionLink {
  return link?.technology === 'postgresql' && link.resource === resource;
}

/** What runs a statement: the pool, or a checked-out client (a session's, a joined one). */
export interface Queryable {
  query<R extends QueryResultRow = QueryResultRow>(
    text: string,
    values?: unknown[],
  ): Promise<QueryResult<R>>;
}

/** Loads `pg`, or says that `user` needs it and how to install it. */
async function loadPg(user: string): Promise<typeof Pg> {
  try {
    return await import('pg');
  } catch (error) {
    throw new ConfigurationError(
      `${user} needs the "pg" package, which is not installed: ` +
        `run \`npm install pg\` (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/**
 * Opens (lazily) a pool on `settings.database_uri`. An idle connection that fails (the server
 * restarted, `pg_terminate_backend()`) is logged and discarded by the pool instead of crashing
 * the process; the next checkout opens a fresh one. A timeout left out (or 0) waits forever.
 * `user` names who needs `pg` when it is not installed.
 */
export async function createPool(
  settings: ConnectionSettings & Partial<PostgresSettings>,
  logger: Logger,
  user = 'the postgresql database provider',
): Promise<Pool> {
  const pg = await loadPg(user);
  const { connect_timeout_ms: connectTimeout, lock_timeout_ms: lockTimeout } = settings;
  const pool = new pg.Pool({
    connectionString: settings.database_uri,
    max: settings.pool_size,
    application_name: 'protean-ts',
    ...(connectTimeout ? { connectionTimeoutMillis: connectTimeout } : {}),
    ...(lockTimeout ? { lock_timeout: lockTimeout } : {}),
  });
  const server = databaseIdentity(settings.database_uri);
  pool.on('error', (error) => {
    logger.warn(
      `an idle PostgreSQL connection to ${server} failed and was discarded: ${error.message}`,
      { server },
    );
  });
  return pool;
}

/**
 * A checked-out client with its own `error` listener, so that a connection dying while checked
 * out is recorded instead of crashing the process. `release()` hands it back, discarding it when
 * it broke.
 */
export class CheckedOutClient {
  readonly client: PoolClient;
  #broken: Error | undefined;
  readonly #onError = (error: Error) => {
    this.#broken ??= error;
  };

  constructor(client: PoolClient) {
    this.client = client;
    client.on('error', this.#onError);
  }

  /** The error that broke the connection, if it broke. */
  get broken(): Error | undefined {
    return this.#broken;
  }

  /** Notes a failed statement; a lost connection marks the client as broken. */
  noteFailure(error: unknown): void {
    if (isConnectionError(error)) this.#broken ??= error as Error;
  }

  /** Marks the client as not reusable (its transaction state is unknown). */
  discard(error: unknown): void {
    this.#broken ??= error instanceof Error ? error : new Error(String(error));
  }

  /** Returns the client to the pool; a broken one is destroyed instead. */
  release(): void {
    this.client.off('error', this.#onError);
    this.client.release(this.#broken);
  }
}
