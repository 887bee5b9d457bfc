/**
 * Appending to the PostgreSQL event store, on a connection already inside a transaction (the
 * store's own, or a caller's joined through a `TransactionLink`).
 *
 * ## Why every append locks its categories (guarantee 4: no message skipped)
 *
 * `global_position` comes from a sequence at INSERT time, not at COMMIT time. Without a guard, a
 * transaction could take position 7, stay open, and let another commit position 8 first: a
 * category reader sees 8, continues from 9, and never returns 7. So every append first takes
 * `pg_advisory_xact_lock(LOCK_NAMESPACE, hashtext(category))` for each category it writes, held
 * until its transaction ends. Within one category, a transaction draws positions only after the
 * previous writer has committed or rolled back (PostgreSQL makes a commit visible before it
 * releases the transaction's locks), so the committed messages of a category always form a
 * prefix: whatever a reader sees, nothing lower can appear later. Readers take no lock.
 *
 * The same lock serializes appends to one stream (a stream belongs to one category), so the
 * version read after it is current and the expected-version check cannot race; the unique
 * `(stream_name, position)` constraint stays as a backstop.
 *
 * Trade-off: appends to one category are serialized for the length of the writing transaction
 * (for a joined transaction, until the caller commits), so a category's write throughput is that
 * of one transaction at a time; different categories proceed in parallel. A batch takes its locks
 * in the order of their keys, so two batches never deadlock each other; a caller's transaction
 * that appends several times in different orders can, and PostgreSQL then aborts one of them.
 * Rejected: an xmin guard (store `pg_current_xact_id()` per row and return only rows older than
 * `pg_snapshot_xmin(pg_current_snapshot())`). It leaves writers parallel, but transaction ids are
 * not issued in `global_position` order, so a reader resuming from one global position can still
 * skip a row, unless the cursor became `(transaction id, position)` (not the port's); and any
 * long transaction on the server stalls every reader.
 */
import type { ClientBase } from 'pg';
import { categoryOf } from '../../core/envelope.js';
import { IncorrectUsageError } from '../../core/errors.js';
import type { MessageMetadata } from '../../core/envelope.js';
import { checkAppends, checkExpectedVersion } from '../../ports/checks/event-store.js';
import type { AppendResult, NewMessage, StreamAppend } from '../../ports/event-store.js';
import { LOCK_NAMESPACE, MESSAGES_TABLE } from './message-store-schema.js';

/** One message ready to insert: everything but its positions, JSON already serialized. */
interface SerializedMessage {
  readonly id: string;
  readonly type: string;
  readonly kind: string;
  readonly data: string;
  readonly metadata: string;
}

/** An append that passed every check that needs no database. */
export interface PreparedAppend {
  readonly stream: string;
  readonly category: string;
  readonly expectedVersion: StreamAppend['expectedVersion'];
  readonly messages: readonly SerializedMessage[];
}

/** The lock of one category (the common case: one aggregate's events). */
const LOCK_ONE_SQL = 'SELECT pg_advisory_xact_lock($1, hashtext($2))';

/** Takes the category locks, lowest key first, so two batches never wait on each other in a cycle. */
const LOCK_SQL = `
SELECT pg_advisory_xact_lock($1, key)
FROM (SELECT DISTINCT hashtext(category) AS key FROM unnest($2::text[]) AS category ORDER BY key) AS keys`;

/** A stream's version: `max(position)` is one backward step of the unique index. */
const VERSION_ONE_SQL = `SELECT max(position) AS version FROM ${MESSAGES_TABLE} WHERE stream_name = $1`;

/** Each stream's version, in the order given. */
const VERSIONS_SQL = `
SELECT (SELECT max(position) FROM ${MESSAGES_TABLE} WHERE stream_name = s.stream) AS version
FROM unnest($1::text[]) WITH ORDINALITY AS s(stream, n) ORDER BY n`;

/** All the messages of a batch in one statement; rows are numbered in the order given. */
const INSERT_SQL = `
INSERT INTO ${MESSAGES_TABLE} (id, stream_name, category, type, kind, position, data, metadata)
SELECT id, stream, category, type, kind, position, data::jsonb, metadata::jsonb
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[])
  WITH ORDINALITY AS m(id, stream, category, type, kind, position, data, metadata, n)
ORDER BY n
RETURNING id, global_position`;

function toJson(message: NewMessage, part: 'data' | 'metadata', value: unknown): string {
  try {
    return JSON.stringify(value) ?? 'null';
  } catch (error) {
    throw new IncorrectUsageError(
      `Message '${message.id}' of stream '${message.stream}' cannot be stored as JSON ` +
        `(its ${part}: ${String(error)}); keep data and metadata to JSON values.`,
    );
  }
}

function serialize(message: NewMessage): SerializedMessage {
  // Positions are the store's to assign: any the caller gave are dropped.
  const { position: _p, globalPosition: _g, ...metadata } = message.metadata as MessageMetadata;
  return {
    id: message.id,
    type: message.type,
    kind: message.kind,
    data: toJson(message, 'data', message.data),
    metadata: toJson(message, 'metadata', metadata),
  };
}

/**
 * Checks the arguments and serializes every message, before any database work: a bad batch is
 * rejected without a round trip and stores nothing.
 */
export function prepareAppends(appends: readonly StreamAppend[]): PreparedAppend[] {
  checkAppends(appends);
  return appends.map(({ stream, messages, expectedVersion }) => ({
    stream,
    category: categoryOf(stream),
    expectedVersion,
    messages: messages.map(serialize),
  }));
}

async function lockCategories(client: ClientBase, batch: readonly PreparedAppend[]): Promise<void> {
  const categories = [...new Set(batch.map(({ category }) => category))];
  if (categories.length === 1) await client.query(LOCK_ONE_SQL, [LOCK_NAMESPACE, categories[0]]);
  else await client.query(LOCK_SQL, [LOCK_NAMESPACE, categories]);
}

async function streamVersions(
  client: ClientBase,
  batch: readonly PreparedAppend[],
): Promise<number[]> {
  const streams = batch.map(({ stream }) => stream);
  const [sql, values] =
    streams.length === 1 ? [VERSION_ONE_SQL, streams] : [VERSIONS_SQL, [streams]];
  const { rows } = await client.query<{ version: number | null }>(sql, values);
  return rows.map(({ version }) => version ?? -1);
}

/** The INSERT's parameters: one array per column, messages in batch order. */
function insertParameters(
  batch: readonly PreparedAppend[],
  versions: readonly number[],
): unknown[][] {
  const columns: unknown[][] = [[], [], [], [], [], [], [], []];
  const [ids, streams, categories, types, kinds, positions, data, metadata] = columns as [
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
    unknown[],
  ];
  batch.forEach(({ stream, category, messages }, index) => {
    const first = (versions[index] ?? -1) + 1;
    messages.forEach((message, offset) => {
      ids.push(message.id);
      streams.push(stream);
      categories.push(category);
      types.push(message.type);
      kinds.push(message.kind);
      positions.push(first + offset);
      data.push(message.data);
      metadata.push(message.metadata);
    });
  });
  return columns;
}

function resultsOf(
  batch: readonly PreparedAppend[],
  versions: readonly number[],
  globals: ReadonlyMap<string, number>,
): AppendResult[] {
  return batch.map(({ stream, messages }, index) => {
    const first = (versions[index] ?? -1) + 1;
    const positions = messages.map(({ id }, offset) => ({
      position: first + offset,
      globalPosition: globals.get(id) ?? Number.NaN,
    }));
    const last = positions.at(-1) ?? { position: -1, globalPosition: 0 };
    return { stream, ...last, positions };
  });
}

/**
 * Appends a prepared batch on `client`, which must be inside a transaction: locks the batch's
 * categories, checks every expected version, then inserts every message in one statement. The
 * caller commits (or rolls back); until then other appends to these categories wait.
 */
export async function appendOn(
  client: ClientBase,
  batch: readonly PreparedAppend[],
): Promise<AppendResult[]> {
  await lockCategories(client, batch);
  const versions = await streamVersions(client, batch);
  batch.forEach(({ stream, expectedVersion }, index) =>
    checkExpectedVersion(stream, expectedVersion, versions[index] ?? -1),
  );
  const { rows } = await client.query<{ id: string; global_position: string }>(
    INSERT_SQL,
    insertParameters(batch, versions),
  );
  const globals = new Map(rows.map((row) => [row.id, Number(row.global_position)]));
  return resultsOf(batch, versions, globals);
}
