/**
 * The composition root: the built-in adapters by their domain.toml names, and the `Domain` that
 * `protean-ts` exports, which is given them. The core never imports adapters; this file is the one
 * place that connects them. Importing it only declares things: nothing is registered anywhere.
 */
import { createInlineBroker } from './adapters/memory/broker.js';
import { createMemoryDatabase } from './adapters/memory/database.js';
import { createMemoryEventStore } from './adapters/memory/event-store.js';
import { createMemoryIdempotencyStore } from './adapters/memory/idempotency.js';
import { createMemoryOutbox } from './adapters/memory/outbox.js';
import { Domain as DomainCore } from './domain/domain.js';
import type { DomainOptions } from './domain/domain.js';
import type { ProviderSettings, ProviderTable } from './ports/registry.js';

/** The keys of `[databases.default]` the outbox and idempotency stores use (they check them). */
function storeSettings(settings: ProviderSettings): { database_uri: string; pool_size?: number } {
  const poolSize = settings['pool_size'];
  return {
    database_uri: settings['database_uri'] as string,
    ...(poolSize === undefined ? {} : { pool_size: poolSize as number }),
  };
}

/**
 * The adapters protean-ts ships, by port and provider name. The memory ones are built in; the
 * PostgreSQL and Redis ones load their module (and its driver) only when a domain asks for them.
 */
export const BUILTIN_PROVIDERS: ProviderTable = Object.freeze({
  database: {
    memory: async () => createMemoryDatabase(),
    postgresql: async (settings) => {
      const { createPostgresDatabase } = await import('./adapters/postgres/database.js');
      return createPostgresDatabase(settings);
    },
  },
  event_store: {
    memory: async () => createMemoryEventStore(),
    postgresql: async (settings) => {
      const { createPostgresEventStore } = await import('./adapters/postgres/event-store.js');
      return createPostgresEventStore(settings);
    },
  },
  outbox: {
    memory: async () => createMemoryOutbox(),
    postgresql: async (settings) => {
      const { createPostgresOutbox } = await import('./adapters/postgres/outbox.js');
      return createPostgresOutbox(storeSettings(settings));
    },
  },
  idempotency: {
    memory: async () => createMemoryIdempotencyStore(),
    postgresql: async (settings) => {
      const { createPostgresIdempotencyStore } = await import('./adapters/postgres/idempotency.js');
      return createPostgresIdempotencyStore(storeSettings(settings));
    },
  },
  broker: {
    inline: async () => createInlineBroker(),
    redis: async (settings) => {
      const { createRedisBroker } = await import('./adapters/redis/broker.js');
      return createRedisBroker(settings);
    },
    redis_pubsub: async (settings) => {
      const { createRedisPubSubBroker } = await import('./adapters/redis/pubsub.js');
      return createRedisPubSubBroker(settings);
    },
  },
});

/**
 * A bounded context: the registry of its elements and the entry point to use them. Its
 * `domain.toml` may name any built-in adapter (`memory`, `postgresql`, `inline`, `redis`,
 * `redis_pubsub`) and any registered with `registerProvider()` from `protean-ts/adapter`.
 *
 * @example
 * import { Domain, field } from 'protean-ts';
 *
 * const domain = new Domain({ name: 'bookshelf' });
 * class Book extends domain.aggregate('Book', { title: field.string({ required: true }) }) {}
 * await domain.init();
 * await domain.repository(Book).add(new Book({ title: 'Dune' }));
 */
export class Domain extends DomainCore {
  constructor(options: DomainOptions) {
    super(options, BUILTIN_PROVIDERS);
  }
}
