/**
 * The composition root: makes the built-in adapters available by their domain.toml names. The
 * core never imports adapters; this file is the one place that connects them.
 */
import { createInlineBroker } from './adapters/memory/broker.js';
import { createMemoryDatabase } from './adapters/memory/database.js';
import { createMemoryEventStore } from './adapters/memory/event-store.js';
import { createMemoryIdempotencyStore } from './adapters/memory/idempotency.js';
import { createMemoryOutbox } from './adapters/memory/outbox.js';
import { createConsoleLogger } from './logging/console.js';
import { setDefaultLogger } from './ports/logger.js';
import { registerProvider } from './ports/registry.js';
import type { ProviderSettings } from './ports/registry.js';

/** The keys of `[databases.default]` the outbox and idempotency stores use (they check them). */
function storeSettings(settings: ProviderSettings): { database_uri: string; pool_size?: number } {
  const poolSize = settings['pool_size'];
  return {
    database_uri: settings['database_uri'] as string,
    ...(poolSize === undefined ? {} : { pool_size: poolSize as number }),
  };
}

registerProvider('database', 'memory', async () => createMemoryDatabase());
registerProvider('database', 'postgresql', async (settings) => {
  const { createPostgresDatabase } = await import('./adapters/postgres/database.js');
  return createPostgresDatabase(settings);
});
registerProvider('event_store', 'memory', async () => createMemoryEventStore());
registerProvider('event_store', 'postgresql', async (settings) => {
  const { createPostgresEventStore } = await import('./adapters/postgres/event-store.js');
  return createPostgresEventStore(settings);
});
registerProvider('outbox', 'memory', async () => createMemoryOutbox());
registerProvider('outbox', 'postgresql', async (settings) => {
  const { createPostgresOutbox } = await import('./adapters/postgres/outbox.js');
  return createPostgresOutbox(storeSettings(settings));
});
registerProvider('idempotency', 'memory', async () => createMemoryIdempotencyStore());
registerProvider('idempotency', 'postgresql', async (settings) => {
  const { createPostgresIdempotencyStore } = await import('./adapters/postgres/idempotency.js');
  return createPostgresIdempotencyStore(storeSettings(settings));
});
registerProvider('broker', 'inline', async () => createInlineBroker());
registerProvider('broker', 'redis', async (settings) => {
  const { createRedisBroker } = await import('./adapters/redis/broker.js');
  return createRedisBroker(settings);
});
registerProvider('broker', 'redis_pubsub', async (settings) => {
  const { createRedisPubSubBroker } = await import('./adapters/redis/pubsub.js');
  return createRedisPubSubBroker(settings);
});
setDefaultLogger(createConsoleLogger());
