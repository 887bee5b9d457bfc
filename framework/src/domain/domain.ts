import type { AggregateRoot, AnyAggregateClass } from '../core/aggregate.js';
import { streams } from '../core/envelope.js';
import type { Envelope } from '../core/envelope.js';
import { EventDispatchError, IncorrectUsageError } from '../core/errors.js';
import { envelopeOf } from '../core/message.js';
import type { CommandClass, CommandMessage, EventClass, EventMessage } from '../core/message.js';
import type { AnyProjectionClass, Projection } from '../core/projection.js';
import type { DomainConfig, DomainConfigInput } from '../config/types.js';
import type { Broker } from '../ports/broker.js';
import type { DatabaseProvider, SchemaOperations } from '../ports/database.js';
import type { EventStore } from '../ports/event-store.js';
import type { OutboxStore } from '../ports/outbox.js';
import type { Logger } from '../ports/logger.js';
import { ForwardingLogger, defaultLogger } from '../ports/logger.js';
import { currentContext, withContext } from '../unit-of-work/context.js';
import { UnitOfWork } from '../unit-of-work/unit-of-work.js';
import { callerDirectory } from './caller.js';
import { DomainModel } from './declarations.js';
import { boundAccess, deliverEvent, dispatchEvents, messageFrom, runCommand } from './dispatch.js';
import type { DispatchDeps } from './dispatch.js';
import type { DomainAccess, HandlerInfo, ProcessOptions, SubscriberInfo } from './handlers.js';
import { resolveSubscriptionOptions } from '../config/profiles.js';
import type { HandlerSubscriptionConfig } from '../config/types.js';
import type { ResolvedSubscriptionOptions } from '../config/profiles.js';
import { initialize, subscriberSettings } from './init.js';
import type { DomainPorts } from './init.js';
import { snakeCase } from './names.js';
import { Repository } from './repository.js';
import type { RepositoryBinding } from './repository.js';
import { viewOf } from './view.js';
import type { View } from './view.js';

/** What `domain.observe()` listeners are told. */
export type DomainNotice = { type: 'events.committed'; events: readonly Envelope[] };

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

/**
 * A bounded context: the registry of its elements and the entry point to use them.
 *
 * @example
 * const domain = new Domain({ name: 'bookshelf' });
 * class Book extends domain.aggregate('Book', { title: field.string({ required: true }) }) {}
 * await domain.init();
 * await domain.repository(Book).add(new Book({ title: 'Dune' }));
 */
export class Domain extends DomainModel implements DomainAccess {
  readonly logger: Logger;
  readonly #logger: ForwardingLogger;
  readonly #options: DomainOptions;
  readonly #root: string | undefined;
  readonly #repositories = new Map<unknown, Repository<never>>();
  readonly #dispatch: DispatchDeps;
  readonly #observers = new Set<(notice: DomainNotice) => void>();
  #ports: DomainPorts | undefined;

  constructor(options: DomainOptions) {
    super(options.name);
    this.#options = options;
    this.#root = options.root ?? callerDirectory();
    this.#logger = new ForwardingLogger(options.logger ?? defaultLogger());
    this.logger = this.#logger;
    this.#dispatch = {
      registry: this.registry,
      access: this,
      unitOfWork: (fn) => this.unitOfWork(fn),
      syncEvents: () => this.#ports?.config.event_processing !== 'async',
      alreadyApplied: (id, handler) => this.#alreadyApplied(id, handler),
    };
  }

  /** The resolved configuration (defaults, domain.toml, overlay); available after `init()`. */
  get config(): DomainConfig {
    return this.#requireInit('config').config;
  }

  /** The event store `init()` connected (to read streams and categories). */
  get eventStore(): EventStore {
    return this.#requireInit('eventStore').eventStore;
  }

  /** The default database `init()` connected. */
  get database(): DatabaseProvider {
    return this.#requireInit('database').database;
  }

  /** The outbox store `init()` connected (rows are written only with `enable_outbox`). */
  get outbox(): OutboxStore {
    return this.#requireInit('outbox').outbox;
  }

  /** The default broker `init()` connected. */
  get broker(): Broker {
    return this.#requireInit('broker').broker;
  }

  /** Whether `init()` has completed. */
  get initialized(): boolean {
    return this.#ports !== undefined;
  }

  /** Validates the model and configuration, then connects the configured adapters. */
  async init(): Promise<this> {
    if (this.#ports) return this;
    this.#ports = await initialize({
      name: this.name,
      registry: this.registry,
      explicit: this.#options.config,
      root: this.#root,
      logger: this.logger,
      hasIdentityFunction: this.identityGenerator !== undefined,
    });
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
    const { database, eventStore, outbox, idempotency } = this.#requireInit(what);
    return [database, eventStore, outbox, idempotency];
  }

  /** Closes the adapters `init()` opened. */
  async close(): Promise<void> {
    const ports = this.#ports;
    this.#ports = undefined;
    this.#repositories.clear();
    await ports?.close();
  }

  // `any`: a custom repository of any element type; its own type is what the caller gets back.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  repository<R extends Repository<any>>(cls: new () => R): R;
  repository<T extends AggregateRoot>(cls: AnyAggregateClass<T>): Repository<T>;
  repository<T extends Projection>(cls: AnyProjectionClass<T>): Repository<T>;
  /** The repository of an aggregate or projection of this domain, or a custom repository. */
  repository(cls: unknown): Repository<never> {
    this.#requireInit('repository()');
    let repository = this.#repositories.get(cls);
    if (!repository) {
      repository = this.#makeRepository(cls);
      this.#repositories.set(cls, repository);
    }
    return repository;
  }

  /** Read-only access to a projection of this domain. */
  view<T extends Projection>(cls: AnyProjectionClass<T>): View<T> {
    if (cls.meta?.kind !== 'projection') {
      throw new IncorrectUsageError(
        `domain.view() takes a projection, received ${cls.meta?.name ?? String(cls)}; use domain.repository() for aggregates`,
      );
    }
    return viewOf(this.repository(cls));
  }

  /**
   * Processes a command. Sync (the default): runs its handler in a unit of work, commits, dispatches
   * the events, and resolves with the handler's result. Async: stores the command for the engine
   * and resolves with its message id.
   */
  async process<R = unknown>(command: CommandMessage, options: ProcessOptions = {}): Promise<R> {
    const ports = this.#requireInit('process()');
    if ((command?.constructor as CommandClass | undefined)?.meta?.kind !== 'command') {
      throw new IncorrectUsageError(
        `domain.process() takes a command, received ${(command?.constructor as { name?: string })?.name ?? typeof command}`,
      );
    }
    const envelope = this.envelope(command, undefined, options);
    if (ports.config.command_processing === 'async') {
      await ports.eventStore.append(envelope.stream, [envelope]);
      return envelope.id as R;
    }
    return (await runCommand(this.#dispatch, envelope, command)) as R;
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
    const ports = this.#requireInit('unitOfWork()');
    const context = currentContext();
    if (context.unitOfWork) return fn();
    const unit = new UnitOfWork(ports.unitOfWork, context.message);
    const { result, events } = await withContext({ unitOfWork: unit }, async () => {
      try {
        const value = await fn();
        return { result: value, events: await unit.commit() };
      } catch (error) {
        await unit.rollback();
        throw error;
      }
    });
    if (events.length > 0) this.#notify({ type: 'events.committed', events });
    await dispatchEvents(this.#dispatch, events);
    return result;
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
    this.#requireInit('handleMessage()');
    if (envelope.kind === 'COMMAND') {
      const command = messageFrom<CommandMessage>(this.registry, envelope);
      return runCommand(this.#dispatch, envelope, command, options.idempotent);
    }
    const delivery = { only: options.handler, idempotent: options.idempotent };
    const failures = await deliverEvent(this.#dispatch, envelope, delivery);
    if (failures.length > 0) throw new EventDispatchError(failures);
    return undefined;
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
    const cls = message?.constructor as CommandClass | EventClass | undefined;
    const meta = cls?.meta;
    if ((meta?.kind !== 'command' && meta?.kind !== 'event') || !this.registry.owns(cls)) {
      throw new IncorrectUsageError(
        `expected a command or event of domain "${this.name}", received ${meta?.name ?? typeof message}`,
      );
    }
    const category = streams.category(this.name, snakeCase(meta.partOf));
    const id =
      aggregateId ??
      (meta.identityField
        ? String(message.toJSON()[meta.identityField])
        : globalThis.crypto.randomUUID());
    const stream =
      meta.kind === 'command' ? streams.command(category, id) : streams.instance(category, id);
    return envelopeOf(message, stream, {
      cause: currentContext().message,
      correlationId: options.correlationId,
      headers: options.headers ?? {},
    });
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
      this.#requireInit('subscriptionOptions()').loaded,
      handler,
      own,
    );
  }

  /**
   * Listens to what the domain does (for tests, tracing and the observatory). Costs nothing while
   * nobody listens. Returns a function that stops listening.
   */
  observe(listener: (notice: DomainNotice) => void): () => void {
    this.#observers.add(listener);
    return () => this.#observers.delete(listener);
  }

  async #alreadyApplied(messageId: string, handler: string): Promise<boolean> {
    const { idempotency } = this.#requireInit('handleMessage()');
    const session = await currentContext().unitOfWork!.session();
    return !(await idempotency.mark(messageId, handler, { transaction: session.link }));
  }

  #notify(notice: DomainNotice): void {
    for (const listener of this.#observers) listener(notice);
  }

  #makeRepository(cls: unknown): Repository<never> {
    if (typeof cls === 'function' && cls.prototype instanceof Repository)
      return new (cls as new () => Repository<never>)();
    const meta = (cls as { meta?: { kind?: string; name: string } }).meta;
    if (
      !this.registry.owns(cls as AnyAggregateClass) ||
      (meta?.kind !== 'aggregate' && meta?.kind !== 'projection')
    ) {
      throw new IncorrectUsageError(
        `${(cls as { name?: string }).name ?? String(cls)} is not an aggregate or projection of domain "${this.name}"; declare it with domain.aggregate() or domain.projection().`,
      );
    }
    return new Repository(this.bindingOf(cls as AnyAggregateClass) as never);
  }

  protected bindingOf(
    cls: AnyAggregateClass | AnyProjectionClass,
  ): RepositoryBinding<AggregateRoot | Projection> {
    const kind = `${this.name}.${snakeCase(cls.meta.name)}`;
    return {
      cls,
      kind,
      ...(cls.meta.kind === 'aggregate'
        ? { category: streams.category(this.name, snakeCase(cls.meta.name)) }
        : {}),
      records: () => this.#requireInit('repository()').database.records(kind),
      inUnitOfWork: <R>(fn: () => Promise<R>) => this.unitOfWork(fn),
    };
  }

  #requireInit(what: string): DomainPorts {
    if (!this.#ports) {
      throw new IncorrectUsageError(
        `domain "${this.name}" is not initialized: call \`await domain.init()\` after registering its elements and before ${what}.`,
      );
    }
    return this.#ports;
  }
}
