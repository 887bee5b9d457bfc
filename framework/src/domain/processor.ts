import type { AggregateRoot, AnyAggregateClass } from '../core/aggregate.js';
import type { Envelope } from '../core/envelope.js';
import { EventDispatchError, IncorrectUsageError } from '../core/errors.js';
import type { CommandClass, CommandMessage, EventMessage } from '../core/message.js';
import type { AnyProjectionClass, Projection } from '../core/projection.js';
import type { RecordStore } from '../ports/database.js';
import type { Logger } from '../ports/logger.js';
import { currentContext, withContext } from '../unit-of-work/context.js';
import { UnitOfWork } from '../unit-of-work/unit-of-work.js';
import { retryOnConflict } from './conflict-retry.js';
import type { ConflictRetryNotice } from './conflict-retry.js';
import { boundAccess } from './handlers.js';
import type { DomainAccess, HandlerContext, ProcessOptions } from './handlers.js';
import type { DomainPorts } from './init.js';
import { envelopeFor, messageFrom } from './messages.js';
import type { Observers } from './observers.js';
import type { Registry } from './registry.js';
import { Repositories } from './repositories.js';
import type { Repository, RepositoryStorage } from './repository.js';
import type { View } from './view.js';

/** What a processor is built from, once `domain.init()` has started the ports. */
export interface ProcessorInput {
  /** The domain's name, for envelopes and messages. */
  readonly name: string;
  readonly registry: Registry;
  readonly ports: DomainPorts;
  /** Told of every commit that stored events. */
  readonly observers: Observers;
  readonly logger: Logger;
}

/** Options of delivering a stored message to its handlers (`domain.handleMessage()`). */
export interface DeliveryOptions {
  /** Only this event handler or projector (the engine runs one subscription per handler). */
  handler?: string | undefined;
  /**
   * Record `(message id, handler)` with the effect and skip a message already applied.
   * @defaultValue what each handler declared (`idempotent` of its options)
   */
  idempotent?: boolean | undefined;
}

/** One failed reaction: which handler, which event, what it threw. */
export interface ReactionFailure {
  handler: string;
  eventType: string;
  error: unknown;
}

/** The result of a unit's work and the events its commit stored. */
interface Committed<R> {
  result: R;
  events: Envelope[];
}

/**
 * Everything an initialized domain does with messages: runs command handlers and reactions, each
 * in a unit of work of its own (run again on a version conflict, as `[conflict_retry]` says),
 * commits, tells the observers, and dispatches committed events in sync mode. It is also the
 * storage repositories write through, and the access handlers get.
 */
export class Processor implements DomainAccess, RepositoryStorage {
  readonly #name: string;
  readonly #registry: Registry;
  /** The adapters `domain.init()` started; the domain's getters and `close()` reach them here. */
  readonly ports: DomainPorts;
  readonly #observers: Observers;
  readonly #logger: Logger;
  readonly #repositories: Repositories;
  readonly #access: DomainAccess;

  constructor({ name, registry, ports, observers, logger }: ProcessorInput) {
    this.#name = name;
    this.#registry = registry;
    this.ports = ports;
    this.#observers = observers;
    this.#logger = logger;
    this.#repositories = new Repositories(name, registry, this);
    this.#access = boundAccess(this);
  }

  // `any`: a custom repository of any element type; its own type is what the caller gets back.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  repository<R extends Repository<any>>(cls: new () => R): R;
  repository<T extends AggregateRoot>(cls: AnyAggregateClass<T>): Repository<T>;
  repository<T extends Projection>(cls: AnyProjectionClass<T>): Repository<T>;
  repository(cls: unknown): Repository<never> {
    return this.#repositories.get(cls as never);
  }

  view<T extends Projection>(cls: AnyProjectionClass<T>): View<T> {
    return this.#repositories.view(cls);
  }

  records(kind: string): RecordStore {
    return this.ports.database.records(kind);
  }

  /** See `Domain.process()`. */
  async process<R = unknown>(command: CommandMessage, options: ProcessOptions = {}): Promise<R> {
    if ((command?.constructor as CommandClass | undefined)?.meta?.kind !== 'command') {
      throw new IncorrectUsageError(
        `domain.process() takes a command, received ${(command?.constructor as { name?: string })?.name ?? typeof command}`,
      );
    }
    const envelope = envelopeFor(this.#name, this.#registry, command, undefined, options);
    if (this.ports.config.command_processing === 'async') {
      await this.ports.eventStore.append(envelope.stream, [envelope]);
      return envelope.id as R;
    }
    return (await this.#runCommand(envelope, command)) as R;
  }

  /** See `Domain.unitOfWork()`: joins the open unit, or commits one and dispatches its events. */
  async unitOfWork<R>(fn: () => Promise<R>): Promise<R> {
    if (currentContext().unitOfWork) return fn();
    const { result, events } = await this.#commit(fn);
    await this.#committed(events);
    return result;
  }

  /** See `Domain.handleMessage()`. */
  async handleMessage(envelope: Envelope, options: DeliveryOptions = {}): Promise<unknown> {
    if (envelope.kind === 'COMMAND') {
      const command = messageFrom<CommandMessage>(this.#registry, envelope);
      return this.#runCommand(envelope, command, options.idempotent);
    }
    const failures = await this.#deliver(envelope, options);
    if (failures.length > 0) throw new EventDispatchError(failures);
    return undefined;
  }

  /** Runs a command's handler, with the command as the cause of what it does. */
  #runCommand(envelope: Envelope, command: CommandMessage, idempotent?: boolean): Promise<unknown> {
    const entry = this.#registry.commandHandlers.get(envelope.type);
    if (!entry) {
      throw new IncorrectUsageError(
        `command ${envelope.type} has no handler; register one with domain.handle()`,
      );
    }
    const once = idempotent ?? entry.options.idempotent ?? false;
    return this.#handle(envelope, entry.name, once, (context) => entry.handle(command, context));
  }

  /**
   * Delivers one event to every event handler and projector that reacts to it (or only to
   * `handler`), each in a unit of work of its own. Every reaction runs even if another fails.
   */
  async #deliver(envelope: Envelope, options: DeliveryOptions): Promise<ReactionFailure[]> {
    const failures: ReactionFailure[] = [];
    for (const entry of this.#registry.eventHandlers.values()) {
      const reaction = entry.reactions.get(envelope.type);
      if (!reaction || (options.handler !== undefined && entry.name !== options.handler)) continue;
      try {
        const event = messageFrom<EventMessage>(this.#registry, envelope);
        const once = options.idempotent ?? entry.options.idempotent ?? false;
        await this.#handle(envelope, entry.name, once, (context) =>
          reaction.handle(event, context),
        );
      } catch (error) {
        failures.push({ handler: entry.name, eventType: envelope.type, error });
      }
    }
    return failures;
  }

  /**
   * Runs one handler of `envelope` in a fresh unit of work, caused by the envelope, and commits;
   * on a version conflict, runs it again in another fresh unit (aggregates loaded anew). An
   * idempotent handler records `(message id, handler)` in that unit, and is skipped when the
   * message was applied already. Events are dispatched once, after the commit that succeeded.
   */
  #handle(
    envelope: Envelope,
    handler: string,
    idempotent: boolean,
    handle: (context: HandlerContext) => unknown,
  ): Promise<unknown> {
    const context: HandlerContext = { message: envelope, ...this.#access };
    const attempt = async () => {
      if (idempotent && (await this.#alreadyApplied(envelope.id, handler))) return undefined;
      return handle(context);
    };
    const onRetry = (notice: ConflictRetryNotice) => this.#logRetry(envelope, handler, notice);
    return withContext({ message: envelope, unitOfWork: undefined }, async () => {
      const { result, events } = await retryOnConflict(
        () => this.#commit(attempt),
        this.ports.config.conflict_retry,
        { onRetry },
      );
      await this.#committed(events);
      return result;
    });
  }

  /** Runs `fn` in a new unit of work and commits it; rolls it back when anything fails. */
  #commit<R>(fn: () => Promise<R>): Promise<Committed<R>> {
    const unit = new UnitOfWork(this.ports.unitOfWork, currentContext().message);
    return withContext({ unitOfWork: unit }, async () => {
      try {
        const result = await fn();
        return { result, events: await unit.commit() };
      } catch (error) {
        await unit.rollback();
        throw error;
      }
    });
  }

  /**
   * After a commit: tells the observers, then, in sync mode, delivers the events to their
   * reactions; their failures are reported together as one `EventDispatchError`. In async mode
   * the engine delivers them instead.
   */
  async #committed(events: readonly Envelope[]): Promise<void> {
    if (events.length === 0) return;
    this.#observers.notify({ type: 'events.committed', events });
    if (this.ports.config.event_processing === 'async') return;
    const failures: ReactionFailure[] = [];
    for (const envelope of events) failures.push(...(await this.#deliver(envelope, {})));
    if (failures.length > 0) throw new EventDispatchError(failures);
  }

  /** Inside the open unit, records that `handler` applies message `id`; `true` if it already had. */
  async #alreadyApplied(id: string, handler: string): Promise<boolean> {
    const session = await currentContext().unitOfWork!.session();
    return !(await this.ports.idempotency.mark(id, handler, { transaction: session.link }));
  }

  #logRetry(envelope: Envelope, handler: string, notice: ConflictRetryNotice): void {
    this.#logger.debug('version conflict; running the handler again', {
      handler,
      messageId: envelope.id,
      messageType: envelope.type,
      attempt: notice.attempt,
      delayMs: Math.round(notice.delayMs),
      conflict: notice.error.message,
    });
  }
}
