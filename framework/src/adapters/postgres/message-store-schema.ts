/**
 * The message-store schema of the PostgreSQL event store: one table, its constraints and indexes,
 * the statements that create, empty and remove it, and the mapping of a row back to an envelope.
 * Pure (no driver): the SQL text is fixed, every value travels as a parameter.
 */
import type { MessageKind, MessageMetadata } from '../../core/envelope.js';
import type { StoredMessage } from '../../ports/event-store.js';

/** The table holding every message. */
export const MESSAGES_TABLE = 'protean_messages';

/** Named so a unique violation can be told apart: a reused message id ... */
export const ID_CONSTRAINT = 'protean_messages_id_key';
/** ... or two appends claiming the same position of a stream. */
export const STREAM_POSITION_CONSTRAINT = 'protean_messages_stream_position_key';

/**
 * First key of every advisory lock the event store takes (`pg_advisory_xact_lock(int, int)`), so
 * its locks never collide with another component's single-key or two-key locks. ASCII "PRTN".
 */
export const LOCK_NAMESPACE = 0x5052_544e;

/**
 * - `global_position`: assigned by the sequence at insert; only increasing, gaps allowed.
 * - `category`: stored (not computed at read) so `(category, global_position)` is one index and a
 *   category read is an index range scan.
 * - `position`: per stream from 0; `(stream_name, position)` unique, which also serves
 *   `max(position)` (the stream's version) and stream reads.
 * - `metadata`: everything of `MessageMetadata` but the two positions, which are columns.
 * - `time`: when the row was written (the message's own `metadata.timestamp` is when it was made).
 */
const CREATE_TABLE = `
CREATE TABLE IF NOT EXISTS ${MESSAGES_TABLE} (
  global_position bigserial PRIMARY KEY,
  id text NOT NULL,
  stream_name text NOT NULL,
  category text NOT NULL,
  type text NOT NULL,
  kind text NOT NULL,
  position integer NOT NULL,
  data jsonb NOT NULL,
  metadata jsonb NOT NULL,
  time timestamptz NOT NULL DEFAULT clock_timestamp(),
  CONSTRAINT ${ID_CONSTRAINT} UNIQUE (id),
  CONSTRAINT ${STREAM_POSITION_CONSTRAINT} UNIQUE (stream_name, position)
)`;

const CREATE_CATEGORY_INDEX = `
CREATE INDEX IF NOT EXISTS protean_messages_category_idx
  ON ${MESSAGES_TABLE} (category, global_position)`;

/**
 * Statements of `setup()`, run in one transaction. The first serializes concurrent setups
 * (`CREATE TABLE IF NOT EXISTS` alone races on the catalog when two processes run it at once).
 */
export const SETUP_STATEMENTS: readonly string[] = [
  `SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, 0)`,
  CREATE_TABLE,
  CREATE_CATEGORY_INDEX,
];

/** Empties the table and restarts global positions at 1. */
export const TRUNCATE_STATEMENT = `TRUNCATE ${MESSAGES_TABLE} RESTART IDENTITY`;

export const DROP_STATEMENT = `DROP TABLE IF EXISTS ${MESSAGES_TABLE}`;

/** The columns every read selects, in {@link MessageRow}'s shape. */
export const SELECT_COLUMNS =
  'global_position, id, stream_name, type, kind, position, data, metadata';

/** One row as `pg` returns it: `bigint` comes back as a string, `jsonb` already parsed. */
export interface MessageRow {
  global_position: string;
  id: string;
  stream_name: string;
  type: string;
  kind: string;
  position: number;
  data: Record<string, unknown>;
  metadata: Omit<MessageMetadata, 'position' | 'globalPosition'>;
}

/**
 * The envelope of a row, positions filled in. `pg` parses each row's JSON afresh, so what a caller
 * gets is already a copy nobody else holds.
 */
export function toStoredMessage(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    type: row.type,
    kind: row.kind as MessageKind,
    stream: row.stream_name,
    data: row.data,
    metadata: {
      ...row.metadata,
      position: row.position,
      globalPosition: Number(row.global_position),
    },
  };
}
