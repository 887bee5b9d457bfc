import type { Envelope } from '../../core/envelope.js';
import {
  OUTBOX_STATUSES,
  type ClaimedMessage,
  type OutboxCounts,
  type OutboxEntry,
  type OutboxStatus,
  type OutboxStore,
} from '../../ports/outbox.js';
import {
  brokerOf,
  checkNow,
  checkOwner,
  claimOptions,
  cleanupOptions,
  failureOutcome,
  listLimit,
  serializeMessages,
} from '../../ports/checks/outbox.js';
import { quoteIdentifier } from './identifiers.js';
import * as sql from './outbox-sql.js';
import { PostgresConnection, type PostgresStoreSettings } from './store-connection.js';

/** The outbox table's name. */
export const OUTBOX_TABLE = 'protean_outbox';

/** A row as `pg` returns it: bigint ids as strings, jsonb parsed, timestamps as `Date`. */
interface OutboxRow {
  id: string;
  message: Envelope;
  broker: string;
  status: OutboxStatus;
  retry_count: number;
  created_at: Date;
  next_retry_at: Date | null;
  locked_by: string | null;
  locked_until: Date | null;
  last_error: string | null;
  failed_at: Date | null;
  published_at: Date | null;
}

type ClaimedRow = Pick<OutboxRow, 'id' | 'message' | 'broker' | 'retry_count'> & {
  locked_until: Date;
};

const orUndefined = <T>(value: T | null): T | undefined => value ?? undefined;

function claimedOf(row: ClaimedRow): ClaimedMessage {
  const { id, message, broker, retry_count: attempts, locked_until: lockedUntil } = row;
  return { id, message, broker, attempts, lockedUntil };
}

function entryOf(row: OutboxRow): OutboxEntry {
  return {
    id: row.id,
    message: row.message,
    broker: row.broker,
    status: row.status,
    attempts: row.retry_count,
    createdAt: row.created_at,
    nextRetryAt: orUndefined(row.next_retry_at),
    lockedBy: orUndefined(row.locked_by),
    lockedUntil: orUndefined(row.locked_until),
    lastError: orUndefined(row.last_error),
    failedAt: orUndefined(row.failed_at),
    publishedAt: orUndefined(row.published_at),
  };
}

/** Row ids are bigints: anything else names no row (and must not reach a `bigint[]` cast). */
const rowIds = (ids: readonly string[]): string[] => ids.filter((id) => /^\d{1,18}$/.test(id));

/**
 * The PostgreSQL outbox: one table, `protean_outbox`, created by `setup()`. `enqueue()` writes on
 * the client of a database session's transaction when `canJoin(link)` (same database), so the
 * rows commit with the aggregate change or not at all. Claims lock with `FOR UPDATE SKIP LOCKED`,
 * so concurrent processors never get the same row. `pg` is loaded on `start()`.
 *
 * @example
 * const outbox = createPostgresOutbox({ database_uri: 'postgresql://postgres@127.0.0.1:5432/bookshelf' });
 * await outbox.start();
 * await outbox.setup?.();
 * await outbox.enqueue(events, { transaction: session.link });
 */
export function createPostgresOutbox(settings: PostgresStoreSettings): OutboxStore {
  const connection = new PostgresConnection(settings, 'The PostgreSQL outbox');
  const t = quoteIdentifier(OUTBOX_TABLE);
  const run = (text: string, values: unknown[]) => connection.pool().query(text, values);
  return {
    provider: 'postgresql',
    start: () => connection.start(),
    close: () => connection.close(),
    setup: () => connection.setup(OUTBOX_TABLE, sql.schema(t, OUTBOX_TABLE)),
    async truncate() {
      if (await connection.exists(OUTBOX_TABLE)) await run(`TRUNCATE ${t} RESTART IDENTITY`, []);
    },
    async drop() {
      await run(`DROP TABLE IF EXISTS ${t}`, []);
    },
    canJoin: (link) => connection.canJoin(link),
    async enqueue(messages, options = {}) {
      const [docs, broker, now] = [
        serializeMessages(messages),
        brokerOf(options),
        checkNow(options.now),
      ];
      if (docs.length === 0) return;
      await connection.on(options.transaction).query(sql.enqueue(t), [now ?? null, docs, broker]);
    },
    async claim(options) {
      const { owner, limit, leaseSeconds, now } = claimOptions(options);
      const { rows } = await connection
        .pool()
        .query<ClaimedRow>(sql.claim(t), [now ?? null, owner, limit, leaseSeconds]);
      return rows.map(claimedOf);
    },
    async markPublished(ids, owner, options = {}) {
      checkOwner(owner);
      const valid = rowIds(ids);
      if (valid.length === 0) return 0;
      const values = [checkNow(options.now) ?? null, valid, owner];
      const { rowCount } = await run(sql.markPublished(t), values);
      return rowCount ?? 0;
    },
    async markFailed(id, owner, error, policy, options = {}) {
      checkOwner(owner);
      if (rowIds([id]).length === 0) return undefined;
      const given = checkNow(options.now) ?? null;
      const held = await connection
        .pool()
        .query<{ retry_count: number; now: Date }>(sql.heldRow(t), [given, id, owner]);
      const row = held.rows[0];
      if (!row) return undefined;
      const outcome = failureOutcome(policy, row.retry_count, row.now);
      const nextRetryAt = outcome.status === 'failed' ? outcome.nextRetryAt : null;
      const values = [row.now, id, owner, outcome.status, outcome.attempts, nextRetryAt, error];
      const { rowCount } = await run(sql.recordFailure(t), [...values, row.retry_count]);
      return rowCount === 1 ? outcome : undefined;
    },
    async releaseLeases(owner) {
      checkOwner(owner);
      return (await run(sql.releaseLeases(t), [owner])).rowCount ?? 0;
    },
    async requeueAbandoned() {
      return (await run(sql.requeueAbandoned(t), [])).rowCount ?? 0;
    },
    async countByStatus() {
      const counts = Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, 0])) as OutboxCounts;
      const { rows } = await connection
        .pool()
        .query<{ status: OutboxStatus; count: number }>(sql.countByStatus(t));
      for (const { status, count } of rows) counts[status] = count;
      return counts;
    },
    async cleanup(options) {
      const { publishedRetentionHours, abandonedRetentionHours, batchSize, now } =
        cleanupOptions(options);
      const values = [now ?? null, publishedRetentionHours, abandonedRetentionHours, batchSize];
      return connection.deleteInBatches(sql.cleanupBatch(t), values, batchSize);
    },
    async listAbandoned(options) {
      const { rows } = await connection
        .pool()
        .query<OutboxRow>(sql.listAbandoned(t), [listLimit(options)]);
      return rows.map(entryOf);
    },
  };
}
