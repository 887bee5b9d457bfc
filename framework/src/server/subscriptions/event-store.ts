/**
 * The `event_store` subscription: polls one category of the event store, in global order, from
 * the last saved position, and hands the messages its handler reacts to over to the domain.
 */
import { ConfigurationError } from '../../core/errors.js';
import type { ResolvedEventStoreSubscription } from '../../config/profiles.js';
import type { EventStore, StoredMessage } from '../../ports/event-store.js';
import type { Logger } from '../../ports/logger.js';
import { NO_TRACER } from '../../ports/trace.js';
import type { TraceFields, Tracer } from '../../ports/trace.js';
import { failpoint } from '../../internal/failpoints.js';
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';
import { Lifecycle } from './lifecycle.js';
import { loadPosition, positionStream, savePosition } from './position.js';
import { checkSettings, errorFields } from './settings.js';
import type { Subscription, SubscriptionDomain, SubscriptionStatus } from './types.js';

/** The settings an event-store subscription reads (from `resolveSubscriptionOptions`). */
export type EventStoreSettings = Pick<
  ResolvedEventStoreSubscription,
  | 'messages_per_tick'
  | 'tick_interval'
  | 'max_retries'
  | 'retry_delay_seconds'
  | 'position_update_interval'
>;

/** What {@link EventStoreSubscription} is built from. */
export interface EventStoreSubscriptionInit {
  /** The domain whose `eventStore` is read and whose `handleMessage` runs the handler. */
  domain: SubscriptionDomain & { readonly eventStore: EventStore };
  /** The event handler, projector or command dispatcher; names the position stream too. */
  handler: string;
  /** The category read, e.g. `bookshelf::book`. */
  category: string;
  settings: EventStoreSettings;
  /** Message types handed to the handler; the others only move the position. @defaultValue all */
  types?: Iterable<string>;
  /**
   * Record `(message id, handler)` with the effect and skip what was applied.
   * @defaultValue what the handler declared (`idempotent` of its options)
   */
  idempotent?: boolean;
  /** @defaultValue the domain's logger */
  logger?: Logger;
  /** @defaultValue {@link systemClock} */
  clock?: Clock;
  /** The loop's pause after a poll that found nothing, unless `tick_interval` is longer. @defaultValue 100 */
  idlePollMs?: number;
  /** Where trace events go. @defaultValue none */
  tracer?: Tracer;
}

type Outcome = 'handled' | 'skipped' | 'failed' | 'interrupted';

/**
 * Reads `category` with `readCategory(category, { fromGlobalPosition: position + 1 })`,
 * `messages_per_tick` at a time, one message after the other (so an aggregate's messages are
 * handled in order). A failing message is tried `max_retries` times in all, `retry_delay_seconds`
 * apart, then logged as failed and passed (event-store subscriptions have no dead-letter queue).
 * The position is saved in the event store ({@link positionStream}) every
 * `position_update_interval` messages and at `close()`: a crash replays at most that many, which
 * idempotent handling turns into no change.
 */
export class EventStoreSubscription implements Subscription {
  readonly type = 'event_store';
  readonly name: string;
  readonly handler: string;
  readonly stream: string;
  /** Where the position is saved. */
  readonly positionStream: string;
  readonly #init: EventStoreSubscriptionInit;
  readonly #settings: EventStoreSettings;
  readonly #types: ReadonlySet<string> | undefined;
  readonly #logger: Logger;
  readonly #clock: Clock;
  readonly #lifecycle: Lifecycle;
  #position = 0;
  #saved = 0;
  /** Messages consumed since the last save. */
  #unsaved = 0;
  #processed = 0;
  #failed = 0;

  constructor(init: EventStoreSubscriptionInit) {
    rejectDeadLetterQueue(init);
    this.#settings = checkSettings(init.handler, init.settings, [
      'messages_per_tick',
      'max_retries',
      'position_update_interval',
    ]);
    this.#init = init;
    this.handler = init.handler;
    this.stream = init.category;
    this.name = `${init.handler}@${init.category}`;
    this.positionStream = positionStream(init.handler, init.category);
    this.#types = init.types === undefined ? undefined : new Set(init.types);
    this.#logger = init.logger ?? init.domain.logger;
    this.#clock = init.clock ?? systemClock;
    this.#lifecycle = new Lifecycle(this.#clock, {
      open: () => this.#open(),
      cycle: () => this.#cycle(),
      pauseMs: (consumed) => this.#pauseMs(consumed),
      finish: () => this.#save(),
    });
  }

  start(): Promise<void> {
    return this.#lifecycle.start();
  }

  tick(): Promise<number> {
    return this.#lifecycle.tick();
  }

  run(): Promise<void> {
    return this.#lifecycle.run();
  }

  close(): Promise<void> {
    return this.#lifecycle.close();
  }

  /** The global position of the last message consumed (0 before the first). */
  get position(): number {
    return this.#position;
  }

  status(): SubscriptionStatus {
    const { name, handler, type, stream } = this;
    const counters = { processed: this.#processed, failed: this.#failed, deadLettered: 0 };
    return { name, handler, type, stream, ...counters, position: this.#position };
  }

  /** Not cheap on an event store (it would mean reading the category): `null`. */
  async lag(): Promise<number | null> {
    return null;
  }

  get #store(): EventStore {
    return this.#init.domain.eventStore;
  }

  async #open(): Promise<void> {
    this.#position = await loadPosition(this.#store, this.positionStream);
    this.#saved = this.#position;
    this.#logger.debug('event-store subscription started', {
      subscription: this.name,
      position: this.#position,
      positionStream: this.positionStream,
    });
  }

  async #cycle(): Promise<number> {
    const batch = await this.#store.readCategory(this.stream, {
      fromGlobalPosition: this.#position + 1,
      batchSize: this.#settings.messages_per_tick,
    });
    let consumed = 0;
    for (const message of batch) {
      if ((await this.#consume(message)) === 'interrupted') break;
      this.#position = message.metadata.globalPosition;
      consumed += 1;
      this.#unsaved += 1;
      if (this.#unsaved >= this.#settings.position_update_interval) await this.#save();
    }
    return consumed;
  }

  async #save(): Promise<void> {
    this.#unsaved = 0;
    if (this.#position === this.#saved) return;
    await savePosition(this.#store, this.positionStream, this.#position);
    this.#saved = this.#position;
    this.#logger.debug('position saved', { subscription: this.name, position: this.#position });
  }

  async #consume(message: StoredMessage): Promise<Outcome> {
    if (this.#types !== undefined && !this.#types.has(message.type)) return 'skipped';
    const outcome = await this.#handleWithRetries(message);
    if (outcome === 'interrupted') return outcome;
    failpoint('poller.after_handle_before_position');
    return outcome;
  }

  async #handleWithRetries(message: StoredMessage): Promise<Outcome> {
    const { max_retries, retry_delay_seconds } = this.#settings;
    const tracer = this.#init.tracer ?? NO_TRACER;
    for (let attempt = 1; ; attempt += 1) {
      // Tracing costs one check per step while nobody listens: no event, no clock read.
      const began = tracer.on ? this.#trace(tracer, 'handler.started', message, attempt) : 0;
      try {
        await this.#handle(message);
        if (tracer.on) this.#trace(tracer, 'handler.completed', message, attempt, began);
        this.#processed += 1;
        return 'handled';
      } catch (error) {
        if (tracer.on) this.#trace(tracer, 'handler.failed', message, attempt, began, error);
        if (attempt >= max_retries) return this.#giveUp(message, error, attempt);
        this.#logger.warn('handler failed; retrying', this.#fields(message, error, attempt));
      }
      await this.#lifecycle.sleep(retry_delay_seconds * 1000);
      if (this.#lifecycle.closing) return 'interrupted';
    }
  }

  async #handle(message: StoredMessage): Promise<void> {
    this.#logger.debug('handling message', this.#fields(message));
    // Left out, `idempotent` is what the handler declared.
    const { idempotent } = this.#init;
    const options = { handler: this.handler, ...(idempotent === undefined ? {} : { idempotent }) };
    await this.#init.domain.handleMessage(message, options);
  }

  /** Emits `event` about `message`; resolves with the time now, to measure from. */
  #trace(
    tracer: Tracer,
    event: TraceFields['event'],
    message: StoredMessage,
    attempts: number,
    began = 0,
    error?: unknown,
  ): number {
    const now = performance.now();
    tracer.emit({
      event,
      stream: this.stream,
      subscription: this.name,
      handler: this.handler,
      messageType: message.type,
      messageId: message.id,
      attempts,
      ...(began > 0 ? { durationMs: now - began } : {}),
      ...(error === undefined ? {} : { error: errorFields(error).error }),
    });
    return now;
  }

  #giveUp(message: StoredMessage, error: unknown, attempts: number): Outcome {
    this.#failed += 1;
    this.#logger.error(
      'handler failed on every attempt; the message is skipped',
      this.#fields(message, error, attempts),
    );
    return 'failed';
  }

  #fields(message: StoredMessage, error?: unknown, attempts?: number): Record<string, unknown> {
    return {
      subscription: this.name,
      messageId: message.id,
      type: message.type,
      stream: message.stream,
      globalPosition: message.metadata.globalPosition,
      ...(attempts === undefined ? {} : { attempts }),
      ...(error === undefined ? {} : errorFields(error)),
    };
  }

  #pauseMs(consumed: number): number {
    const tickMs = this.#settings.tick_interval * 1000;
    return consumed > 0 ? tickMs : Math.max(tickMs, this.#init.idlePollMs ?? 100);
  }
}

/** Dead-letter queues exist for broker streams only. */
function rejectDeadLetterQueue(init: EventStoreSubscriptionInit): void {
  if ((init.settings as { enable_dlq?: unknown }).enable_dlq !== true) return;
  throw new ConfigurationError(
    `${init.handler}: enable_dlq = true, but an event_store subscription has no dead-letter ` +
      'queue (a failing message is logged and passed); remove enable_dlq or use a stream subscription.',
  );
}
