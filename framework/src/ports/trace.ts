/**
 * Trace events: what the engine tells an observer about each message it handles, each outbox row
 * it publishes and each loop it restarts. They go over a {@link TraceChannel} (in process, or Redis
 * pub/sub between processes) to whoever listens, such as `protean observatory`. Emitting is
 * guarded by `hasListeners()`, so with nobody listening no event is even built.
 */

/** The events of a trace, by name. */
export const TRACE_EVENTS = [
  'handler.started',
  'handler.completed',
  'handler.failed',
  'message.acked',
  'message.nacked',
  'message.dlq',
  'outbox.published',
  'outbox.failed',
  'supervisor.restarted',
] as const;

/** One of {@link TRACE_EVENTS}. */
export type TraceEventName = (typeof TRACE_EVENTS)[number];

/** What an emitter says; the channel's {@link Tracer} adds the domain and the time. */
export interface TraceFields {
  readonly event: TraceEventName;
  /** The stream or category the message was read from, or published to. */
  readonly stream?: string;
  /** `<handler>@<stream>`. */
  readonly subscription?: string;
  /** The handler, projector, subscriber or command dispatcher. */
  readonly handler?: string;
  /** The message's type, e.g. `ledger.Deposited.v1` (absent for a raw payload without one). */
  readonly messageType?: string;
  /** The message's id (the envelope's). */
  readonly messageId?: string;
  /** The broker entry id, for stream and broker subscriptions and outbox publications. */
  readonly entryId?: string;
  /** How long the handler (or publication) took, in milliseconds. */
  readonly durationMs?: number;
  /** Deliveries (stream, broker) or attempts (event store, outbox) so far. */
  readonly attempts?: number;
  /** Why it failed. */
  readonly error?: string;
  /** `handler.completed` of a message that was not for this handler (acknowledged unhandled). */
  readonly skipped?: boolean;
  /** `outbox.failed`: `failed` (will be retried) or `abandoned`. */
  readonly status?: string;
  /** `supervisor.restarted`: the loop restarted, and the delay before the restart. */
  readonly loop?: string;
  readonly delayMs?: number;
}

/** A trace event as listeners receive it. */
export interface TraceEvent extends TraceFields {
  /** The domain's name. */
  readonly domain: string;
  /** ISO-8601 time it was emitted. */
  readonly at: string;
}

/** Receives trace events; it must not throw (a failure is dropped). */
export type TraceListener = (event: TraceEvent) => void;

/**
 * Carries trace events from emitters to listeners. `emit()` never throws and never waits: a
 * trace is best effort (at most once), never a reason for the engine to slow down or fail.
 *
 * @example
 * const channel = createInProcessTraceChannel();
 * const stop = await channel.subscribe((event) => console.log(event.event, event.handler));
 * const at = new Date().toISOString();
 * if (channel.hasListeners()) channel.emit({ event: 'handler.started', domain: 'ledger', at });
 * await stop();
 */
export interface TraceChannel {
  /** Where the events travel: `in-process`, or `redis`. */
  readonly kind: string;
  /** Prepares the channel (connects, starts watching for listeners). Idempotent. */
  start(): Promise<void>;
  /** Whether anyone listens now: cheap, synchronous, checked before building an event. */
  hasListeners(): boolean;
  /** Sends `event` to the listeners, if any; never throws. */
  emit(event: TraceEvent): void;
  /** Listens until the returned function is called. */
  subscribe(listener: TraceListener): Promise<() => Promise<void>>;
  /** Stops listening and sending; idempotent. */
  close(): Promise<void>;
}

/**
 * What emitters hold: a channel and the domain it speaks for. `on` is the guard, `emit()` adds
 * the domain and the time: `if (tracer.on) tracer.emit({ event: 'message.acked', stream })`.
 */
export class Tracer {
  readonly domain: string;
  readonly #channel: TraceChannel;

  constructor(channel: TraceChannel, domain: string) {
    this.#channel = channel;
    this.domain = domain;
  }

  /** Whether an event would reach anyone: test it before building one. */
  get on(): boolean {
    return this.#channel.hasListeners();
  }

  /** Emits `fields` for this tracer's domain, stamped with the time now. */
  emit(fields: TraceFields): void {
    this.#channel.emit({ ...fields, domain: this.domain, at: new Date().toISOString() });
  }
}

/** A channel nobody listens to, for emitters with tracing turned off. */
export const NO_TRACE_CHANNEL: TraceChannel = Object.freeze({
  kind: 'off',
  start: async () => undefined,
  hasListeners: () => false,
  emit: () => undefined,
  subscribe: async () => async () => undefined,
  close: async () => undefined,
});

/** A tracer that never emits: the default of every emitter. */
export const NO_TRACER = new Tracer(NO_TRACE_CHANNEL, '');

/** The message's type and id, when `payload` carries them (envelopes do; raw payloads may not). */
export function messageFields(payload: Readonly<Record<string, unknown>>): {
  messageType?: string;
  messageId?: string;
} {
  const { type, id } = payload;
  return {
    ...(typeof type === 'string' ? { messageType: type } : {}),
    ...(typeof id === 'string' ? { messageId: id } : {}),
  };
}
