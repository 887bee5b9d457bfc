import type { Envelope } from './envelope.js';
import { declareElement, Element } from './element.js';
import type { ElementMeta, PlainData } from './element.js';
import type { Fields, InputOf, PlainValuesOf, ValuesOf } from './fields.js';

/** What protean-ts knows about a command or event class. */
export interface MessageMeta<F extends Fields = Fields> extends ElementMeta<F> {
  readonly kind: 'command' | 'event';
  /** The aggregate this message belongs to (its stream), by name. */
  readonly partOf: string;
  /** Schema version: part of the type name. */
  readonly version: number;
  /** Versioned type name: `Bookshelf.BookAdded.v1`. */
  readonly type: string;
  /** The field whose value names the target aggregate's stream, when declared. */
  readonly identityField: string | undefined;
}

/** Options of `domain.command()` and `domain.event()`. */
export interface MessageOptions {
  /** The aggregate (class or name) whose stream the message belongs to. */
  partOf: string | { readonly meta: { readonly name: string } };
  /** Schema version, `1` unless the message's shape was changed incompatibly. */
  version?: number;
}

/**
 * Immutable, typed data that asks for something (a command) or says that something happened
 * (an event). Declared with `domain.command()` and `domain.event()`.
 */
export abstract class Message extends Element {
  declare static readonly meta: MessageMeta;

  constructor(input: Record<string, unknown> = {}) {
    super(input, []);
    Object.freeze(this);
  }
}

/** A command instance (the base type handlers receive). */
export abstract class CommandMessage extends Message {}
/** An event instance (the base type handlers receive). */
export abstract class EventMessage extends Message {}

/** An instance of a message declared with fields `F`. */
export type MessageOf<F extends Fields, B extends Message = Message> = Omit<B, 'toJSON'> &
  Readonly<ValuesOf<F>> &
  PlainData<PlainValuesOf<F>>;

/** A command or event class. */
export interface MessageClass<M extends Message = Message> {
  new (input: never): M;
  readonly meta: MessageMeta;
}

/** The class `domain.command()` returns. */
export interface CommandClass<F extends Fields = Fields> extends MessageClass<
  MessageOf<F, CommandMessage>
> {
  new (input: InputOf<F>): MessageOf<F, CommandMessage>;
  readonly meta: MessageMeta<F>;
}

/** The class `domain.event()` returns. */
export interface EventClass<F extends Fields = Fields> extends MessageClass<
  MessageOf<F, EventMessage>
> {
  new (input: InputOf<F>): MessageOf<F, EventMessage>;
  readonly meta: MessageMeta<F>;
}

/** `bookshelf` -> `Bookshelf`, `book_club` -> `BookClub`. */
export function pascalCase(name: string): string {
  return name.replace(/(^|_)([a-z0-9])/g, (_, __, c: string) => c.toUpperCase());
}

/** Declares a command or event class; the domain calls this and registers the result. */
export function defineMessage<F extends Fields>(
  kind: 'command' | 'event',
  domain: string,
  name: string,
  fields: F,
  options: MessageOptions,
): CommandClass<F> | EventClass<F> {
  const version = options.version ?? 1;
  const partOf = typeof options.partOf === 'string' ? options.partOf : options.partOf.meta.name;
  const meta: MessageMeta<F> = {
    kind,
    name,
    domain,
    fields,
    invariants: {},
    partOf,
    version,
    type: `${pascalCase(domain)}.${name}.v${version}`,
    identityField: Object.entries(fields).find(([, f]) => f.options.identifier)?.[0],
  };
  const Base = kind === 'command' ? CommandMessage : EventMessage;
  return declareElement({ base: Base, meta, mutability: 'immutable' }) as unknown as
    CommandClass<F> | EventClass<F>;
}

/** What caused a message: the envelope being handled when it was created. */
export interface Cause {
  readonly id: string;
  readonly metadata: { readonly correlationId: string };
}

/** Where a new envelope comes from and what travels with it. */
export interface EnvelopeOptions {
  /** The message being handled when this one was created: its cause. */
  cause?: Cause | undefined;
  /** Correlation id for a first message (one without a cause); a new id otherwise. */
  correlationId?: string | undefined;
  /** For events: the aggregate's version after the change that raised them. */
  aggregateVersion?: number;
  headers?: Record<string, string>;
}

/**
 * Wraps a command or event in its envelope. The correlation id is inherited from the cause (or
 * starts here), and the cause becomes the causation id.
 */
export function envelopeOf(
  message: Message,
  stream: string,
  options: EnvelopeOptions = {},
): Envelope {
  const meta = (message.constructor as typeof Message).meta;
  const id = globalThis.crypto.randomUUID();
  const { cause, aggregateVersion } = options;
  return {
    id,
    type: meta.type,
    kind: meta.kind === 'command' ? 'COMMAND' : 'EVENT',
    stream,
    data: message.toJSON(),
    metadata: {
      timestamp: new Date().toISOString(),
      correlationId: cause?.metadata.correlationId ?? options.correlationId ?? id,
      ...(cause ? { causationId: cause.id } : {}),
      ...(aggregateVersion === undefined ? {} : { aggregateVersion }),
      headers: { ...options.headers },
    },
  };
}
