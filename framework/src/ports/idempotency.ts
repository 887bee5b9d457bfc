/**
 * The idempotency port: markers `(message id, handler)` written in the same database transaction
 * as a handler's or projector's effect. A redelivered message (at-least-once delivery) finds its
 * marker and is skipped, so its effect happens once. Markers are kept for a retention period
 * longer than any redelivery can come late, then cleaned up.
 */
import { IncorrectUsageError } from '../core/errors.js';
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

// ---------------------------------------------------------------------------------------------
// Checks shared by every adapter, so all of them reject the same input with the same message.
// ---------------------------------------------------------------------------------------------

/** Markers deleted per statement by `cleanup()` when no `batchSize` is given. */
export const DEFAULT_MARKER_BATCH = 1000;

/**
 * Throws `IncorrectUsageError` unless both parts of a marker are non-empty strings.
 *
 * @example
 * checkMarker(message.id, 'BookProjector');
 */
export function checkMarker(messageId: unknown, handler: unknown): void {
  if (typeof messageId !== 'string' || messageId === '')
    usage(`a message id, received ${show(messageId)}`);
  if (typeof handler !== 'string' || handler === '')
    usage(`a handler name, received ${show(handler)}`);
}

/** {@link MarkerCleanupOptions}, checked, with the default batch size. */
export interface CheckedMarkerCleanup {
  readonly retentionHours: number;
  readonly batchSize: number;
  readonly now: Date | undefined;
}

/**
 * Checks the options of `cleanup()` and fills in the default batch size.
 *
 * @example
 * const { retentionHours, batchSize } = markerCleanupOptions({ retentionHours: 720 });
 */
export function markerCleanupOptions(options: MarkerCleanupOptions): CheckedMarkerCleanup {
  const { retentionHours, batchSize = DEFAULT_MARKER_BATCH, now } = options;
  if (!(Number.isFinite(retentionHours) && retentionHours > 0))
    usage(`retentionHours to be a number > 0, received ${retentionHours}`);
  if (!Number.isInteger(batchSize) || batchSize < 1)
    usage(`batchSize to be an integer >= 1, received ${batchSize}`);
  if (now !== undefined && !(now instanceof Date && !Number.isNaN(now.getTime())))
    usage(`now to be a valid Date, received ${show(now)}`);
  return { retentionHours, batchSize, now };
}

function usage(expectation: string): never {
  throw new IncorrectUsageError(`The idempotency store expects ${expectation}.`);
}

function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}
