/**
 * The outbox processor (docs/guides/outbox.md, "A row's life"): drains the transactional outbox
 * into a broker. Each tick claims a batch under a lease, publishes it, then marks it (claim ->
 * publish -> mark: a crash makes duplicates, never a loss). Failed publications are retried with
 * backoff and abandoned after `max_attempts`; expired leases of a crashed processor are reclaimed
 * by another.
 */
import type { Logger } from '../ports/logger.js';
import type { RetryPolicy } from '../ports/outbox.js';
import { failpoint } from '../internal/failpoints.js';
import { processBatch, type BatchContext } from './processor-batch.js';
import {
  processorSettings,
  type OutboxProcessorOptions,
  type ProcessorSettings,
} from './processor-options.js';
import { errorMessage, ProcessorMonitor, type OutboxProcessorStats } from './processor-stats.js';
import { PollBackoff } from './processor-timing.js';
import { createRetryPolicy } from './retry.js';

export {
  categoryStream,
  DEFAULT_CLEANUP_INTERVAL_SECONDS,
  processorOwner,
  type OutboxProcessorOptions,
} from './processor-options.js';
export { type OutboxProcessorStats } from './processor-stats.js';
export { abortableSleep, MIN_IDLE_WAIT_MS, PollBackoff, type Sleep } from './processor-timing.js';

/**
 * Publishes outbox rows to a broker, in ticks: `tick()` once (what the engine's test mode calls),
 * or `start()`/`run()` for the polling loop, which `close()` stops gracefully.
 *
 * Timing of the loop: `tick_interval` after a tick that found work; after an idle or failed tick
 * the wait doubles from twice `tick_interval` up to `max_tick_interval`, and starts over when a
 * tick finds work or `wake()` is called (a LISTEN/NOTIFY listener, the engine). `wake()` also cuts
 * the current wait short; polling stays the fallback. Every `cleanupIntervalSeconds` the loop
 * deletes finished rows past `[outbox.cleanup]` retention.
 *
 * @example
 * const processor = new OutboxProcessor({
 *   outbox: domain.outbox,
 *   broker: domain.broker,
 *   config: domain.config.outbox,
 *   owner: `relay-${process.pid}`, // unique per process: leases are taken in its name
 *   logger,
 * });
 * await processor.start();
 * // ... later, on shutdown:
 * await processor.close(); // finishes what is in flight, releases unstarted leases
 */
export class OutboxProcessor {
  readonly #settings: ProcessorSettings;
  readonly #policy: RetryPolicy;
  readonly #backoff: PollBackoff;
  readonly #batch: BatchContext;
  readonly #monitor: ProcessorMonitor;
  #stopping = false;
  #loop: Promise<void> | undefined;
  #current: Promise<number> | undefined;
  #waker: AbortController | undefined;
  #woken = false;
  #lastCleanupAt = -Infinity;

  constructor(options: OutboxProcessorOptions) {
    const settings = processorSettings(options);
    this.#settings = settings;
    this.#policy = createRetryPolicy(settings.config.retry, { random: settings.random });
    this.#backoff = new PollBackoff(
      settings.config.tick_interval,
      settings.config.max_tick_interval,
    );
    this.#batch = {
      ...settings,
      policy: this.#policy,
      now: () => this.#now(),
      stopping: () => this.#stopping,
    };
    this.#monitor = new ProcessorMonitor(settings.owner, settings.logger);
  }

  /** This processor's name on the rows it leases. */
  get owner(): string {
    return this.#settings.owner;
  }

  /** Whether the loop runs. */
  get running(): boolean {
    return this.#loop !== undefined && !this.#stopping;
  }

  /** A snapshot of the totals and state. */
  get stats(): OutboxProcessorStats {
    return this.#monitor.snapshot(this.running);
  }

  /**
   * Starts the loop in the background and resolves at once; idempotent. The loop's failures are
   * logged; a supervisor that wants them should await {@link run} instead.
   */
  async start(): Promise<void> {
    this.#ensureLoop().catch((error: unknown) => {
      this.#log.error('outbox processor loop crashed', {
        owner: this.owner,
        error: errorMessage(error),
      });
    });
  }

  /**
   * Runs the loop (starting it when needed) and resolves once `close()` stopped it. Rejects only
   * if the loop itself crashes: store and broker failures are logged and backed off.
   */
  run(): Promise<void> {
    return this.#ensureLoop();
  }

  /**
   * One cycle: claims up to `messages_per_tick` rows with a `lock_seconds` lease, publishes each
   * to `streamOf(message)`, marks them. Resolves with how many rows it claimed (0: no work).
   * Rejects when the store fails. Calls never overlap: a second waits for the first.
   *
   * @example
   * while ((await processor.tick()) > 0); // drain what is there now
   */
  async tick(): Promise<number> {
    const previous = this.#current?.catch(() => 0) ?? Promise.resolve(0);
    const cycle = previous.then(() => this.#cycle());
    this.#current = cycle;
    try {
      return await cycle;
    } finally {
      if (this.#current === cycle) this.#current = undefined;
    }
  }

  /** Cuts the loop's current wait short and starts the idle backoff over (work is coming). */
  wake(): void {
    this.#backoff.reset();
    if (this.#waker) this.#waker.abort();
    else if (this.running) this.#woken = true;
  }

  /**
   * Deletes published and abandoned rows past their `[outbox.cleanup]` retention; resolves with
   * how many. The loop calls it every `cleanupIntervalSeconds`.
   */
  async cleanup(): Promise<number> {
    const { published_retention_hours, abandoned_retention_hours } = this.#settings.config.cleanup;
    const deleted = await this.#settings.outbox.cleanup({
      publishedRetentionHours: published_retention_hours,
      abandonedRetentionHours: abandoned_retention_hours,
      now: this.#now(),
    });
    this.#monitor.cleanedUp(deleted);
    return deleted;
  }

  /**
   * Graceful stop: no new claim, the current wait ends at once, the message being published is
   * finished and the batch's published and failed rows are marked; rows claimed but not started
   * go back to `pending` (`releaseLeases`). Never rejects (a failed release is logged: those
   * leases expire after `lock_seconds`). `start()` may be called again afterwards.
   */
  async close(): Promise<void> {
    this.#stopping = true;
    this.#waker?.abort();
    await this.#loop?.catch(() => undefined);
    await this.#current?.catch(() => undefined);
    await this.#releaseLeases();
  }

  get #log(): Logger {
    return this.#settings.logger;
  }

  #now(): Date | undefined {
    const { clock } = this.#settings;
    return clock ? new Date(clock()) : undefined;
  }

  #clockMs(): number {
    return (this.#settings.clock ?? Date.now)();
  }

  #ensureLoop(): Promise<void> {
    if (!this.#loop) {
      this.#stopping = false;
      this.#loop = this.#runLoop().finally(() => {
        this.#loop = undefined;
      });
    }
    return this.#loop;
  }

  async #runLoop(): Promise<void> {
    this.#backoff.reset();
    this.#log.info('outbox processor started', { owner: this.owner });
    while (!this.#stopping) {
      const wait = await this.#step();
      if (this.#stopping) break;
      await this.#wait(wait);
    }
    this.#log.info('outbox processor stopped', { ...this.#monitor.snapshot(false) });
  }

  /** One tick of the loop (and a cleanup when due); resolves with the wait before the next. */
  async #step(): Promise<number> {
    let handled: number;
    try {
      handled = await this.tick();
    } catch (error) {
      this.#monitor.failed(error);
      return this.#backoff.afterIdle();
    }
    this.#monitor.succeeded();
    await this.#cleanupWhenDue();
    return handled > 0 ? this.#backoff.afterWork() : this.#backoff.afterIdle();
  }

  async #wait(ms: number): Promise<void> {
    if (this.#woken) {
      this.#woken = false;
      return;
    }
    const waker = new AbortController();
    this.#waker = waker;
    try {
      await this.#settings.sleep(ms, waker.signal);
    } finally {
      this.#waker = undefined;
    }
  }

  async #cycle(): Promise<number> {
    if (this.#stopping) return 0;
    const { outbox, config, owner } = this.#settings;
    const rows = await outbox.claim({
      owner,
      limit: config.messages_per_tick,
      leaseSeconds: config.lock_seconds,
      now: this.#now(),
    });
    this.#monitor.claimed();
    if (rows.length > 0) {
      failpoint('relay.after_claim');
      this.#monitor.batch(await processBatch(rows, this.#batch), rows.length);
    }
    this.#monitor.tickEnded(new Date(this.#clockMs()));
    return rows.length;
  }

  async #cleanupWhenDue(): Promise<void> {
    const interval = this.#settings.cleanupIntervalMs;
    const now = this.#clockMs();
    if (interval === 0 || now - this.#lastCleanupAt < interval) return;
    this.#lastCleanupAt = now;
    try {
      await this.cleanup();
    } catch (error) {
      this.#log.warn('outbox cleanup failed', { owner: this.owner, error: errorMessage(error) });
    }
  }

  async #releaseLeases(): Promise<void> {
    try {
      const released = await this.#settings.outbox.releaseLeases(this.owner);
      if (released > 0) this.#log.info('outbox leases released', { owner: this.owner, released });
    } catch (error) {
      const fields = { owner: this.owner, error: errorMessage(error) };
      this.#log.error('outbox leases not released; they expire after lock_seconds', fields);
    }
  }
}
