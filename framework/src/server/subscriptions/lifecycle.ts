/**
 * The lifecycle every subscription shares: start once, cycle on demand (`tick`) or in a loop
 * (`run`), and close gracefully by letting the current cycle finish before the final save.
 */
import { IncorrectUsageError } from '../../core/errors.js';
import type { Clock } from './clock.js';

/** What a subscription plugs into its {@link Lifecycle}. */
export interface LifecycleHooks {
  /** Prepares to read; called once per start. */
  open(): Promise<void>;
  /** One cycle: `blocking` in the server loop, not in `tick()`. Resolves with messages consumed. */
  cycle(blocking: boolean): Promise<number>;
  /** How long the loop pauses after a cycle that consumed `consumed` messages. */
  pauseMs(consumed: number): number;
  /** Saves what must survive the stop (a position); called once per close, after the last cycle. */
  finish(): Promise<void>;
}

/**
 * Runs a subscription's hooks with the rules of {@link Subscription}: `tick()` and `run()` start
 * it if needed and never overlap; `close()` stops fetching, wakes any pause, waits for the current
 * cycle, then calls `finish()`.
 */
export class Lifecycle {
  readonly #clock: Clock;
  readonly #hooks: LifecycleHooks;
  #opened: Promise<void> | undefined;
  #closing = false;
  #abort = new AbortController();
  /** The cycle or loop in progress, if any. */
  #active: Promise<unknown> | undefined;
  #stopped: Promise<void> | undefined;

  constructor(clock: Clock, hooks: LifecycleHooks) {
    this.#clock = clock;
    this.#hooks = hooks;
  }

  /** True from `close()` until the next `start()`: loops stop and retries give up waiting. */
  get closing(): boolean {
    return this.#closing;
  }

  /** Opens once; a failed open may be tried again. */
  start(): Promise<void> {
    if (this.#closing) {
      this.#closing = false;
      this.#stopped = undefined;
      this.#abort = new AbortController();
    }
    this.#opened ??= this.#hooks.open().catch((error: unknown) => {
      this.#opened = undefined;
      throw error;
    });
    return this.#opened;
  }

  /** Sleeps `ms`, waking early when `close()` is called. */
  sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return this.#clock.sleep(ms, this.#abort.signal);
  }

  /** One non-blocking cycle (0 once closing). */
  async tick(): Promise<number> {
    await this.start();
    if (this.#closing) return 0;
    return this.#exclusive('tick()', () => this.#hooks.cycle(false));
  }

  /** Cycles until `close()`; rejects with the error of a crashed cycle. */
  async run(): Promise<void> {
    await this.start();
    await this.#exclusive('run()', async () => {
      while (!this.#closing) {
        const consumed = await this.#hooks.cycle(true);
        const pause = this.#hooks.pauseMs(consumed);
        if (pause > 0 && !this.#closing) await this.sleep(pause);
      }
    });
  }

  /** Graceful stop; calling it again resolves with the first call. */
  close(): Promise<void> {
    if (!this.#closing) {
      this.#closing = true;
      this.#abort.abort();
      this.#stopped = this.#stop();
    }
    return this.#stopped ?? Promise.resolve();
  }

  async #stop(): Promise<void> {
    await this.#active?.catch(() => undefined);
    const opened = this.#opened;
    this.#opened = undefined;
    if (opened === undefined) return;
    const ok = await opened.then(
      () => true,
      () => false,
    );
    if (ok) await this.#hooks.finish();
  }

  async #exclusive<R>(what: string, fn: () => Promise<R>): Promise<R> {
    if (this.#active) {
      throw new IncorrectUsageError(
        `${what} was called while the subscription is already processing; call tick() or run(), ` +
          'one at a time, and close() to stop run().',
      );
    }
    const active = fn();
    this.#active = active;
    try {
      return await active;
    } finally {
      this.#active = undefined;
    }
  }
}
