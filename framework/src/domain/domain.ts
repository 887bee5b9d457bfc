import type { AggregateRoot, AnyAggregateClass } from '../core/aggregate.js';
import type { Envelope } from '../core/envelope.js';
import { IncorrectUsageError } from '../core/errors.js';
import type { CommandMessage, EventMessage } from '../core/message.js';
import type { AnyProjectionClass, Projection } from '../core/projection.js';
import { resolveSubscriptionOptions } from '../config/profiles.js';
import type { ResolvedSubscriptionOptions } from '../config/profiles.js';
import type {
  DomainConfig,
  DomainConfigInput,
  HandlerSubscriptionConfig,
} from '../config/types.js';
import type { Broker } from '../ports/broker.js';
import type { DatabaseProvider, SchemaOperations } from '../ports/database.js';
import type { EventStore } from '../ports/event-store.js';
import type { OutboxStore } from '../ports/outbox.js';
import type { Logger } from '../ports/logger.js';
import { ForwardingLogger, defaultLogger } from '../ports/logger.js';
import { NO_PROVIDERS } from '../ports/registry.js';
import type { ProviderTable } from '../ports/registry.js';
import { callerDirectory } from './caller.js';
import { DomainModel } from './declarations.js';
import { boundAccess } from './handlers.js';
import type { DomainAccess, HandlerInfo, ProcessOptions, SubscriberInfo } from './handlers.js';
import { initialize, subscriberSettings } from './init.js';
import { envelopeFor, messageFrom } from './messages.js';
import { Observers } from './observers.js';
import type { DomainNotice } from './observers.js';
import { Processor } from './processor.js';
import { requireProjection } from './repositories.js';
import type { Repository } from './repository.js';
import type { View } from './view.js';

export type { DomainNotice } from './observers.js';

/** Options of `new Domain()`. */
export interface DomainOptions {
  /** The domain's name: the first part of every stream and type name, e.g. `bookshelf`. */
  name: string;
  /** Configuration given in code; when present, no domain.toml is read. */
  config?: DomainConfigInput;
  /** Where to look for domain.toml; by default the folder of the module that creates the domain. */
  root?: string;
  /** Where the domain logs; the framework's default logger otherwise. */
  logger?: Logger;
}

/** A bounded context: the registry of its elements and the entry point to use them. */
export class Domain extends DomainModel implements DomainAccess {
  readonly logger: Logger;
  readonly #logger: ForwardingLogger;
  readonly #options: DomainOptions;
  readonly #root: string | undefined;
  readonly #providers: ProviderTable;
  readonly #observers = new Observers();
  /** Processes messages with the started adapters (`ports`), from `init()` to `close()`. */
  #processor: Processor | undefined;

  /**
   * @param providers the adapters `init()` may build by provider name (besides those registered
   * with `registerProvider()`); the `Domain` exported by `protean-ts` passes the built-in ones.
   */
  constructor(options: DomainOptions, providers: ProviderTable = NO_PROVIDERS) {
    super(options.name);
    this.#options = options;
    this.#providers = providers;
    this.#root = options.root ?? callerDirectory();
    this.#logger = new ForwardingLogger(options.logger ?? defaultLogger());
    this.logger = this.#logger;
  }

  /** The resolved configuration (defaults, domain.toml, overlay); available after `init()`. */
  get config(): DomainConfig {
    return this.#requireInit('config').ports.config;
  }

  /** The event store `init()` connected (to read streams and categories). */
  get eventStore(): EventStore {
    return this.#requireInit('eventStore').ports.eventStore;
  }

  /** The default database `init()` connected. */
  get database(): DatabaseProvider {
    return this.#requireInit('database').ports.database;
  }

  /** The outbox store `init()` connected (rows are written only with `enable_outbox`). */
  get outbox(): OutboxStore {
    return this.#requireInit('outbox').ports.outbox;
  }

  /** The default broker `init()` connected. */
  get broker(): Broker {
    return this.#requireInit('broker').ports.broker;
  }

  /** Whether `init()` has completed. */
  get initialized(): boolean {
    return this.#processor !== undefined;
  }

  /** Validates the model and configuration, then connects the configured adapters. */
  async init(): Promise<this> {
    if (this.#processor) return this;
    const { name, registry, logger } = this;
    const ports = await initialize({
      name,
      registry,
      explicit: this.#options.config,
      root: this.#root,
      logger,
      hasIdentityFunction: this.identityGenerator !== undefined,
      providers: this.#providers,
    });
    this.#processor = new Processor({ name, registry, ports, observers: this.#observers, logger });
    return this;
  }

  /**
   * Creates what the configured adapters store (tables for aggregates, projections, the event
   * store ...); running it twice changes nothing. `protean db setup` calls it.
   */
  async setupSchema(): Promise<void> {
    for (const port of this.#schemaPorts('setupSchema()')) await port.setup?.();
  }

  /** Deletes every stored row and message, keeping the structures (`protean db truncate`). */
  async truncateSchema(): Promise<void> {
    for (const port of this.#schemaPorts('truncateSchema()')) await port.truncate?.();
  }

  /** Removes what `setupSchema()` created (`protean db drop`). */
  async dropSchema(): Promise<void> {
    for (const port of this.#schemaPorts('dropSchema()')) await port.drop?.();
  }

  #schemaPorts(what: string): Partial<SchemaOperations>[] {
    const { database, eventStore, outbox, idempotency } = this.#requireInit(what).ports;
    return [database, eventStore, outbox, idempotency];
  }

  /** Closes the adapters `init()` opened. */
  async close(): Promise<void> {
    const processor = this.#processor;
    this.#processor = undefined;
    await processor?.ports.close();
  }

  // `any`: a custom repository of any element type; its own type is what the caller gets back.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  repository<R extends Repository<any>>(cls: new () => R): R;
  repository<T extends AggregateRoot>(cls: AnyAggregateClass<T>): Repository<T>;
  repository<T extends Projection>(cls: AnyProjectionClass<T>): Repository<T>;
  /** The repository of an aggregate or projection of this domain, or a custom repository. */
  repository(cls: unknown): Repository<never> {
    return this.#requireInit('repository()').repository(cls as never);
  }

  /** Read-only access to a projection of this domain. */
  view<T extends Projection>(cls: AnyProjectionClass<T>): View<T> {
    requireProjection(cls);
    return this.#requireInit('repository()').view(cls);
  }

  /**
   * Processes a command. Sync (the default): runs its handler in a unit of work, commits, dispatches
   * the events, and resolves with the handler's result. Async: stores the command for the engine
   * and resolves with its message id. A handler whose commit meets a concurrent change
   * (`ExpectedVersionError`) is run again on fresh state, as often as `[conflict_retry]` allows.
   */
  async process<R = unknown>(command: CommandMessage, options: ProcessOptions = {}): Promise<R> {
    return this.#requireInit('process()').process<R>(command, options);
  }

  /**
   * Runs `fn` in one unit of work: everything it stores commits together, or nothing does. Inside
   * an open unit, it joins that unit.
   *
   * @example
   * await domain.unitOfWork(async () => {
   *   await domain.repository(Order).add(order);
   *   await domain.repository(Inventory).add(stock);
   * });
   */
  override async unitOfWork<R>(fn: () => Promise<R>): Promise<R> {
    return this.#requireInit('unitOfWork()').unitOfWork(fn);
  }

  /**
   * Runs the handlers of a stored or transmitted message, exactly as sync processing would: a
   * command's handler, or every reaction to an event (only `handler`'s when given). An idempotent
   * handler (declared so, or `idempotent: true` here) records `(message id, handler)` in the same
   * transaction as its effect and skips a message it has already applied, so a redelivery changes
   * nothing. The engine uses this; so do tests that replay messages.
   *
   * @example
   * await domain.handleMessage(envelope, { handler: 'CatalogProjector', idempotent: true });
   */
  async handleMessage(
    envelope: Envelope,
    options: { handler?: string; idempotent?: boolean } = {},
  ): Promise<unknown> {
    return this.#requireInit('handleMessage()').handleMessage(envelope, options);
  }

  /** Rebuilds the command or event an envelope carries (it must be registered in this domain). */
  messageOf(envelope: Envelope): CommandMessage | EventMessage {
    return messageFrom(this.registry, envelope);
  }

  /**
   * Wraps a command or event of this domain in its envelope, on the stream of the aggregate with
   * this id (a command without one goes to a new command stream). Inside a handler, the message
   * being handled is its cause.
   */
  envelope(
    message: CommandMessage | EventMessage,
    aggregateId?: string,
    options: ProcessOptions = {},
  ): Envelope {
    return envelopeFor(this.name, this.registry, message, aggregateId, options);
  }

  /**
   * Every command handler, event handler and projector with the stream categories and message
   * types it handles: what the engine subscribes. Command handlers read `<category>:command`.
   */
  handlers(): HandlerInfo[] {
    return this.registry.handlerInfos();
  }

  /**
   * Sends what the domain and its adapters log from now on to `logger` (`protean server` passes
   * its own once it has read `[logging]`).
   */
  useLogger(logger: Logger): void {
    this.#logger.forwardTo(logger);
  }

  /** Every subscriber with its handler bound to this domain: what the engine subscribes. */
  subscribers(): SubscriberInfo[] {
    const access = boundAccess(this);
    return [...this.registry.subscribers.values()].map(
      ({ name, stream, subscription, handle }) => ({
        name,
        stream,
        subscription: subscriberSettings(subscription),
        handle: async (payload) => {
          await handle(payload, access);
        },
      }),
    );
  }

  /** The subscription options of a handler, resolved from its profile and domain.toml. */
  subscriptionOptions(
    handler: string,
    own?: HandlerSubscriptionConfig,
  ): ResolvedSubscriptionOptions {
    return resolveSubscriptionOptions(
      this.#requireInit('subscriptionOptions()').ports.loaded,
      handler,
      own,
    );
  }

  /**
   * Listens to what the domain does (for tests, tracing and the observatory). Costs nothing while
   * nobody listens. Returns a function that stops listening.
   */
  observe(listener: (notice: DomainNotice) => void): () => void {
    return this.#observers.add(listener);
  }

  #requireInit(what: string): Processor {
    if (!this.#processor) {
      throw new IncorrectUsageError(
        `domain "${this.name}" is not initialized: call \`await domain.init()\` after registering its elements and before ${what}.`,
      );
    }
    return this.#processor;
  }
}
