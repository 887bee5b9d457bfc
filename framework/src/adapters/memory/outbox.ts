import type { Envelope } from '../../core/envelope.js';
import type { MemoryTransactionHandle, TransactionLink } from '../../ports/database.js';
import {
  OUTBOX_STATUSES,
  type ClaimedMessage,
  type FailureOutcome,
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
  leaseEnd,
  listLimit,
  retentionCutoff,
  serializeMessages,
} from '../../ports/checks/outbox.js';

/** One row; the message is kept as JSON text, so nothing a caller does to it reaches the store. */
interface Row {
  readonly id: number;
  readonly json: string;
  readonly broker: string;
  readonly createdAt: number;
  status: OutboxStatus;
  attempts: number;
  nextRetryAt?: number | undefined;
  lockedBy?: string | undefined;
  lockedUntil?: number | undefined;
  lastError?: string | undefined;
  failedAt?: number | undefined;
  publishedAt?: number | undefined;
}

const time = (now: Date | undefined): number => (checkNow(now) ?? new Date()).getTime();
const date = (ms: number | undefined): Date | undefined =>
  ms === undefined ? undefined : new Date(ms);
const parse = (row: Row): Envelope => JSON.parse(row.json) as Envelope;

function claimable(row: Row, now: number): boolean {
  if (row.status === 'pending') return true;
  if (row.status === 'failed') return (row.nextRetryAt ?? 0) <= now;
  return row.status === 'processing' && (row.lockedUntil ?? 0) <= now;
}

/** The fence of every mark: the row is still leased to `owner`, and the lease has not expired. */
function held(row: Row | undefined, owner: string, now: number): row is Row {
  return row?.status === 'processing' && row.lockedBy === owner && (row.lockedUntil ?? 0) > now;
}

function lease(row: Row, owner: string, lockedUntil: number): void {
  row.status = 'processing';
  row.lockedBy = owner;
  row.lockedUntil = lockedUntil;
}

function recordFailure(row: Row, outcome: FailureOutcome, error: string, now: number): void {
  row.status = outcome.status;
  row.attempts = outcome.attempts;
  row.nextRetryAt = outcome.status === 'failed' ? outcome.nextRetryAt.getTime() : undefined;
  row.lastError = error;
  row.failedAt = now;
  releaseLease(row);
}

function releaseLease(row: Row): void {
  row.lockedBy = undefined;
  row.lockedUntil = undefined;
}

function claimedOf(row: Row): ClaimedMessage {
  const { broker, attempts } = row;
  const lockedUntil = new Date(row.lockedUntil ?? 0);
  return { id: String(row.id), message: parse(row), broker, attempts, lockedUntil };
}

function entryOf(row: Row): OutboxEntry {
  return {
    id: String(row.id),
    message: parse(row),
    broker: row.broker,
    status: row.status,
    attempts: row.attempts,
    createdAt: new Date(row.createdAt),
    nextRetryAt: date(row.nextRetryAt),
    lockedBy: row.lockedBy,
    lockedUntil: date(row.lockedUntil),
    lastError: row.lastError,
    failedAt: date(row.failedAt),
    publishedAt: date(row.publishedAt),
  };
}

/** The rows, and the ids of the unfinished ones (`pending`, `processing`, `failed`) in id order. */
class Table {
  readonly rows = new Map<number, Row>();
  #open = new Set<number>();
  #lastId = 0;

  insert(jsons: readonly string[], broker: string, createdAt: number): void {
    for (const json of jsons) {
      const id = (this.#lastId += 1);
      this.rows.set(id, { id, json, broker, createdAt, status: 'pending', attempts: 0 });
      this.#open.add(id);
    }
  }

  /** Unfinished rows, oldest first: claims scan these, never the published history. */
  *open(): Iterable<Row> {
    for (const id of this.#open) {
      const row = this.rows.get(id);
      if (row) yield row;
    }
  }

  finish(row: Row): void {
    this.#open.delete(row.id);
  }

  reopen(rows: readonly Row[]): void {
    if (rows.length === 0) return;
    const ids = [...this.#open, ...rows.map(({ id }) => id)];
    this.#open = new Set(ids.sort((a, b) => a - b));
  }

  delete(id: number): void {
    this.rows.delete(id);
    this.#open.delete(id);
  }
}

/** Deletes finished rows older than their cutoff, `batchSize` at a time; returns how many. */
function deleteExpired(table: Table, cutoffs: Record<string, number>, batchSize: number): number {
  let deleted = 0;
  for (;;) {
    const batch: number[] = [];
    for (const row of table.rows.values()) {
      const finishedAt = row.status === 'published' ? row.publishedAt : row.failedAt;
      const cutoff = cutoffs[row.status];
      if (cutoff !== undefined && (finishedAt ?? Infinity) < cutoff) batch.push(row.id);
      if (batch.length === batchSize) break;
    }
    batch.forEach((id) => table.delete(id));
    deleted += batch.length;
    if (batch.length < batchSize) return deleted;
  }
}

/**
 * The embedded outbox: rows live in the process, numbered 1, 2, 3, ... in the order they are
 * written. Inside a memory database transaction, `enqueue()` checks the messages at once and
 * writes them when the transaction commits (nothing when it rolls back). `close()` drops every row.
 *
 * @example
 * const outbox = createMemoryOutbox();
 * await outbox.start();
 * await outbox.enqueue([bookAdded], { transaction: session.link });
 * await session.commit();
 * const [row] = await outbox.claim({ owner: 'relay-1', limit: 10, leaseSeconds: 300 });
 */
export function createMemoryOutbox(): OutboxStore {
  let table = new Table();
  return {
    provider: 'memory',
    async start() {},
    async close() {
      table = new Table();
    },
    async setup() {},
    async truncate() {
      table = new Table();
    },
    async drop() {
      table = new Table();
    },
    canJoin: (transaction: TransactionLink) => transaction.technology === 'memory',
    async enqueue(messages, options = {}) {
      const [jsons, broker, now] = [
        serializeMessages(messages),
        brokerOf(options),
        time(options.now),
      ];
      if (jsons.length === 0) return;
      const { transaction } = options;
      if (transaction?.technology !== 'memory') return table.insert(jsons, broker, now);
      const handle = transaction.handle as MemoryTransactionHandle;
      // Reads `table` when the transaction commits, so the rows land in the current one.
      handle.afterCommit(() => table.insert(jsons, broker, now));
    },
    async claim(options) {
      const { owner, limit, leaseSeconds, now: given } = claimOptions(options);
      const now = time(given);
      const lockedUntil = leaseEnd(new Date(now), leaseSeconds).getTime();
      const claimed: ClaimedMessage[] = [];
      for (const row of table.open()) {
        if (claimed.length === limit) break;
        if (!claimable(row, now)) continue;
        lease(row, owner, lockedUntil);
        claimed.push(claimedOf(row));
      }
      return claimed;
    },
    async markPublished(ids, owner, options = {}) {
      checkOwner(owner);
      const now = time(options.now);
      let marked = 0;
      for (const id of new Set(ids)) {
        const row = table.rows.get(Number(id));
        if (!held(row, owner, now)) continue;
        row.status = 'published';
        row.publishedAt = now;
        releaseLease(row);
        table.finish(row);
        marked += 1;
      }
      return marked;
    },
    async markFailed(id, owner, error, policy, options = {}) {
      checkOwner(owner);
      const now = time(options.now);
      const row = table.rows.get(Number(id));
      if (!held(row, owner, now)) return undefined;
      const outcome = failureOutcome(policy, row.attempts, new Date(now));
      recordFailure(row, outcome, error, now);
      if (outcome.status === 'abandoned') table.finish(row);
      return outcome;
    },
    async releaseLeases(owner) {
      checkOwner(owner);
      let released = 0;
      for (const row of table.open()) {
        if (row.status !== 'processing' || row.lockedBy !== owner) continue;
        row.status = 'pending';
        releaseLease(row);
        released += 1;
      }
      return released;
    },
    async requeueAbandoned() {
      const rows = [...table.rows.values()].filter((row) => row.status === 'abandoned');
      for (const row of rows) {
        row.status = 'pending';
        row.attempts = 0;
        row.nextRetryAt = undefined;
      }
      table.reopen(rows);
      return rows.length;
    },
    async countByStatus() {
      const counts = Object.fromEntries(OUTBOX_STATUSES.map((s) => [s, 0])) as OutboxCounts;
      for (const row of table.rows.values()) counts[row.status] += 1;
      return counts;
    },
    async cleanup(options) {
      const { publishedRetentionHours, abandonedRetentionHours, batchSize, now } =
        cleanupOptions(options);
      const at = new Date(time(now));
      const cutoffs = {
        published: retentionCutoff(at, publishedRetentionHours).getTime(),
        abandoned: retentionCutoff(at, abandonedRetentionHours).getTime(),
      };
      return deleteExpired(table, cutoffs, batchSize);
    },
    async listAbandoned(options) {
      const limit = listLimit(options);
      const rows = [...table.rows.values()].filter((row) => row.status === 'abandoned');
      return rows.slice(0, limit).map(entryOf);
    },
  };
}
