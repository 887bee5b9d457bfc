/**
 * The SQL of the PostgreSQL outbox. `t` is the quoted table name. In every statement that reads
 * the clock, `$1` is the caller's `now`, or NULL for the server's `now()`, so tests can move time
 * instead of sleeping. Every value is a parameter.
 */

/** The statement's clock: the given instant, or the server's. */
const NOW = 'COALESCE($1::timestamptz, now())';

/** Statuses a claim may pick (the partial index covers exactly these). */
const OPEN = "status IN ('pending', 'processing', 'failed')";

/** The fence of every mark: still leased to `$3`, lease not expired. */
const HELD = `status = 'processing' AND locked_by = $3 AND locked_until > ${NOW}`;

/** Creates the table and its indexes; each statement is idempotent. */
export const schema = (t: string, name: string): string[] => [
  `CREATE TABLE IF NOT EXISTS ${t} (
    id bigserial PRIMARY KEY,
    message_id text NOT NULL,
    message jsonb NOT NULL,
    broker text NOT NULL,
    status text NOT NULL DEFAULT 'pending'
      CHECK (status IN ('pending', 'processing', 'published', 'failed', 'abandoned')),
    retry_count integer NOT NULL DEFAULT 0,
    next_retry_at timestamptz,
    locked_by text,
    locked_until timestamptz,
    last_error text,
    created_at timestamptz NOT NULL DEFAULT now(),
    failed_at timestamptz,
    published_at timestamptz
  )`,
  `CREATE INDEX IF NOT EXISTS "${name}_claim_idx" ON ${t} (id) WHERE ${OPEN}`,
  `CREATE INDEX IF NOT EXISTS "${name}_status_idx" ON ${t} (status, next_retry_at)`,
  `CREATE INDEX IF NOT EXISTS "${name}_published_idx" ON ${t} (published_at)
    WHERE status = 'published'`,
];

/** `$2`: the messages as JSON text, `$3`: the broker. One row each, ids in array order. */
export const enqueue = (t: string): string =>
  `INSERT INTO ${t} (message_id, message, broker, created_at)
   SELECT m.doc::jsonb ->> 'id', m.doc::jsonb, $3, ${NOW}
   FROM unnest($2::text[]) WITH ORDINALITY AS m(doc, n)
   ORDER BY m.n`;

/**
 * `$2`: owner, `$3`: limit, `$4`: lease seconds. Locks the oldest claimable rows, skipping rows
 * another claimer has locked, and leases them; a row locked and committed by another claimer in
 * the meantime is re-checked against the WHERE and dropped (READ COMMITTED).
 */
export const claim = (t: string): string =>
  `WITH picked AS (
     SELECT id FROM ${t}
     WHERE ${OPEN}
       AND (status = 'pending'
         OR (status = 'failed' AND next_retry_at <= ${NOW})
         OR (status = 'processing' AND locked_until <= ${NOW}))
     ORDER BY id
     LIMIT $3
     FOR UPDATE SKIP LOCKED
   ), claimed AS (
     UPDATE ${t} AS o
     SET status = 'processing', locked_by = $2,
         locked_until = ${NOW} + $4::float8 * interval '1 second'
     FROM picked WHERE o.id = picked.id
     RETURNING o.id, o.message, o.broker, o.retry_count, o.locked_until
   )
   SELECT * FROM claimed ORDER BY id`;

/** `$2`: ids, `$3`: owner. */
export const markPublished = (t: string): string =>
  `UPDATE ${t}
   SET status = 'published', published_at = ${NOW}, locked_by = NULL, locked_until = NULL
   WHERE id = ANY($2::bigint[]) AND ${HELD}`;

/** `$2`: id, `$3`: owner. The attempts so far and the clock, if the row is still held. */
export const heldRow = (t: string): string =>
  `SELECT retry_count, ${NOW} AS now FROM ${t} WHERE id = $2 AND ${HELD}`;

/**
 * `$1`: the clock read by {@link heldRow}, `$2`: id, `$3`: owner, `$4`: status, `$5`: attempts,
 * `$6`: next retry, `$7`: error, `$8`: attempts read. Changes nothing if anyone touched the row.
 */
export const recordFailure = (t: string): string =>
  `UPDATE ${t}
   SET status = $4, retry_count = $5, next_retry_at = $6, last_error = $7, failed_at = $1,
       locked_by = NULL, locked_until = NULL
   WHERE id = $2 AND ${HELD} AND retry_count = $8`;

/** `$1`: owner. */
export const releaseLeases = (t: string): string =>
  `UPDATE ${t} SET status = 'pending', locked_by = NULL, locked_until = NULL
   WHERE status = 'processing' AND locked_by = $1`;

export const requeueAbandoned = (t: string): string =>
  `UPDATE ${t} SET status = 'pending', retry_count = 0, next_retry_at = NULL
   WHERE status = 'abandoned'`;

export const countByStatus = (t: string): string =>
  `SELECT status, count(*)::int AS count FROM ${t} GROUP BY status`;

/** `$2`, `$3`: retention hours of published and abandoned rows, `$4`: batch size. */
export const cleanupBatch = (t: string): string =>
  `DELETE FROM ${t} WHERE id IN (
     SELECT id FROM ${t}
     WHERE (status = 'published' AND published_at < ${NOW} - $2::float8 * interval '1 hour')
        OR (status = 'abandoned' AND failed_at < ${NOW} - $3::float8 * interval '1 hour')
     LIMIT $4
     FOR UPDATE SKIP LOCKED
   )`;

/** `$1`: limit. */
export const listAbandoned = (t: string): string =>
  `SELECT * FROM ${t} WHERE status = 'abandoned' ORDER BY id LIMIT $1`;
