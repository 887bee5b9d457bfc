import { defineAggregate } from '../core/aggregate.js';
import type {
  AggregateClass,
  AggregateOptions,
  AggregateRoot,
  AnyAggregateClass,
} from '../core/aggregate.js';
import { defineEntity } from '../core/entity.js';
import type { EntityClass, EntityOptions } from '../core/entity.js';
import { IncorrectUsageError } from '../core/errors.js';
import type { Fields } from '../core/fields.js';
import { defineMessage } from '../core/message.js';
import type {
  CommandClass,
  CommandMessage,
  EventClass,
  MessageMeta,
  MessageOf,
  MessageOptions,
} from '../core/message.js';
import { defineProjection } from '../core/projection.js';
import type { AnyProjectionClass, Projection, ProjectionClass } from '../core/projection.js';
import { defineValueObject } from '../core/value-object.js';
import type { ValueObjectClass, ValueObjectOptions } from '../core/value-object.js';
import { EventHandlerBuilder } from './handlers.js';
import type {
  CommandHandler,
  CommandHandlerOptions,
  EventHandlerOptions,
  SubscriberHandler,
  SubscriberOptions,
} from './handlers.js';
import { Registry } from './registry.js';
import { repositoryBase } from './repository.js';
import type { Repository, StoredClass } from './repository.js';
import { applicationService, domainService } from './services.js';
import type { ApplicationService, DomainServiceSpec } from './services.js';

/**
 * The declaring half of a `Domain`: every element, handler and service is declared and
 * registered here. `Domain` adds configuration, adapters, repositories and processing.
 */
export abstract class DomainModel {
  /** The domain's name: the first part of every stream and type name, e.g. `bookshelf`. */
  readonly name: string;
  /** @internal everything declared, checked at init */
  protected readonly registry: Registry;
  /** @internal the generator set with `identity()` */
  protected identityGenerator: (() => string) | undefined;

  constructor(name: string) {
    if (!/^[a-z][a-z0-9_]*$/.test(name ?? '')) {
      throw new IncorrectUsageError(
        `Domain name ${JSON.stringify(name)} is not valid: use lower-case letters, digits and _, such as "bookshelf".`,
      );
    }
    this.name = name;
    this.registry = new Registry(name);
  }

  /** Runs `fn` in one unit of work (see `Domain.unitOfWork`). */
  abstract unitOfWork<R>(fn: () => Promise<R>): Promise<R>;

  /** Makes a new identity: the registered generator, or a random UUID. */
  protected newId = (): string =>
    this.identityGenerator ? this.identityGenerator() : globalThis.crypto.randomUUID();

  /** Declares an immutable value object, equal by value. */
  valueObject<const F extends Fields>(
    name: string,
    fields: F,
    options?: ValueObjectOptions<F>,
  ): ValueObjectClass<F> {
    return this.registry.register(defineValueObject(this.name, name, fields, options));
  }

  /** Declares an entity: identity and behaviour inside an aggregate. */
  entity<const F extends Fields>(
    name: string,
    fields: F,
    options?: EntityOptions<F>,
  ): EntityClass<F> {
    return this.registry.register(defineEntity(this.name, name, fields, this.newId, options));
  }

  /**
   * Declares an aggregate. Extend the returned class to add behaviour.
   *
   * @example
   * class Book extends domain.aggregate('Book', { title: field.string({ required: true }) }) {}
   */
  aggregate<const F extends Fields>(
    name: string,
    fields: F,
    options?: AggregateOptions<F>,
  ): AggregateClass<F> {
    return this.registry.register(defineAggregate(this.name, name, fields, this.newId, options));
  }

  /** Declares a command: a request to change one aggregate. */
  command<const F extends Fields>(
    name: string,
    fields: F,
    options: MessageOptions,
  ): CommandClass<F> {
    return this.registry.register(
      defineMessage('command', this.name, name, fields, options) as CommandClass<F>,
    );
  }

  /** Declares an event: a fact about one aggregate. */
  event<const F extends Fields>(name: string, fields: F, options: MessageOptions): EventClass<F> {
    return this.registry.register(
      defineMessage('event', this.name, name, fields, options) as EventClass<F>,
    );
  }

  /** Declares a projection (a read model); one field must be marked `identifier: true`. */
  projection<const F extends Fields>(name: string, fields: F): ProjectionClass<F> {
    return this.registry.register(defineProjection(this.name, name, fields));
  }

  /** Sets the identity generator (`identity_strategy = "function"`). */
  identity(generate: () => string): this {
    this.identityGenerator = generate;
    return this;
  }

  /**
   * Registers the one handler of a command. With `{ idempotent: true }` a redelivered command
   * (async processing is at-least-once) changes nothing the second time.
   *
   * @example
   * domain.handle(
   *   AddBook,
   *   async (command, { repository }) => {
   *     const book = new Book({ title: command.title, author: command.author });
   *     await repository(Book).add(book);
   *     return book.id;
   *   },
   *   { idempotent: true },
   * );
   */
  handle<F extends Fields>(
    command: CommandClass<F>,
    handler: CommandHandler<MessageOf<F, CommandMessage>>,
    options: CommandHandlerOptions = {},
  ): this {
    const meta = command.meta as MessageMeta | undefined;
    if (meta?.kind !== 'command') {
      throw new IncorrectUsageError(
        `domain.handle() takes a command class, received ${meta?.name ?? String(command)}; use domain.eventHandler() for events`,
      );
    }
    if (this.registry.commandHandlers.has(meta.type)) {
      this.registry.problem(`command ${meta.name} has two handlers; a command has exactly one`);
      return this;
    }
    this.registry.commandHandlers.set(meta.type, {
      name: `${meta.name}Handler`,
      command,
      handle: handler as CommandHandler,
      options,
    });
    return this;
  }

  /**
   * Declares a named event handler; add its reactions with `.on(Event, fn)`. `options` may make
   * it idempotent and give it subscription options of its own.
   *
   * @example
   * domain
   *   .eventHandler('InventoryStocker', { idempotent: true })
   *   .on(BookAdded, async (event, { repository }) => {
   *     await repository(Inventory).add(new Inventory({ bookId: event.bookId, onHand: 1 }));
   *   });
   */
  eventHandler(name: string, options: EventHandlerOptions = {}): EventHandlerBuilder {
    return this.#handlerBuilder(name, 'event_handler', [], options);
  }

  /**
   * Declares a projector that maintains projections from events; add reactions with `.on()`.
   *
   * @example
   * domain
   *   .projector('CatalogProjector', { projections: [BookCatalog], idempotent: true })
   *   .on(BookAdded, async (event, { repository }) => {
   *     const { bookId, title } = event;
   *     await repository(BookCatalog).add(new BookCatalog({ bookId, title }));
   *   });
   */
  projector(
    name: string,
    options: EventHandlerOptions & {
      projections: readonly { readonly meta: { readonly name: string } }[];
    },
  ): EventHandlerBuilder {
    const { projections, ...rest } = options;
    const names = projections.map((p) => p.meta.name);
    return this.#handlerBuilder(name, 'projector', names, rest);
  }

  #handlerBuilder(
    name: string,
    kind: 'event_handler' | 'projector',
    projections: string[],
    options: EventHandlerOptions,
  ): EventHandlerBuilder {
    this.registry.claimName(name, kind === 'projector' ? 'a projector' : 'an event handler');
    const entry = { name, kind, reactions: new Map(), projections, options };
    this.registry.eventHandlers.set(name, entry);
    return new EventHandlerBuilder(entry, (message) => this.registry.problem(message));
  }

  /**
   * Declares a subscriber: it reads an external stream on the default broker (through consumer
   * group `name`, in the engine) and gets each payload as it was published, typically to turn it
   * into a command. A throw fails the delivery: retried, then dead-lettered to `<stream>:dlq`.
   *
   * @example
   * domain.subscriber('PaymentsSubscriber', { stream: 'payments' }, async (payload, { process }) => {
   *   await process(new RecordPayment({ orderId: String(payload['order']) }));
   * });
   */
  subscriber(name: string, options: SubscriberOptions, handle: SubscriberHandler): this {
    const { stream, subscription } = options ?? {};
    if (typeof stream !== 'string' || !/^[\w:.-]+$/.test(stream) || typeof handle !== 'function') {
      throw new IncorrectUsageError(
        `subscriber ${name} needs { stream } naming the external stream it reads (letters, digits, ` +
          `_ : . -) and a handler function; received stream ${JSON.stringify(stream)} and a ` +
          `${typeof handle} handler.`,
      );
    }
    this.registry.claimName(name, 'a subscriber');
    this.registry.subscribers.set(name, { name, stream, handle, subscription });
    return this;
  }

  /** Declares an application service: each method is a use case run in a unit of work. */
  applicationService<M extends Record<string, (...args: never[]) => unknown>>(
    name: string,
    methods: M,
  ): ApplicationService<M> {
    this.registry.claimName(name, 'an application service');
    return applicationService(methods, (fn) => this.unitOfWork(fn));
  }

  /** Declares a domain service: logic across aggregates, with rules checked around it. */
  domainService<A extends unknown[], R>(
    name: string,
    spec: DomainServiceSpec<A, R>,
  ): (...args: A) => R {
    this.registry.claimName(name, 'a domain service');
    return domainService(name, spec);
  }

  /**
   * A base class for a custom repository of an aggregate or projection, with queries of its own.
   * Get an instance with `domain.repository(YourRepository)`; it shares storage and units of work
   * with `domain.repository(Aggregate)`.
   *
   * @example
   * class BookRepository extends domain.repositoryFor(Book) {
   *   available() { return this.find({ where: { status: 'available' } }); }
   * }
   * const books = await domain.repository(BookRepository).available();
   */
  repositoryFor<T extends AggregateRoot | Projection>(
    cls: AnyAggregateClass<T & AggregateRoot> | AnyProjectionClass<T & Projection>,
  ): new () => Repository<T> {
    return repositoryBase(cls as unknown as StoredClass<T>);
  }
}
