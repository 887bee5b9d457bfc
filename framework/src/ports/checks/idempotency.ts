/**
 * Argument checks shared by every idempotency store adapter, so all of them reject the same input
 * with the same message.
 */
import type { MarkerCleanupOptions } from '../idempotency.js';
import { expects, show } from './usage.js';

const usage: (expectation: string) => never = expects('The idempotency store');

/** Markers deleted per statement by `cleanup()` when no `batchSize` is given. */
export const DEFAULT_MARKER_BATCH = 1000;

/** Throws `IncorrectUsageError` unless both parts of a marker are non-empty strings. */
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

/** Checks the options of `cleanup()` and fills in the default batch size. */
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
