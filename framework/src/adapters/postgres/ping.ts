/**
 * The readiness probe of the PostgreSQL adapters: `SELECT 1` through their pool, bounded in time,
 * so that a server that accepts connections but never answers cannot hang a readiness check.
 */
import { DatabaseError, databaseError } from './errors.js';
import type { Queryable } from './pool.js';

/** How long `ping()` waits for PostgreSQL to answer before rejecting. */
export const PING_TIMEOUT_MS = 5_000;

/** Who is pinging and which database, for the error messages. */
export interface PingTarget {
  /** The database identity `host:port/database` (no credentials). */
  readonly server: string;
  /** Who pings, e.g. `ping of the event store`. */
  readonly operation: string;
}

/**
 * Runs `SELECT 1` on `pool`; resolves when PostgreSQL answers. Rejects with a `DatabaseError`
 * (`DATABASE_UNAVAILABLE` when the server is unreachable or does not answer within `timeoutMs`).
 * A query still running at the timeout is left to finish (or fail) on its own: its outcome is
 * ignored, and the pool's own timeouts reclaim the connection.
 */
export async function pingPool(
  pool: Queryable,
  target: PingTarget,
  timeoutMs = PING_TIMEOUT_MS,
): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut(target, timeoutMs)), timeoutMs);
  });
  try {
    await Promise.race([pool.query('SELECT 1'), timeout]);
  } catch (error) {
    throw databaseError(error, target);
  } finally {
    clearTimeout(timer);
  }
}

function timedOut({ server, operation }: PingTarget, timeoutMs: number): DatabaseError {
  return new DatabaseError(
    'DATABASE_UNAVAILABLE',
    `${operation} failed on PostgreSQL at ${server}: no answer to SELECT 1 within ` +
      `${timeoutMs} ms. Check that the server is not overloaded or hung and that the network ` +
      'to it is up.',
  );
}
