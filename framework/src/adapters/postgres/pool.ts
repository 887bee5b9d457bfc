/**
 * The `pg` connection pool of the PostgreSQL provider: settings checked once, the driver loaded
 * lazily (so protean-ts works without `pg` installed), and the database named without credentials.
 */
import type * as Pg from 'pg';
import type { Pool, PoolClient } from 'pg';
import { ConfigurationError } from '../../core/errors.js';
import type { Logger } from '../../ports/logger.js';
import type { ProviderSettings } from '../../ports/registry.js';
import { isConnectionError } from './errors.js';

/** The checked settings of a `postgresql` database (`[databases.<name>]` in domain.toml). */
export interface PostgresSettings {
  /** `postgresql://user:password@host:port/database`. */
  readonly database_uri: string;
  /** Connections in the pool. @defaultValue 10 */
  readonly pool_size: number;
  /** How long to wait for a connection before failing. @defaultValue 10000 */
  readonly connect_timeout_ms: number;
  /**
   * How long a statement waits for a row lock held by another transaction before failing
   * (PostgreSQL's `lock_timeout`, set on every connection of the pool); 0 waits forever.
   * @defaultValue 10000
   */
  readonly lock_timeout_ms: number;
}

const DEFAULTS = { pool_size: 10, connect_timeout_ms: 10_000, lock_timeout_ms: 10_000 };
const EXAMPLE_URI = 'database_uri = "${DATABASE_URL|postgresql://postgres@127.0.0.1:5432/app}"';

function wholeNumber(settings: ProviderSettings, key: keyof typeof DEFAULTS, min: number): number {
  const value = settings[key] ?? DEFAULTS[key];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ConfigurationError(
      `databases: ${key} of the postgresql database must be a whole number >= ${min}, ` +
        `received ${JSON.stringify(value)}; leave it out for the default (${DEFAULTS[key]}).`,
    );
  }
  return value;
}

/**
 * Checks the settings of a `postgresql` database and fills in the defaults.
 *
 * @example
 * postgresSettings({ provider: 'postgresql', database_uri: 'postgresql://127.0.0.1/app' });
 * // { database_uri: '...', pool_size: 10, connect_timeout_ms: 10000, lock_timeout_ms: 10000 }
 */
export function postgresSettings(settings: ProviderSettings): PostgresSettings {
  const uri = settings['database_uri'];
  if (typeof uri !== 'string' || uri.trim() === '') {
    throw new ConfigurationError(
      `databases: a database with provider = "postgresql" needs database_uri, received ` +
        `${JSON.stringify(uri)}; add it to its [databases.<name>] table, e.g. ${EXAMPLE_URI}`,
    );
  }
  if (!/^postgres(ql)?:\/\//.test(uri) || !URL.canParse(uri)) {
    throw new ConfigurationError(
      `databases: database_uri must be a postgresql:// URL, received ${JSON.stringify(redactUri(uri))}; ` +
        `e.g. ${EXAMPLE_URI}`,
    );
  }
  return {
    database_uri: uri,
    pool_size: wholeNumber(settings, 'pool_size', 1),
    connect_timeout_ms: wholeNumber(settings, 'connect_timeout_ms', 0),
    lock_timeout_ms: wholeNumber(settings, 'lock_timeout_ms', 0),
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
 * share a transaction only when their identities are equal (`TransactionLink.resource`).
 *
 * @example
 * databaseIdentity('postgresql://app:secret@127.0.0.1/shop'); // '127.0.0.1:5432/shop'
 */
export function databaseIdentity(uri: string): string {
  // The same rule as the event store and the outbox, so that their resources compare equal.
  const url = new URL(uri);
  const host = url.hostname.toLowerCase() || 'localhost';
  const database = decodeURIComponent(url.pathname.slice(1)) || decodeURIComponent(url.username);
  return `${host}:${url.port || '5432'}/${database || 'postgres'}`;
}

/** Loads `pg`, or says how to install it. */
async function loadPg(): Promise<typeof Pg> {
  try {
    return await import('pg');
  } catch (error) {
    throw new ConfigurationError(
      'the postgresql database provider needs the "pg" package, which is not installed: ' +
        `run \`npm install pg\` (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/**
 * Opens (lazily) the pool of a `postgresql` database. An idle connection that fails (the server
 * restarted, `pg_terminate_backend()`) is logged and discarded by the pool instead of crashing
 * the process; the next checkout opens a fresh one.
 *
 * @example
 * const pool = await createPool(postgresSettings(settings), logger);
 */
export async function createPool(settings: PostgresSettings, logger: Logger): Promise<Pool> {
  const pg = await loadPg();
  const pool = new pg.Pool({
    connectionString: settings.database_uri,
    max: settings.pool_size,
    connectionTimeoutMillis: settings.connect_timeout_ms,
    application_name: 'protean-ts',
    ...(settings.lock_timeout_ms > 0 ? { lock_timeout: settings.lock_timeout_ms } : {}),
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
