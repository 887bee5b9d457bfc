/**
 * When the outbox processor polls again: `tick_interval` after a tick that found work; after an
 * idle (or failed) tick a wait that doubles each time, up to `max_tick_interval`, and starts over
 * as soon as a tick finds work or something calls `wake()`.
 */

/**
 * Waits `ms` milliseconds, or less when `signal` aborts (a `wake()` or a `close()`); never rejects.
 * Tests pass their own to observe the waits without sleeping.
 */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

/**
 * The shortest idle wait, in milliseconds, whatever `tick_interval` says: doubling a wait of 0
 * would leave an idle processor polling in a hot loop.
 */
export const MIN_IDLE_WAIT_MS = 10;

/**
 * The default {@link Sleep}: a timer, cleared when `signal` aborts. The timer is not unref'd: a
 * processor waiting for work is what keeps an engine alive, and `close()` aborts the wait.
 */
export const abortableSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * The polling schedule, in milliseconds. Busy: `tick_interval`. Idle or failing: twice the
 * previous idle wait, starting from twice `tick_interval` (at least {@link MIN_IDLE_WAIT_MS}),
 * capped at `max_tick_interval` (or `tick_interval`, when that is larger).
 */
export class PollBackoff {
  readonly #busyMs: number;
  readonly #baseMs: number;
  readonly #maxMs: number;
  #idleMs: number;

  constructor(tickIntervalSeconds: number, maxTickIntervalSeconds: number) {
    this.#busyMs = tickIntervalSeconds * 1000;
    this.#baseMs = Math.max(this.#busyMs, MIN_IDLE_WAIT_MS);
    this.#maxMs = Math.max(maxTickIntervalSeconds * 1000, this.#busyMs);
    this.#idleMs = this.#baseMs;
  }

  /** The wait after a tick that found work; the idle wait starts over. */
  afterWork(): number {
    this.reset();
    return this.#busyMs;
  }

  /** The wait after a tick that found nothing (or failed): doubles up to the cap. */
  afterIdle(): number {
    this.#idleMs = Math.min(this.#idleMs * 2, this.#maxMs);
    return this.#idleMs;
  }

  /** Starts the idle waits over (a wake-up says work is coming). */
  reset(): void {
    this.#idleMs = this.#baseMs;
  }
}
