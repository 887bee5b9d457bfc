/**
 * The outbox port: a table of messages written in the same database transaction as the change
 * that raised them, and published to a broker afterwards by the outbox processor (claim ->
 * publish -> mark; a crash between publish and mark makes a duplicate, never a loss).
 *
 * A row's life: `pending` -> claimed (`processing`, leased to one owner until `lockedUntil`) ->
 * `published`; or, when publishing fails, `failed` until its `nextRetryAt`, claimed again, and
 * `abandoned` after the retry policy's last attempt (kept, listed, re-queueable). A `processing`
 * row whose lease expired is claimed again by anyone (a crashed processor's rows get published by
 * another), and the old owner's late marks change nothing: every mark is fenced on the lease.
 *
 * Time: every method whose outcome depends on the clock takes an optional `now` (the default is
 * the adapter's clock: the process's for memory, the server's `now()` for PostgreSQL), so tests
 * move time instead of sleeping.
 */
import type { Envelope } from '../core/envelope.js';
import type { SchemaOperations, TransactionLink } from './database.js';

/** Every status an outbox row can have, in the order of its life. */
export const OUTBOX_STATUSES = [
  'pending',
  'processing',
  'published',
  'failed',
  'abandoned',
] as const;

/** One of {@link OUTBOX_STATUSES}. */
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** How many rows have each status. */
export type OutboxCounts = Record<OutboxStatus, number>;

/** A row handed to one owner by {@link OutboxStore.claim}: publish it, then mark it. */
export interface ClaimedMessage {
  /** The row's id: increases in enqueue (commit) order; not the message's id. */
  readonly id: string;
  readonly message: Envelope;
  /** The `[brokers.<name>]` to publish to. */
  readonly broker: string;
  /** Failed publish attempts so far (0 for a first try). */
  readonly attempts: number;
  /** The lease: after this instant the row may be claimed by another owner. */
  readonly lockedUntil: Date;
}

/** A whole row, as `protean outbox status` lists it. */
export interface OutboxEntry {
  readonly id: string;
  readonly message: Envelope;
  readonly broker: string;
  readonly status: OutboxStatus;
  /** Failed publish attempts so far. */
  readonly attempts: number;
  readonly createdAt: Date;
  /** When a `failed` row may be claimed again. */
  readonly nextRetryAt?: Date | undefined;
  readonly lockedBy?: string | undefined;
  readonly lockedUntil?: Date | undefined;
  /** The error of the last failed attempt. */
  readonly lastError?: string | undefined;
  /** When the last attempt failed (for an `abandoned` row: when it was given up). */
  readonly failedAt?: Date | undefined;
  readonly publishedAt?: Date | undefined;
}

/**
 * When a failed message is tried again, and when it is given up. `createRetryPolicy()` of
 * `outbox/retry.ts` builds one from `[outbox.retry]`.
 */
export interface RetryPolicy {
  /** Attempts in all (the first included) before a message is abandoned. */
  readonly maxAttempts: number;
  /** Seconds to wait before the next attempt, after `n` earlier failed attempts (0, 1, ...). */
  delaySeconds(n: number): number;
  /** Whether a message that has failed `attempts` times in all is given up. */
  shouldAbandon(attempts: number): boolean;
}

/** Options of {@link OutboxStore.enqueue}. */
export interface EnqueueOptions {
  /** The `[brokers.<name>]` to publish to. @defaultValue `'default'` */
  broker?: string | undefined;
  /**
   * The database transaction to write in, when the store can join it ({@link OutboxStore.canJoin}):
   * then the rows exist if and only if that transaction commits. Otherwise they are written at once.
   */
  transaction?: TransactionLink | undefined;
  /** The rows' creation time. @defaultValue the adapter's clock */
  now?: Date | undefined;
}

/** Options of {@link OutboxStore.claim}. */
export interface OutboxClaimOptions {
  /** Who claims: a processor's unique name (host, pid, random suffix). */
  owner: string;
  /** At most this many rows (an integer >= 1). */
  limit: number;
  /** How long the claimed rows are leased to `owner` (> 0). */
  leaseSeconds: number;
  /** @defaultValue the adapter's clock */
  now?: Date | undefined;
}

/** The clock of a mark; see {@link OutboxStore.markPublished}. */
export interface MarkOptions {
  /** @defaultValue the adapter's clock */
  now?: Date | undefined;
}

/** What {@link OutboxStore.markFailed} did: rescheduled the row, or gave it up. */
export type FailureOutcome =
  | { readonly status: 'failed'; readonly attempts: number; readonly nextRetryAt: Date }
  | { readonly status: 'abandoned'; readonly attempts: number };

/** Options of {@link OutboxStore.cleanup}: how long finished rows are kept. */
export interface OutboxCleanupOptions {
  /** Published rows older than this (since `publishedAt`) are deleted (> 0). */
  publishedRetentionHours: number;
  /** Abandoned rows older than this (since `failedAt`) are deleted (> 0). */
  abandonedRetentionHours: number;
  /** Rows deleted per statement, so no statement holds many locks. @defaultValue 1000 */
  batchSize?: number | undefined;
  /** @defaultValue the adapter's clock */
  now?: Date | undefined;
}

/** Options of {@link OutboxStore.listAbandoned}. */
export interface ListOptions {
  /** At most this many rows, oldest first. @defaultValue 100 */
  limit?: number | undefined;
}

/**
 * The transactional outbox. Errors: `IncorrectUsageError` (code `INCORRECT_USAGE`) for bad
 * arguments (an empty owner, a limit of 0, a message that is not JSON, a call before `start()`).
 *
 * @example
 * await outbox.enqueue(events, { transaction: session.link }); // inside the unit of work
 * // ... the processor:
 * const claimed = await outbox.claim({ owner: 'relay-1', limit: 50, leaseSeconds: 300 });
 * for (const row of claimed) {
 *   try {
 *     await broker.publish(categoryOf(row.message.stream), row.message);
 *     await outbox.markPublished([row.id], 'relay-1');
 *   } catch (error) {
 *     await outbox.markFailed(row.id, 'relay-1', String(error), policy);
 *   }
 * }
 */
export interface OutboxStore extends Partial<SchemaOperations> {
  /** The provider's name, e.g. `memory` or `postgresql`. */
  readonly provider: string;
  /** Connects (a no-op for memory). */
  start(): Promise<void>;
  /** Releases connections and resources. */
  close(): Promise<void>;

  /** Whether {@link enqueue} writes inside `transaction` (same technology and database). */
  canJoin(transaction: TransactionLink): boolean;

  /** Adds one `pending` row per message, in order. */
  enqueue(messages: readonly Envelope[], options?: EnqueueOptions): Promise<void>;

  /**
   * Atomically leases up to `limit` claimable rows to `owner`, oldest first, and returns them in
   * that order. Claimable: `pending`; `failed` with `nextRetryAt <= now`; `processing` with
   * `lockedUntil <= now` (an expired lease: reclaimed). No row is ever leased to two owners.
   */
  claim(options: OutboxClaimOptions): Promise<ClaimedMessage[]>;

  /**
   * Marks the rows `published`, fenced on the lease: only rows still `processing`, locked by
   * `owner`, with `lockedUntil > now` change. Resolves with how many did.
   */
  markPublished(ids: readonly string[], owner: string, options?: MarkOptions): Promise<number>;

  /**
   * Records a failed attempt on a row `owner` holds (same fence as {@link markPublished}):
   * `attempts + 1`, then `failed` with `nextRetryAt = now + policy.delaySeconds(attempts)`, or
   * `abandoned` when `policy.shouldAbandon(attempts + 1)`. Resolves `undefined` when the fence
   * held it off (the lease was lost) and nothing changed.
   */
  markFailed(
    id: string,
    owner: string,
    error: string,
    policy: RetryPolicy,
    options?: MarkOptions,
  ): Promise<FailureOutcome | undefined>;

  /** Graceful shutdown: `owner`'s `processing` rows go back to `pending`. Resolves with how many. */
  releaseLeases(owner: string): Promise<number>;

  /** Every `abandoned` row goes back to `pending` with 0 attempts. Resolves with how many. */
  requeueAbandoned(): Promise<number>;

  /** How many rows have each status (0 for a status no row has). */
  countByStatus(): Promise<OutboxCounts>;

  /**
   * Deletes `published` and `abandoned` rows past their retention, `batchSize` rows per
   * statement, until none is left. Resolves with how many rows were deleted.
   */
  cleanup(options: OutboxCleanupOptions): Promise<number>;

  /** The `abandoned` rows, oldest first. */
  listAbandoned(options?: ListOptions): Promise<OutboxEntry[]>;
}
