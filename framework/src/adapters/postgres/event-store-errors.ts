/**
 * Turns what a statement of the event store threw into a protean-ts error: the unique violations
 * the event store expects become `DUPLICATE_MESSAGE` and `ExpectedVersionError`; everything else
 * goes through the PostgreSQL adapters' shared `databaseError()` (a missing table becomes
 * `DATABASE_SCHEMA_MISSING` saying to run `protean db setup`, a lost connection
 * `DATABASE_UNAVAILABLE`, ...). protean-ts errors pass through unchanged.
 */
import { ExpectedVersionError, ProteanError } from '../../core/errors.js';
import { databaseError } from './errors.js';
import {
  ID_CONSTRAINT,
  MESSAGES_TABLE,
  STREAM_POSITION_CONSTRAINT,
} from './message-store-schema.js';

/** The fields of a `pg` `DatabaseError` this module reads. */
interface PgError {
  code?: unknown;
  constraint?: unknown;
  detail?: unknown;
}

const UNIQUE_VIOLATION = '23505';

/**
 * The error to throw for `error`, raised while doing `operation` on the database `server`
 * (`host:port/dbname`).
 */
export function translateError(error: unknown, server: string, operation: string): ProteanError {
  const { code, constraint, detail } = (error ?? {}) as PgError;
  if (!(error instanceof ProteanError) && code === UNIQUE_VIOLATION) {
    const text = String(detail ?? '');
    if (constraint === ID_CONSTRAINT) return duplicateMessage(text, error);
    if (constraint === STREAM_POSITION_CONSTRAINT) return lostRace(text, error) ?? fallback();
  }
  return fallback();

  function fallback(): ProteanError {
    return databaseError(error, { server, operation: `${operation} (table ${MESSAGES_TABLE})` });
  }
}

function duplicateMessage(detail: string, cause: unknown): ProteanError {
  // detail reads: Key (id)=(<the id>) already exists.
  const id = /^Key \(id\)=\((.*)\) already exists\.?$/.exec(detail)?.[1] ?? 'of this append';
  return new ProteanError(
    'DUPLICATE_MESSAGE',
    `Message '${id}' is already stored; message ids are unique across the event store: ` +
      'give each new message a new id.',
    { cause },
  );
}

/**
 * Two appends computed the same next position. The category lock makes this impossible for
 * appends in READ COMMITTED transactions; a caller's REPEATABLE READ or SERIALIZABLE transaction
 * can still get here, having read the stream's version in a snapshot older than the lock.
 * `actual` is then a lower bound: the stream holds at least the position this append wanted.
 */
function lostRace(detail: string, cause: unknown): ExpectedVersionError | undefined {
  // detail reads: Key (stream_name, "position")=(<stream>, <position>) already exists.
  const match = /^Key \(stream_name, "?position"?\)=\((.*), (\d+)\) already exists\.?$/.exec(
    detail,
  );
  if (!match) return undefined;
  const [, stream, position] = match;
  const error = new ExpectedVersionError(
    `Stream '${stream}'`,
    Number(position) - 1,
    Number(position),
  );
  error.cause = cause;
  return error;
}
