/**
 * The baseline side of event-store: the same work written by hand with `pg` on the same table
 * and pool size, with the same guarantees: each append in its own transaction takes the
 * category's advisory lock (so no reader can skip a late commit), reads the stream's version,
 * checks the expected version, inserts its 5 rows in one statement and commits; a category read
 * is one SELECT whose rows are turned into the same envelopes the store returns. The statements
 * are those the store sends for a one-stream append, written out here by hand.
 */
import pg from 'pg';
import type { StoredMessage } from '../../src/ports/event-store.js';
import type { OpenSide } from './protean.js';
import { CATEGORY, WRITERS } from './workload.js';
import type { AppendCall } from './workload.js';

/** The store's lock namespace ("PRTN"): the same lock, so both sides serialize alike. */
const LOCK_NAMESPACE = 0x5052_544e;

const LOCK = 'SELECT pg_advisory_xact_lock($1, hashtext($2))';
const VERSION = 'SELECT max(position) AS version FROM protean_messages WHERE stream_name = $1';
const INSERT = `
INSERT INTO protean_messages (id, stream_name, category, type, kind, position, data, metadata)
SELECT id, stream, category, type, kind, position, data::jsonb, metadata::jsonb
FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::int[], $7::text[], $8::text[])
  WITH ORDINALITY AS m(id, stream, category, type, kind, position, data, metadata, n)
ORDER BY n
RETURNING id, global_position`;
const READ = `
SELECT global_position, id, stream_name, type, kind, position, data, metadata
FROM protean_messages WHERE category = $1 AND global_position >= $2
ORDER BY global_position LIMIT $3`;

interface Row {
  global_position: string;
  id: string;
  stream_name: string;
  type: string;
  kind: 'EVENT' | 'COMMAND';
  position: number;
  data: Record<string, unknown>;
  metadata: StoredMessage['metadata'];
}

function insertValues({ stream, messages }: AppendCall, first: number): unknown[] {
  return [
    messages.map((m) => m.id),
    messages.map(() => stream),
    messages.map(() => CATEGORY),
    messages.map((m) => m.type),
    messages.map((m) => m.kind),
    messages.map((_, i) => first + i),
    messages.map((m) => JSON.stringify(m.data)),
    messages.map((m) => JSON.stringify(m.metadata)),
  ];
}

/** Resolves with the global position of the last message appended. */
async function append(pool: pg.Pool, call: AppendCall): Promise<number> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(LOCK, [LOCK_NAMESPACE, CATEGORY]);
    const { rows } = await client.query<{ version: number | null }>(VERSION, [call.stream]);
    const version = rows[0]?.version ?? -1;
    const expected = call.expectedVersion === 'no_stream' ? -1 : call.expectedVersion;
    if (version !== expected) throw new Error(`${call.stream} is at ${version}, not ${expected}`);
    const inserted = await client.query<{ global_position: string }>(
      INSERT,
      insertValues(call, version + 1),
    );
    await client.query('COMMIT');
    return Number(inserted.rows.at(-1)?.global_position);
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

function toMessage(row: Row): StoredMessage {
  return {
    id: row.id,
    type: row.type,
    kind: row.kind,
    stream: row.stream_name,
    data: row.data,
    metadata: {
      ...row.metadata,
      position: row.position,
      globalPosition: Number(row.global_position),
    },
  };
}

/**
 * The hand-written side on `databaseUri`, one pooled connection per writer.
 *
 * @example
 * const { side, close } = await openBaselineSide(url);
 */
export async function openBaselineSide(databaseUri: string): Promise<OpenSide> {
  const pool = new pg.Pool({ connectionString: databaseUri, max: WRITERS });
  await pool.query('SELECT 1');
  return {
    side: {
      async append(call) {
        await append(pool, call);
      },
      async readCategory(fromGlobalPosition, batchSize) {
        const { rows } = await pool.query<Row>(READ, [CATEGORY, fromGlobalPosition, batchSize]);
        return rows.map(toMessage);
      },
    },
    close: () => pool.end(),
  };
}
