import { ExpectedVersionError } from '../core/errors.js';
import type { ConflictRetryConfig } from '../config/types.js';

/** One retry about to happen: told to `onRetry` before the pause. */
export interface ConflictRetryNotice {
  /** The run that failed (1 for the first). */
  readonly attempt: number;
  /** The pause before the next run, in milliseconds. */
  readonly delayMs: number;
  readonly error: ExpectedVersionError;
}

/** What {@link retryOnConflict} waits and draws with; tests replace both. */
export interface ConflictRetryTools {
  /** Waits `ms` milliseconds. @defaultValue a `setTimeout` promise */
  readonly sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1). @defaultValue `Math.random` */
  readonly random?: () => number;
  readonly onRetry?: (notice: ConflictRetryNotice) => void;
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The pause after the `attempt`-th run failed, with full jitter: anywhere from 0 up to
 * `base_delay_ms * 2^(attempt - 1)`, capped at `max_delay_ms`. Spreading the pauses out keeps
 * the handlers that just collided from colliding again in lock step.
 */
export function conflictDelay(
  attempt: number,
  policy: ConflictRetryConfig,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.max_delay_ms, policy.base_delay_ms * 2 ** (attempt - 1));
  return random() * ceiling;
}

/**
 * Runs `run`, and runs it again while it fails with `ExpectedVersionError`, at most
 * `policy.max_attempts` times in all, pausing {@link conflictDelay} between runs. Any other
 * error, and the conflict of the last run, is passed on as it is.
 */
export async function retryOnConflict<R>(
  run: () => Promise<R>,
  policy: ConflictRetryConfig,
  { sleep = pause, random = Math.random, onRetry }: ConflictRetryTools = {},
): Promise<R> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await run();
    } catch (error) {
      if (!(error instanceof ExpectedVersionError) || attempt >= policy.max_attempts) throw error;
      const delayMs = conflictDelay(attempt, policy, random);
      onRetry?.({ attempt, delayMs, error });
      await sleep(delayMs);
    }
  }
}
