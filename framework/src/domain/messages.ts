import { streams } from '../core/envelope.js';
import type { Envelope } from '../core/envelope.js';
import { IncorrectUsageError } from '../core/errors.js';
import { envelopeOf } from '../core/message.js';
import type {
  CommandClass,
  CommandMessage,
  EventClass,
  EventMessage,
  MessageClass,
} from '../core/message.js';
import { currentContext } from '../unit-of-work/context.js';
import type { ProcessOptions } from './handlers.js';
import { snakeCase } from './names.js';
import type { Registry } from './registry.js';

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

/**
 * Wraps a command or event of domain `name` in its envelope, on the stream of the aggregate with
 * this id (a command without one goes to a new command stream). Inside a handler, the message
 * being handled is its cause.
 */
export function envelopeFor(
  name: string,
  registry: Registry,
  message: CommandMessage | EventMessage,
  aggregateId?: string,
  options: ProcessOptions = {},
): Envelope {
  const cls = message?.constructor as CommandClass | EventClass | undefined;
  const meta = cls?.meta;
  if ((meta?.kind !== 'command' && meta?.kind !== 'event') || !registry.owns(cls)) {
    throw new IncorrectUsageError(
      `expected a command or event of domain "${name}", received ${meta?.name ?? typeof message}`,
    );
  }
  const category = streams.category(name, snakeCase(meta.partOf));
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
