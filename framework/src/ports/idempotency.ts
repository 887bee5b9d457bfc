/**
 * The idempotency port: markers `(message id, handler)` written in the same database transaction
 * as a handler's or projector's effect. A redelivered message (at-least-once delivery) finds its
 * marker and is skipped, so its effect happens once. Markers are kept for a retention period
 * longer than any redelivery can come late, then cleaned up.
 */
import type { SchemaOperations, TransactionLink } from './database.js';

/** Options of {@link IdempotencyStore.mark}. */
export interface MarkMessageOptions {
  /**
   * The transaction holding the handler's effect, when the store can join it
   * ({@link IdempotencyStore.canJoin}): the marker exists if and only if it commits. Otherwise
   * the marker is written at once, and the effect and its marker are no longer atomic.
   */
  transaction?: TransactionLink | undefined;
  /** The marker's time, for cleanup. @defaultValue the adapter's clock */
  now?: Date | undefined;
}

/** Options of {@link IdempotencyStore.has}. */
export interface HasMarkOptions {
  /** Read inside this transaction (its own markers included), when the store can join it. */
  transaction?: TransactionLink | undefined;
}

/** Options of {@link IdempotencyStore.cleanup}. */
export interface MarkerCleanupOptions {
  /** Markers older than this many hours are deleted (> 0). */
  retentionHours: number;
  /** Markers deleted per statement. @defaultValue 1000 */
  batchSize?: number | undefined;
  /** @defaultValue the adapter's clock */
  now?: Date | undefined;
}

/**
 * A store of `(message id, handler)` markers. Errors: `IncorrectUsageError` (code
 * `INCORRECT_USAGE`) for an empty message id or handler, or a call before `start()`.
 *
 * Concurrency: when two transactions mark the same pair, one wins. PostgreSQL makes the second
 * wait until the first ends: it then gets `false` if the first committed, `true` if it rolled back.
 *
 * @example
 * const session = await database.begin();
 * if (await markers.mark(message.id, 'BookProjector', { transaction: session.link })) {
 *   await applyEffect(session, message); // first delivery: apply and commit both
 *   await session.commit();
 * } else {
 *   await session.rollback(); // already applied: skip
 * }
 */
export interface IdempotencyStore extends Partial<SchemaOperations> {
  /** The provider's name, e.g. `memory` or `postgresql`. */
  readonly provider: string;
  /** Connects (a no-op for memory). */
  start(): Promise<void>;
  /** Releases connections and resources. */
  close(): Promise<void>;

  /** Whether {@link mark} writes inside `transaction` (same technology and database). */
  canJoin(transaction: TransactionLink): boolean;

  /**
   * Records that `handler` applied `messageId`. Resolves `true` when the marker is new (apply
   * the effect), `false` when it already existed (the message was applied: skip it).
   */
  mark(messageId: string, handler: string, options?: MarkMessageOptions): Promise<boolean>;

  /** Whether `handler` has applied `messageId` (committed markers, or the transaction's own). */
  has(messageId: string, handler: string, options?: HasMarkOptions): Promise<boolean>;

  /** Deletes markers older than the retention, in batches. Resolves with how many. */
  cleanup(options: MarkerCleanupOptions): Promise<number>;
}
