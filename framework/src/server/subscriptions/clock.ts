/**
 * Time as subscriptions see it: a clock tests can replace (retry delays, claim schedules and
 * backoffs then take no real time), and a capped exponential backoff for broker trouble.
 */
import { setTimeout as delay } from 'node:timers/promises';

/** What a subscription needs from time. */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Resolves after `ms`, or at once when `signal` aborts (never rejects). */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock: `Date.now` and timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  async sleep(ms, signal) {
    if (ms <= 0 || signal?.aborted) return;
    await delay(ms, undefined, { signal }).catch(() => undefined);
  },
};

/** Options of {@link Backoff}. */
export interface BackoffOptions {
  /** The first delay. @defaultValue 100 */
  initialMs?: number;
  /** Delays double up to this. @defaultValue 5000 */
  maxMs?: number;
}

/**
 * Delays that double after each consecutive failure, up to a cap, and start over after a success:
 * a broker that keeps failing is retried ever more slowly instead of in a hot loop.
 */
export class Backoff {
  readonly #initialMs: number;
  readonly #maxMs: number;
  #failures = 0;

  constructor(options: BackoffOptions = {}) {
    this.#initialMs = options.initialMs ?? 100;
    this.#maxMs = options.maxMs ?? 5_000;
  }

  /** The delay before the next attempt; each call doubles the following one. */
  next(): number {
    const ms = Math.min(this.#maxMs, this.#initialMs * 2 ** Math.min(this.#failures, 30));
    this.#failures += 1;
    return ms;
  }

  /** After a success: the next failure waits `initialMs` again. */
  reset(): void {
    this.#failures = 0;
  }
}
