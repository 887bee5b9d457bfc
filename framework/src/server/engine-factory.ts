/**
 * What the engine runs, built from the domain's handlers: one subscription per event handler or
 * projector and category, one command dispatcher per command category, one broker subscription per
 * subscriber, and an outbox processor when the outbox is enabled.
 */
import type { HandlerSubscriptionConfig } from '../config/types.js';
import type { Domain } from '../domain/domain.js';
import type { HandlerInfo } from '../domain/handlers.js';
import { OutboxProcessor, processorOwner } from '../outbox/processor.js';
import type { Logger } from '../ports/logger.js';
import type { Tracer } from '../ports/trace.js';
import type { Clock } from './subscriptions/clock.js';
import { BrokerSubscription } from './subscriptions/broker.js';
import type { ConsumeSettings } from './subscriptions/consume-loop.js';
import { EventStoreSubscription } from './subscriptions/event-store.js';
import { StreamSubscription } from './subscriptions/stream.js';
import type { Subscription } from './subscriptions/types.js';

/**
 * Command dispatchers read the event store: `process()` stores an async command there only (the
 * outbox carries events), so a `stream` dispatcher would never see one.
 */
const COMMANDS: HandlerSubscriptionConfig = { subscription_type: 'event_store' };

/** Options of {@link SubscriptionFactory}. */
export interface SubscriptionFactoryOptions {
  /** @defaultValue the domain's logger */
  logger?: Logger;
  /** Passed to every subscription. @defaultValue the system clock */
  clock?: Clock;
  /** Where subscriptions and processors send trace events. @defaultValue none */
  tracer?: Tracer;
}

/**
 * The name of the dispatcher of a command category: `<category>` with every character that is
 * not a letter, digit, `:` or `_` replaced by `_`, so that it contains no `-` (a position stream
 * and a consumer name put a `-` after it).
 */
export function dispatcherName(category: string): string {
  return `commands@${category.replace(/[^\w:]/g, '_')}`;
}

/**
 * Builds the engine's subscriptions and outbox processors from an initialized domain. The type of
 * each handler's subscription comes from `domain.subscriptionOptions(name)` (`event_store` or
 * `stream`; the stream of a category is the category itself, as the outbox processor publishes
 * it). Command dispatchers are `event_store` subscriptions, where `process()` stores commands.
 */
export class SubscriptionFactory {
  readonly #domain: Domain;
  readonly #options: SubscriptionFactoryOptions;

  constructor(domain: Domain, options: SubscriptionFactoryOptions = {}) {
    this.#domain = domain;
    this.#options = options;
  }

  /**
   * Handler subscriptions first (one per handler and category), then the command dispatchers.
   * Only for what is processed asynchronously: with `event_processing = "sync"` the process that
   * commits runs the event handlers itself (and with sync commands, nothing stores a command), so
   * a subscription would handle the same message a second time.
   */
  subscriptions(): Subscription[] {
    const { event_processing, command_processing } = this.#domain.config;
    const handlers = this.#domain.handlers();
    const reactions = handlers.filter(
      (info) => info.kind !== 'command_handler' && event_processing === 'async',
    );
    const built = reactions.flatMap((info) =>
      [...info.categories].map(([category, types]) =>
        this.build(info.name, category, types, info.subscription),
      ),
    );
    if (command_processing === 'sync') return built;
    for (const [category, types] of commandCategories(handlers))
      built.push(this.build(dispatcherName(category), category, types, COMMANDS));
    return built;
  }

  /** One `broker` subscription per subscriber, on the default broker. */
  brokerSubscriptions(): BrokerSubscription[] {
    return this.#domain.subscribers().map(
      ({ name, stream, subscription, handle }) =>
        new BrokerSubscription({
          handler: name,
          stream,
          broker: this.#domain.broker,
          handle,
          // `subscription` says subscription_type = "stream": these are stream settings.
          settings: this.#domain.subscriptionOptions(name, subscription) as ConsumeSettings,
          logger: this.#logger,
          ...(this.#options.clock ? { clock: this.#options.clock } : {}),
          ...this.#traced,
        }),
    );
  }

  /** One processor for the domain's outbox and broker when `enable_outbox` is on; none otherwise. */
  outboxProcessors(): OutboxProcessor[] {
    const { config } = this.#domain;
    if (!config.enable_outbox) return [];
    const processor = new OutboxProcessor({
      outbox: this.#domain.outbox,
      broker: this.#domain.broker,
      config: config.outbox,
      owner: processorOwner(),
      logger: this.#logger,
      ...this.#traced,
    });
    return [processor];
  }

  /** The subscription of `handler` to `category`, of the type its options resolve to. */
  build(
    handler: string,
    category: string,
    types?: Iterable<string>,
    own?: HandlerSubscriptionConfig,
  ): Subscription {
    const settings = this.#domain.subscriptionOptions(handler, own);
    const common = { domain: this.#domain, handler, types, logger: this.#logger, ...this.#traced };
    const clock = this.#options.clock;
    if (settings.subscription_type === 'stream') {
      return new StreamSubscription({ ...common, stream: category, settings, clock });
    }
    return new EventStoreSubscription({ ...common, category, settings, clock });
  }

  get #traced(): { tracer?: Tracer } {
    return this.#options.tracer ? { tracer: this.#options.tracer } : {};
  }

  get #logger(): Logger {
    return this.#options.logger ?? this.#domain.logger;
  }
}

/** Command category -> every command type handled there. */
function commandCategories(handlers: readonly HandlerInfo[]): Map<string, string[]> {
  const categories = new Map<string, string[]>();
  for (const info of handlers) {
    if (info.kind !== 'command_handler') continue;
    for (const [category, types] of info.categories)
      categories.set(category, [...(categories.get(category) ?? []), ...types]);
  }
  return categories;
}
