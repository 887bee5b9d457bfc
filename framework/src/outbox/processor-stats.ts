/**
 * What the outbox processor has done, for health checks and metrics, and the log lines that go
 * with it: a summary per batch, one loud line per store outage and one when it ends.
 */
import type { Logger } from '../ports/logger.js';
import type { BatchOutcome } from './processor-batch.js';

/** Totals and state of a processor since it was built. */
export interface OutboxProcessorStats {
  readonly owner: string;
  /** Whether the loop runs (between `start()`/`run()` and `close()`). */
  readonly running: boolean;
  /** Ticks that reached the store (claims made). */
  readonly ticks: number;
  /** Rows marked published. */
  readonly published: number;
  /** Failed attempts rescheduled for a retry. */
  readonly failed: number;
  /** Rows given up after `max_attempts`. */
  readonly abandoned: number;
  /** Rows whose mark was fenced off because their lease had expired. */
  readonly leaseLost: number;
  /** Ticks of the loop that failed because the store failed. */
  readonly errors: number;
  /** Finished rows deleted by cleanups. */
  readonly cleanedUp: number;
  /** When the last tick ended without an error. */
  readonly lastTickAt: Date | undefined;
  /** The message of the last store error of the loop. */
  readonly lastError: string | undefined;
}

type Counters = Omit<OutboxProcessorStats, 'owner' | 'running' | 'lastTickAt' | 'lastError'>;
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Counts and logs what one processor does. */
export class ProcessorMonitor {
  readonly #owner: string;
  readonly #log: Logger;
  readonly #counters: Mutable<Counters> = {
    ticks: 0,
    published: 0,
    failed: 0,
    abandoned: 0,
    leaseLost: 0,
    errors: 0,
    cleanedUp: 0,
  };
  #lastTickAt: Date | undefined;
  #lastError: string | undefined;
  #errorStreak = 0;

  constructor(owner: string, logger: Logger) {
    this.#owner = owner;
    this.#log = logger;
  }

  /** The totals, with `running` as the processor says. */
  snapshot(running: boolean): OutboxProcessorStats {
    const [owner, lastTickAt, lastError] = [this.#owner, this.#lastTickAt, this.#lastError];
    return { owner, running, ...this.#counters, lastTickAt, lastError };
  }

  /** A claim reached the store. */
  claimed(): void {
    this.#counters.ticks += 1;
  }

  /** A tick ended without an error at `at`. */
  tickEnded(at: Date): void {
    this.#lastTickAt = at;
  }

  /** Adds a batch's outcome and logs its summary (info). */
  batch(outcome: BatchOutcome, claimed: number): void {
    const counters = this.#counters;
    counters.published += outcome.published;
    counters.failed += outcome.failed;
    counters.abandoned += outcome.abandoned;
    counters.leaseLost += outcome.leaseLost;
    this.#log.info('outbox batch', { owner: this.#owner, claimed, ...outcome });
  }

  /** A cleanup deleted `deleted` rows. */
  cleanedUp(deleted: number): void {
    this.#counters.cleanedUp += deleted;
    if (deleted > 0) this.#log.info('outbox cleanup', { owner: this.#owner, deleted });
  }

  /** A tick of the loop failed: error once per outage, debug while it lasts. */
  failed(error: unknown): void {
    this.#counters.errors += 1;
    this.#errorStreak += 1;
    this.#lastError = errorMessage(error);
    const fields = { owner: this.#owner, error: this.#lastError, failures: this.#errorStreak };
    if (this.#errorStreak === 1)
      this.#log.error('outbox processor tick failed; backing off', fields);
    else this.#log.debug('outbox processor tick failed again', fields);
  }

  /** A tick of the loop succeeded: ends an outage, if there was one. */
  succeeded(): void {
    if (this.#errorStreak === 0) return;
    this.#log.info('outbox processor recovered', {
      owner: this.#owner,
      failures: this.#errorStreak,
    });
    this.#errorStreak = 0;
  }
}

/** The message of an error, or the thrown value as a string. */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
