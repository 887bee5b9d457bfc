/**
 * One-for-one supervision: each subscription or processor loop runs under a supervisor that
 * restarts it with backoff when it crashes, and gives up when it crashes more than `max_restarts`
 * times within `within_seconds`.
 */
import type { Logger } from '../ports/logger.js';
import { NO_TRACER, type Tracer } from '../ports/trace.js';
import { Backoff, systemClock } from './subscriptions/clock.js';
import type { Clock } from './subscriptions/clock.js';
import { errorFields } from './subscriptions/settings.js';

/** A loop the supervisor runs: `run()` resolves when stopped and rejects when it crashes. */
export interface Supervised {
  readonly name: string;
  run(): Promise<void>;
}

/** Options of {@link Supervisor}. */
export interface SupervisorOptions {
  /** Crashes tolerated within the window; one more and the supervisor gives up. */
  maxRestarts: number;
  /** The window, in seconds, over which crashes are counted. */
  withinSeconds: number;
  logger: Logger;
  /** @defaultValue the system clock */
  clock?: Clock;
  /** The first restart delay. @defaultValue 100 */
  initialBackoffMs?: number;
  /** Restart delays double up to this. @defaultValue 5000 */
  maxBackoffMs?: number;
  /** Where `supervisor.restarted` trace events go. @defaultValue none */
  tracer?: Tracer;
}

/** How a supervised loop ended: stopped (gracefully) or given up after too many crashes. */
export type SupervisionOutcome = 'stopped' | 'gave_up';

/**
 * Runs loops and restarts the ones that crash. `supervise()` resolves with `'stopped'` when the
 * loop ends normally (its `close()` was called) or after `stop()`, and with `'gave_up'` when the
 * loop crashed more than `maxRestarts` times within `withinSeconds` (the engine then shuts down
 * with exit code 1). Restart delays are 100 ms doubling to 5 s; `stop()` cuts a pending one short.
 */
export class Supervisor {
  readonly #options: SupervisorOptions;
  readonly #clock: Clock;
  readonly #abort = new AbortController();

  constructor(options: SupervisorOptions) {
    this.#options = options;
    this.#clock = options.clock ?? systemClock;
  }

  /** Whether `stop()` was called. */
  get stopped(): boolean {
    return this.#abort.signal.aborted;
  }

  /** No more restarts: pending backoffs end at once and crashes from now on end supervision. */
  stop(): void {
    this.#abort.abort();
  }

  /** Runs `worker.run()` until it ends normally, restarting it after each crash with backoff. */
  async supervise(worker: Supervised): Promise<SupervisionOutcome> {
    const backoff = new Backoff({
      initialMs: this.#options.initialBackoffMs ?? 100,
      maxMs: this.#options.maxBackoffMs ?? 5_000,
    });
    const crashes: number[] = [];
    let restarts = 0;
    for (;;) {
      try {
        await worker.run();
        return 'stopped';
      } catch (error) {
        if (this.stopped) return 'stopped';
        if (this.#tooMany(crashes)) return this.#giveUp(worker, crashes.length, restarts, error);
        const delayMs = backoff.next();
        restarts += 1;
        this.#options.logger.warn('loop crashed; restarting', {
          component: loopComponent(worker.name),
          loop: worker.name,
          restarts,
          delayMs,
          ...errorFields(error),
        });
        this.#traceRestart(worker, delayMs, error);
        await this.#clock.sleep(delayMs, this.#abort.signal);
        if (this.stopped) return 'stopped';
      }
    }
  }

  #traceRestart(worker: Supervised, delayMs: number, error: unknown): void {
    const tracer = this.#options.tracer ?? NO_TRACER;
    if (!tracer.on) return;
    const reason = errorFields(error).error;
    tracer.emit({ event: 'supervisor.restarted', loop: worker.name, delayMs, error: reason });
  }

  /** Records a crash now and tells whether it exceeds the restart intensity. */
  #tooMany(crashes: number[]): boolean {
    const now = this.#clock.now();
    crashes.push(now);
    const since = now - this.#options.withinSeconds * 1_000;
    while (crashes.length > 0 && (crashes[0] ?? now) <= since) crashes.shift();
    return crashes.length > this.#options.maxRestarts;
  }

  #giveUp(
    worker: Supervised,
    crashes: number,
    restarts: number,
    error: unknown,
  ): SupervisionOutcome {
    this.#options.logger.error('loop keeps crashing; giving up', {
      component: loopComponent(worker.name),
      loop: worker.name,
      restarts,
      crashes,
      withinSeconds: this.#options.withinSeconds,
      maxRestarts: this.#options.maxRestarts,
      ...errorFields(error),
    });
    return 'gave_up';
  }
}

/**
 * The logging component of a loop, for the supervisor's lines about it: `protean.outbox` for an
 * outbox processor (`outbox@<owner>`), `protean.subscription.<name>` for a subscription.
 */
export function loopComponent(loop: string): string {
  return loop.startsWith('outbox@') ? 'protean.outbox' : `protean.subscription.${loop}`;
}
