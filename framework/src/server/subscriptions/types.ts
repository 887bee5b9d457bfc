/**
 * What every subscription offers the engine: a lifecycle, one processing cycle at a time (test
 * mode), a loop (the server), and counters for health and `protean subscriptions status`.
 */
import type { Domain } from '../../domain/domain.js';

/**
 * How a subscription reads its messages: `event_store` polls a category of the event store,
 * `stream` reads a category stream of the broker through a consumer group, `broker` reads a
 * subscriber's external stream. Wider than the configurable `subscription_type`, which has no
 * `broker`: that one is implied by `domain.subscriber()`.
 */
export type SubscriptionType = 'event_store' | 'stream' | 'broker';

/** A snapshot of a subscription's counters. */
export interface SubscriptionStatus {
  readonly name: string;
  readonly handler: string;
  readonly type: SubscriptionType;
  /** The category (event store), category stream or external stream it reads. */
  readonly stream: string;
  /** Messages handled successfully. */
  readonly processed: number;
  /**
   * Failures: for `event_store`, messages given up after `max_retries` attempts; for `stream`
   * and `broker`, failed deliveries (each one, retried or not).
   */
  readonly failed: number;
  /** Entries moved to the dead-letter queue (always 0 for `event_store`). */
  readonly deadLettered: number;
  /** `event_store`: the global position of the last message consumed (0 for none). */
  readonly position?: number;
  /** `stream` and `broker`: the id of the last entry acknowledged. */
  readonly lastId?: string;
}

/**
 * A subscription: reads one stream or category for one handler and hands each message over.
 *
 * Lifecycle: `start()` once, then either `run()` (the server's loop, until `close()`) or
 * `tick()` repeatedly (test mode, until every subscription returns 0); `close()` finishes the
 * current cycle, saves what must be saved, and stops.
 *
 * @example
 * await subscription.start();
 * while ((await subscription.tick()) > 0);
 * await subscription.close();
 */
export interface Subscription {
  /** Unique within an engine, e.g. `CatalogProjector@bookshelf::book`. */
  readonly name: string;
  /** The handler, projector or subscriber it feeds (and the consumer group of broker types). */
  readonly handler: string;
  readonly type: SubscriptionType;
  /** The category or stream it reads. */
  readonly stream: string;
  /** Prepares to read (loads the position, creates the consumer group). Idempotent. */
  start(): Promise<void>;
  /**
   * One processing cycle, without waiting for new messages; resolves with how many messages it
   * consumed, so that 0 everywhere means there is nothing left to do. Starts if needed.
   */
  tick(): Promise<number>;
  /**
   * Processes until `close()`: cycles with blocking reads (streams) or polling paced by
   * `tick_interval` (event store). Rejects if the loop crashes (for the supervisor to restart).
   */
  run(): Promise<void>;
  /** Graceful stop: no new reads, the current cycle finishes, positions are saved. */
  close(): Promise<void>;
  /** The counters now. */
  status(): SubscriptionStatus;
  /** Messages not yet delivered, when the source can tell cheaply; `null` otherwise. */
  lag(): Promise<number | null>;
}

/** What a subscription of domain messages needs from the domain. */
export type SubscriptionDomain = Pick<Domain, 'handleMessage' | 'logger'>;
