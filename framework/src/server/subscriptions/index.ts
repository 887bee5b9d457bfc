/**
 * The subscriptions the engine runs: `event_store` (polls a category, position kept in the event
 * store), `stream` (a category stream through a consumer group) and `broker` (an external stream
 * for a subscriber).
 */
export { BrokerSubscription } from './broker.js';
export type { BrokerSubscriptionInit } from './broker.js';
export { Backoff, systemClock } from './clock.js';
export type { BackoffOptions, Clock } from './clock.js';
export { ConsumeLoop } from './consume-loop.js';
export type { ConsumeCounters, ConsumeLoopInit, ConsumeSettings } from './consume-loop.js';
export { MalformedMessageError, parseEnvelope, REPLAY_FOR_HEADER } from './dead-letter.js';
export type { DeadLetter } from './dead-letter.js';
export { EventStoreSubscription } from './event-store.js';
export type { EventStoreSettings, EventStoreSubscriptionInit } from './event-store.js';
export { defaultConsumerName, GroupSubscription } from './group.js';
export type { GroupSubscriptionOptions } from './group.js';
export { loadPosition, POSITION_MESSAGE_TYPE, positionStream, savePosition } from './position.js';
export { StreamSubscription } from './stream.js';
export type { StreamSubscriptionInit } from './stream.js';
export type {
  Subscription,
  SubscriptionDomain,
  SubscriptionStatus,
  SubscriptionType,
} from './types.js';
