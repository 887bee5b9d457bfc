import type { Envelope } from '../core/envelope.js';
import { EventDispatchError, IncorrectUsageError } from '../core/errors.js';
import type { CommandMessage, EventMessage, MessageClass } from '../core/message.js';
import { withContext } from '../unit-of-work/context.js';
import type { DomainAccess, HandlerContext } from './handlers.js';
import type { Registry } from './registry.js';

/** What dispatching needs from the domain. */
export interface DispatchDeps {
  readonly registry: Registry;
  readonly access: DomainAccess;
  /** Runs `fn` in a unit of work; resolves after its commit and the dispatch of its events. */
  readonly unitOfWork: <R>(fn: () => Promise<R>) => Promise<R>;
  /** Whether events are dispatched in-process after commit (`event_processing = "sync"`). */
  readonly syncEvents: () => boolean;
  /**
   * Inside the current unit of work, records that `handler` applies message `id`; resolves
   * `true` when it had already been applied (the handler is then skipped).
   */
  readonly alreadyApplied: (id: string, handler: string) => Promise<boolean>;
}

/** Options of delivering a stored message to its handlers. */
export interface DeliveryOptions {
  /** Only this event handler or projector (the engine runs one subscription per handler). */
  only?: string | undefined;
  /**
   * Record `(message id, handler)` with the effect and skip a message already applied.
   * @defaultValue what each handler declared (`idempotent` of its options)
   */
  idempotent?: boolean | undefined;
}

/** Runs `handle` in a unit of work caused by `envelope`, once per handler when idempotent. */
function inUnit(
  deps: DispatchDeps,
  envelope: Envelope,
  handler: string,
  idempotent: boolean,
  handle: () => unknown,
): Promise<unknown> {
  return withContext({ message: envelope, unitOfWork: undefined }, () =>
    deps.unitOfWork(async () => {
      if (idempotent && (await deps.alreadyApplied(envelope.id, handler))) return undefined;
      return handle();
    }),
  );
}

/** `access` with its methods bound, so that a handler may destructure them. */
export function boundAccess(access: DomainAccess): DomainAccess {
  return {
    repository: access.repository.bind(access) as DomainAccess['repository'],
    view: access.view.bind(access),
    process: access.process.bind(access),
  };
}

function contextFor(access: DomainAccess, message: Envelope): HandlerContext {
  return { message, ...boundAccess(access) };
}

/** Rebuilds a message instance from its envelope (for handlers of stored or transmitted messages). */
export function messageFrom<M extends CommandMessage | EventMessage>(
  registry: Registry,
  envelope: Envelope,
): M {
  const cls = registry.messages.get(envelope.type) as MessageClass<M> | undefined;
  if (!cls) {
    throw new IncorrectUsageError(
      `no command or event of type ${envelope.type} is registered in this domain`,
    );
  }
  return new (cls as unknown as new (data: unknown) => M)(envelope.data);
}

/** Runs a command's handler in a unit of work, with the command as the cause of what it does. */
export async function runCommand(
  deps: DispatchDeps,
  envelope: Envelope,
  command: CommandMessage,
  idempotent?: boolean,
): Promise<unknown> {
  const entry = deps.registry.commandHandlers.get(envelope.type);
  if (!entry) {
    throw new IncorrectUsageError(
      `command ${envelope.type} has no handler; register one with domain.handle()`,
    );
  }
  const once = idempotent ?? entry.options.idempotent ?? false;
  return inUnit(deps, envelope, entry.name, once, () =>
    entry.handle(command, contextFor(deps.access, envelope)),
  );
}

/** One failed reaction: which handler, which event, what it threw. */
export interface ReactionFailure {
  handler: string;
  eventType: string;
  error: unknown;
}

/**
 * Delivers one event to every event handler and projector that reacts to it (or only to the one
 * named `only`), each in a unit of work of its own. Every reaction runs even if another fails.
 */
export async function deliverEvent(
  deps: DispatchDeps,
  envelope: Envelope,
  { only, idempotent }: DeliveryOptions = {},
): Promise<ReactionFailure[]> {
  const failures: ReactionFailure[] = [];
  for (const entry of deps.registry.eventHandlers.values()) {
    const reaction = entry.reactions.get(envelope.type);
    if (!reaction || (only !== undefined && entry.name !== only)) continue;
    try {
      const event = messageFrom<EventMessage>(deps.registry, envelope);
      const once = idempotent ?? entry.options.idempotent ?? false;
      await inUnit(deps, envelope, entry.name, once, () =>
        reaction.handle(event, contextFor(deps.access, envelope)),
      );
    } catch (error) {
      failures.push({ handler: entry.name, eventType: envelope.type, error });
    }
  }
  return failures;
}

/**
 * In sync mode, delivers committed events to their reactions; failures are reported together
 * afterwards as one `EventDispatchError`. In async mode the engine delivers them instead.
 */
export async function dispatchEvents(
  deps: DispatchDeps,
  events: readonly Envelope[],
): Promise<void> {
  if (!deps.syncEvents()) return;
  const failures: ReactionFailure[] = [];
  for (const envelope of events) failures.push(...(await deliverEvent(deps, envelope)));
  if (failures.length > 0) throw new EventDispatchError(failures);
}
