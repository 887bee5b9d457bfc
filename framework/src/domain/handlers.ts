import type { HandlerSubscriptionConfig } from '../config/types.js';
import type { AggregateRoot, AnyAggregateClass } from '../core/aggregate.js';
import type { Envelope } from '../core/envelope.js';
import type {
  CommandMessage,
  EventClass,
  EventMessage,
  MessageClass,
  MessageOf,
} from '../core/message.js';
import type { Fields } from '../core/fields.js';
import type { JsonObject } from '../ports/broker.js';
import type { AnyProjectionClass, Projection } from '../core/projection.js';
import type { Repository } from './repository.js';
import type { View } from './view.js';

/** Options of `domain.process()`. */
export interface ProcessOptions {
  /** Correlates this command with an outside request; a new id otherwise. */
  correlationId?: string;
  /** Headers that travel with the command's envelope. */
  headers?: Record<string, string>;
}

/** Access to a domain's repositories, views and command processing. */
export interface DomainAccess {
  /** The repository of an aggregate or projection, or an instance of a custom repository class. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a custom repository of any element type
  repository<R extends Repository<any>>(cls: new () => R): R;
  repository<T extends AggregateRoot>(cls: AnyAggregateClass<T>): Repository<T>;
  repository<T extends Projection>(cls: AnyProjectionClass<T>): Repository<T>;
  /** Read-only access to a projection. */
  view<T extends Projection>(cls: AnyProjectionClass<T>): View<T>;
  /** Processes a command; inside a handler it is caused by (and correlated with) the message handled. */
  process<R = unknown>(command: CommandMessage, options?: ProcessOptions): Promise<R>;
}

/** What every handler and projector receives besides its message. */
export interface HandlerContext extends DomainAccess {
  /** The envelope of the message being handled: id, type, stream, metadata. */
  readonly message: Envelope;
}

/** Handles one command; its result is what `domain.process()` resolves with (sync mode). */
export type CommandHandler<C extends CommandMessage = CommandMessage> = (
  command: C,
  context: HandlerContext,
) => unknown;

/** Reacts to one event. */
export type EventHandler<E extends EventMessage = EventMessage> = (
  event: E,
  context: HandlerContext,
) => unknown;

/** What a command handler may declare. */
export interface CommandHandlerOptions {
  /**
   * Record `(message id, handler)` in the transaction of the handler's effect and skip a message
   * already applied, so that a redelivered command changes nothing (exactly-once effect).
   * @defaultValue false
   */
  idempotent?: boolean;
}

/** What an event handler or projector may declare. */
export interface EventHandlerOptions extends CommandHandlerOptions {
  /**
   * Its own subscription options: they rank above every table and profile (see
   * `resolveSubscriptionOptions()`).
   */
  subscription?: HandlerSubscriptionConfig;
}

/** A registered command handler. */
export interface CommandHandlerEntry {
  /** Names the handler in logs and subscriptions: the command's name plus `Handler`. */
  readonly name: string;
  readonly command: MessageClass<CommandMessage>;
  readonly handle: CommandHandler;
  readonly options: CommandHandlerOptions;
}

/** A named group of event reactions: an event handler or a projector. */
export interface EventHandlerEntry {
  readonly name: string;
  readonly kind: 'event_handler' | 'projector';
  /** Event type -> reaction. */
  readonly reactions: Map<string, { event: MessageClass<EventMessage>; handle: EventHandler }>;
  /** For projectors: the projections they maintain, by name. */
  readonly projections: readonly string[];
  readonly options: EventHandlerOptions;
}

/** Handles one payload of an external stream, e.g. by turning it into a command. */
export type SubscriberHandler = (payload: JsonObject, context: DomainAccess) => unknown;

/** What a subscriber declares: the stream it reads and, optionally, its subscription options. */
export interface SubscriberOptions {
  /** The external stream read on the default broker, e.g. `payments`. */
  stream: string;
  /**
   * Its own subscription options: they rank above every table and profile (see
   * `resolveSubscriptionOptions()`).
   */
  subscription?: HandlerSubscriptionConfig;
}

/** A registered subscriber. */
export interface SubscriberEntry {
  /** The subscriber's name: its consumer group. */
  readonly name: string;
  readonly stream: string;
  readonly handle: SubscriberHandler;
  readonly subscription?: HandlerSubscriptionConfig | undefined;
}

/**
 * Adds reactions to a named event handler or projector (`domain.eventHandler()` and
 * `domain.projector()` return one).
 */
export class EventHandlerBuilder {
  readonly #entry: EventHandlerEntry;
  readonly #problem: (message: string) => void;

  constructor(entry: EventHandlerEntry, problem: (message: string) => void) {
    this.#entry = entry;
    this.#problem = problem;
  }

  /** Runs `handle` for every `event` (after the unit of work that stored it committed). */
  on<F extends Fields>(
    event: EventClass<F>,
    handle: EventHandler<MessageOf<F, EventMessage>>,
  ): this {
    const { type, kind, name } = event.meta ?? {};
    if (kind !== 'event') {
      this.#problem(
        `${this.#entry.name}.on(${name ?? String(event)}): only events can be handled here; use domain.handle() for commands`,
      );
      return this;
    }
    if (this.#entry.reactions.has(type))
      this.#problem(`${this.#entry.name} handles ${name} twice; keep one reaction per event`);
    this.#entry.reactions.set(type, {
      event: event as MessageClass<EventMessage>,
      handle: handle as EventHandler,
    });
    return this;
  }
}

/** What the engine needs to know about a subscriber to subscribe it. */
export interface SubscriberInfo {
  readonly name: string;
  readonly stream: string;
  readonly subscription?: HandlerSubscriptionConfig | undefined;
  /** Runs the subscriber on one payload (with the domain's repositories and `process()`). */
  readonly handle: (payload: JsonObject) => Promise<void>;
}

/** What the engine needs to know about one registered handler to subscribe it. */
export interface HandlerInfo {
  /** The handler's name: the consumer group and the subscription's name. */
  readonly name: string;
  readonly kind: 'command_handler' | 'event_handler' | 'projector';
  /** Stream category -> the message types it handles there. */
  readonly categories: ReadonlyMap<string, readonly string[]>;
  /** Its own subscription options, as declared (event handlers and projectors). */
  readonly subscription?: HandlerSubscriptionConfig | undefined;
}

/** `access` with its methods bound, so that a handler may destructure them. */
export function boundAccess(access: DomainAccess): DomainAccess {
  return {
    repository: access.repository.bind(access) as DomainAccess['repository'],
    view: access.view.bind(access),
    process: access.process.bind(access),
  };
}
