/**
 * The `stream` subscription: a handler of domain messages reading a category stream (as the
 * outbox processor publishes them: stream = category) through a consumer group named after it.
 */
import type { Broker, JsonObject } from '../../ports/broker.js';
import type { Logger } from '../../ports/logger.js';
import type { Tracer } from '../../ports/trace.js';
import type { Clock } from './clock.js';
import type { ConsumeSettings } from './consume-loop.js';
import { REPLAY_FOR_HEADER, parseEnvelope } from './dead-letter.js';
import { GroupSubscription } from './group.js';
import type { SubscriptionDomain } from './types.js';

/** What {@link StreamSubscription} is built from. */
export interface StreamSubscriptionInit {
  /** The domain whose `handleMessage` runs the handler (and whose `broker` is read by default). */
  domain: SubscriptionDomain & { readonly broker: Broker };
  /** The event handler, projector or command dispatcher: the consumer group's name. */
  handler: string;
  /** The category stream read, e.g. `bookshelf::book`; dead letters go to `<stream>:dlq`. */
  stream: string;
  settings: ConsumeSettings;
  /** Envelope types handed to the handler; the others are acknowledged. @defaultValue all */
  types?: Iterable<string>;
  /**
   * Record `(message id, handler)` with the effect and skip what was applied.
   * @defaultValue what the handler declared (`idempotent` of its options)
   */
  idempotent?: boolean;
  /** @defaultValue the domain's broker */
  broker?: Broker;
  /** @defaultValue `<handler>-<host>-<pid>` */
  consumer?: string;
  /** @defaultValue the domain's logger */
  logger?: Logger;
  /** @defaultValue the system clock */
  clock?: Clock;
  /** Where trace events go. @defaultValue none */
  tracer?: Tracer;
}

/**
 * Reads `stream` as consumer `<handler>-<host>-<pid>` of group `<handler>`: own pending entries
 * first, then new ones. Each entry must be an envelope (otherwise it is dead-lettered at once
 * with the parse error); it is handed to `domain.handleMessage(envelope, { handler, idempotent })`
 * and acknowledged when that succeeds. A failure leaves it pending: it is delivered again after
 * `retry_delay_seconds`, and after `max_retries` deliveries (the broker's counter, durable) it
 * goes to `<stream>:dlq` (`enable_dlq`) before being acknowledged. Several consumers of the group
 * share the stream, each entry handled by one of them (with no per-aggregate order across them).
 */
export class StreamSubscription extends GroupSubscription {
  constructor(init: StreamSubscriptionInit) {
    const { domain, handler, stream, settings, consumer, clock, tracer } = init;
    const broker = init.broker ?? domain.broker;
    const logger = init.logger ?? domain.logger;
    const options = { handler, stream, broker, settings, logger, consumer, clock, tracer };
    super('stream', options, envelopeHandler(init));
  }
}

/**
 * Parses the payload as an envelope and runs the handler on it, if it is of a type it takes;
 * resolves with `false` for one it leaves unhandled.
 */
function envelopeHandler(init: StreamSubscriptionInit): (payload: JsonObject) => Promise<boolean> {
  const types = init.types === undefined ? undefined : new Set(init.types);
  // Left out, `idempotent` is what the handler declared.
  const { handler, idempotent } = init;
  const options = { handler, ...(idempotent === undefined ? {} : { idempotent }) };
  const logger = init.logger ?? init.domain.logger;
  const subscription = `${handler}@${init.stream}`;
  return async (payload) => {
    const envelope = parseEnvelope(payload);
    if (types !== undefined && !types.has(envelope.type)) return false;
    // A replayed dead letter is for the group that gave up on it alone.
    const replayFor = envelope.metadata.headers?.[REPLAY_FOR_HEADER];
    if (replayFor !== undefined && replayFor !== handler) return false;
    const { id: messageId, type, stream } = envelope;
    logger.debug('handling message', { subscription, messageId, type, stream });
    await init.domain.handleMessage(envelope, options);
    return true;
  };
}
