/**
 * The SQL of the hand-written baseline. The tables are the ones protean-ts creates for the same
 * model (columns, collations, indexes: what `domain.setupSchema()` produces, written out), so
 * that both sides pay the same index maintenance and row sizes; the statements are what one would
 * write by hand for the same semantics.
 */
import { ACCOUNT_TABLE, BALANCE_TABLE, MARKER_TABLE, OUTBOX_TABLE } from './workload.js';

const TEXT = 'text COLLATE "C"';

export const SCHEMA: readonly string[] = [
  `CREATE TABLE ${ACCOUNT_TABLE} (
    id ${TEXT} PRIMARY KEY, version integer NOT NULL,
    account_id ${TEXT} NOT NULL, balance bigint, deposits bigint)`,
  `CREATE TABLE ${BALANCE_TABLE} (
    id ${TEXT} PRIMARY KEY, version integer NOT NULL,
    account_id ${TEXT}, balance bigint, deposits bigint, last_deposit_id ${TEXT})`,
  `CREATE TABLE ${OUTBOX_TABLE} (
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
    published_at timestamptz)`,
  `CREATE INDEX ${OUTBOX_TABLE}_claim_idx ON ${OUTBOX_TABLE} (id)
    WHERE status IN ('pending', 'processing', 'failed')`,
  `CREATE INDEX ${OUTBOX_TABLE}_status_idx ON ${OUTBOX_TABLE} (status, next_retry_at)`,
  `CREATE INDEX ${OUTBOX_TABLE}_published_idx ON ${OUTBOX_TABLE} (published_at)
    WHERE status = 'published'`,
  `CREATE TABLE ${MARKER_TABLE} (
    message_id text NOT NULL, handler text NOT NULL,
    marked_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (message_id, handler))`,
  `CREATE INDEX ${MARKER_TABLE}_marked_at_idx ON ${MARKER_TABLE} (marked_at)`,
];

/** $1 account id, $2 amount. The account's row, created or changed, with its new version. */
export const UPSERT_ACCOUNT = `
INSERT INTO ${ACCOUNT_TABLE} AS a (id, version, account_id, balance, deposits)
VALUES ($1, 1, $1, $2, 1)
ON CONFLICT (id) DO UPDATE
  SET version = a.version + 1, balance = a.balance + EXCLUDED.balance, deposits = a.deposits + 1
RETURNING version`;

/** $1 message id, $2 the envelope's JSON. */
export const ENQUEUE = `
INSERT INTO ${OUTBOX_TABLE} (message_id, message, broker) VALUES ($1, $2::jsonb, 'default')`;

/**
 * $1 owner, $2 limit, $3 lease seconds: the oldest claimable rows, leased, skipping rows another
 * claimer holds, returned in id order.
 */
export const CLAIM = `
WITH picked AS (
  SELECT id FROM ${OUTBOX_TABLE}
  WHERE status IN ('pending', 'processing', 'failed')
    AND (status = 'pending'
      OR (status = 'failed' AND next_retry_at <= now())
      OR (status = 'processing' AND locked_until <= now()))
  ORDER BY id
  LIMIT $2
  FOR UPDATE SKIP LOCKED
), claimed AS (
  UPDATE ${OUTBOX_TABLE} AS o
  SET status = 'processing', locked_by = $1, locked_until = now() + $3 * interval '1 second'
  FROM picked WHERE o.id = picked.id
  RETURNING o.id, o.message
)
SELECT id, message FROM claimed ORDER BY id`;

/** $1 ids, $2 owner: published, fenced on the lease. */
export const MARK_PUBLISHED = `
UPDATE ${OUTBOX_TABLE}
SET status = 'published', published_at = now(), locked_by = NULL, locked_until = NULL
WHERE id = ANY($1::bigint[]) AND status = 'processing' AND locked_by = $2 AND locked_until > now()`;

/** $1 message id, $2 handler. One row when this message was not applied yet. */
export const MARK_APPLIED = `
INSERT INTO ${MARKER_TABLE} (message_id, handler) VALUES ($1, $2) ON CONFLICT DO NOTHING`;

/** $1 account id, $2 amount, $3 deposit id. */
export const UPSERT_BALANCE = `
INSERT INTO ${BALANCE_TABLE} AS b (id, version, account_id, balance, deposits, last_deposit_id)
VALUES ($1, 1, $1, $2, 1, $3)
ON CONFLICT (id) DO UPDATE
  SET version = b.version + 1, balance = b.balance + EXCLUDED.balance,
      deposits = b.deposits + 1, last_deposit_id = EXCLUDED.last_deposit_id`;
