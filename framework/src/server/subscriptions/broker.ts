/**
 * The `broker` subscription: a subscriber of an external stream, fed the raw payloads (JSON
 * objects, not envelopes), with the retries and dead letters of every consumer-group subscription.
 */
import type { Broker, JsonObject } from '../../ports/broker.js';
import type { Logger } from '../../ports/logger.js';
import type { Tracer } from '../../ports/trace.js';
import type { Clock } from './clock.js';
import type { ConsumeSettings } from './consume-loop.js';
import { GroupSubscription } from './group.js';

/** What {@link BrokerSubscription} is built from. */
export interface BrokerSubscriptionInit {
  /** The subscriber's name: the consumer group's name. */
  handler: string;
  /** The external stream read, e.g. `payments`; dead letters go to `<stream>:dlq`. */
  stream: string;
  /** The broker the stream lives on (`[brokers.<name>]`). */
  broker: Broker;
  /** Handles one payload; throwing fails the delivery (retried, then dead-lettered). */
  handle: (payload: JsonObject) => Promise<void>;
  settings: ConsumeSettings;
  logger: Logger;
  /** @defaultValue `<handler>-<host>-<pid>` */
  consumer?: string;
  /** @defaultValue the system clock */
  clock?: Clock;
  /** Where trace events go. @defaultValue none */
  tracer?: Tracer;
}

/**
 * Reads `stream` through group `<handler>` and calls `handle(payload)` with each entry's payload
 * as it was published; acknowledged on success, retried on failure, dead-lettered to
 * `<stream>:dlq` after `max_retries` deliveries (see `StreamSubscription` for the same rules).
 */
export class BrokerSubscription extends GroupSubscription {
  constructor(init: BrokerSubscriptionInit) {
    const { handle, ...options } = init;
    super('broker', options, handle);
  }
}
