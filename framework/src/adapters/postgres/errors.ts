/**
 * PostgreSQL failures as protean-ts errors: the operation in flight, the server (never its
 * password), what went wrong and what to check. The `pg` error stays attached as `cause`.
 */
import { ProteanError } from '../../core/errors.js';

/** The codes of {@link DatabaseError}, from the most to the least actionable. */
export type DatabaseErrorCode =
  /** The connection could not be opened or was lost (server down, restarted, terminated). */
  | 'DATABASE_UNAVAILABLE'
  /** A table is missing: the schema was not set up. */
  | 'DATABASE_SCHEMA_MISSING'
  /** A row stayed locked by another transaction for longer than `lock_timeout_ms`. */
  | 'DATABASE_LOCK_TIMEOUT'
  /** An earlier statement of the transaction failed; PostgreSQL only accepts a rollback now. */
  | 'DATABASE_TRANSACTION_ABORTED'
  /** Anything else PostgreSQL refused; the message carries its SQLSTATE. */
  | 'DATABASE_ERROR';

/**
 * A database operation failed for a reason outside the domain model. `code` says which kind of
 * failure; `sqlState` is PostgreSQL's own code when it answered.
 *
 * @example
 * try { await domain.process(command) } catch (error) {
 *   if (error instanceof DatabaseError && error.code === 'DATABASE_UNAVAILABLE') retryLater();
 * }
 */
export class DatabaseError extends ProteanError {
  /** PostgreSQL's SQLSTATE (`42P01`, `57P01`, ...), or a Node.js network code (`ECONNREFUSED`). */
  readonly sqlState: string | undefined;

  constructor(code: DatabaseErrorCode, message: string, cause?: unknown) {
    super(code, message, cause === undefined ? undefined : { cause });
    this.sqlState = codeOf(cause);
  }
}

/** Where a failure happened, for its message. */
export interface FailureContext {
  /** The server and database, without credentials: `127.0.0.1:5432/bookshelf`. */
  readonly server: string;
  /** What was being done: `save of bookshelf.book '42'`. */
  readonly operation: string;
}

/** Network-level codes of Node.js and SQLSTATEs that mean the connection is gone or refused. */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  '57P01', // admin_shutdown: terminated by pg_terminate_backend() or a fast shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now: the server is starting up or shutting down
  '53300', // too_many_connections
  '3D000', // invalid_catalog_name: the database does not exist
  '28000', // invalid_authorization_specification
  '28P01', // invalid_password
]);

/** What `pg` says when a socket dies under it; these errors carry no code. */
const CONNECTION_MESSAGES =
  /connection terminated|connection error|not queryable|timeout exceeded when trying to connect|client was closed/i;

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * Whether `error` means the connection is unusable (lost, refused, terminated), as opposed to a
 * statement PostgreSQL refused on a healthy connection.
 *
 * @example
 * try {
 *   await client.query('SELECT 1');
 *   client.release();
 * } catch (error) {
 *   client.release(isConnectionError(error)); // true: the pool discards the broken connection
 *   throw error;
 * }
 */
export function isConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = codeOf(error);
  // Class 08 is "connection exception", except 08P01 (a protocol violation on a live connection).
  if (code && (CONNECTION_CODES.has(code) || (code.startsWith('08') && code !== '08P01')))
    return true;
  return CONNECTION_MESSAGES.test(error.message);
}

/** Advice per kind of failure: what to check or do. */
const ADVICE: Record<Exclude<DatabaseErrorCode, 'DATABASE_ERROR'>, string> = {
  DATABASE_UNAVAILABLE:
    'Check that PostgreSQL is running and reachable and that database_uri (host, port, ' +
    'database, credentials) is right; the pool discards broken connections and opens a fresh ' +
    'one for the next operation.',
  DATABASE_SCHEMA_MISSING:
    'Create the tables first: run `protean db setup` (or await domain.setupSchema()).',
  DATABASE_LOCK_TIMEOUT:
    'Another transaction held the rows for longer than lock_timeout_ms; retry, or raise ' +
    'lock_timeout_ms in the database settings.',
  DATABASE_TRANSACTION_ABORTED:
    'An earlier statement of this transaction failed, so PostgreSQL refuses every statement ' +
    'until it is rolled back; roll back and start a new unit of work.',
};

function classify(error: unknown): DatabaseErrorCode {
  if (isConnectionError(error)) return 'DATABASE_UNAVAILABLE';
  const code = codeOf(error);
  if (code === '42P01') return 'DATABASE_SCHEMA_MISSING';
  if (code === '55P03') return 'DATABASE_LOCK_TIMEOUT';
  if (code === '25P02') return 'DATABASE_TRANSACTION_ABORTED';
  return 'DATABASE_ERROR';
}

/**
 * Turns whatever a `pg` call threw into a protean-ts error naming the operation and the server;
 * protean-ts errors pass through unchanged.
 */
export function databaseError(error: unknown, context: FailureContext): ProteanError {
  if (error instanceof ProteanError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const code = classify(error);
  const state = codeOf(error);
  const what = `${context.operation} failed on PostgreSQL at ${context.server}: ${message}`;
  if (code === 'DATABASE_ERROR')
    return new DatabaseError(code, `${what}${state ? ` (SQLSTATE ${state})` : ''}.`, error);
  return new DatabaseError(code, `${what}. ${ADVICE[code]}`, error);
}
