/**
 * `protean-ts/redis`: the Redis brokers. Domains configured with `provider = "redis"` (Streams,
 * consumer groups, at-least-once) or `"redis_pubsub"` (at-most-once, no persistence) load them on
 * their own; import this entry to build one by hand. Needs the `ioredis` package.
 */
export { createRedisBroker, REDIS_BROKER_CAPABILITIES } from './adapters/redis/broker.js';
export { createRedisPubSubBroker, REDIS_PUBSUB_CAPABILITIES } from './adapters/redis/pubsub.js';
// The broker port's error, here too because Redis is what users see it from.
export { BrokerUnavailableError } from './ports/broker.js';
export { redactRedisUri, redisBrokerSettings } from './adapters/redis/settings.js';
export type { RedisBrokerSettings, RedisBrokerTable } from './adapters/redis/settings.js';
