/**
 * The composition root: makes the built-in adapters available by their domain.toml names. The
 * core never imports adapters; this file is the one place that connects them.
 */
import { createInlineBroker } from './adapters/memory/broker.js';
import { createMemoryDatabase } from './adapters/memory/database.js';
import { createMemoryEventStore } from './adapters/memory/event-store.js';
import { createConsoleLogger } from './logging/console.js';
import { setDefaultLogger } from './ports/logger.js';
import { registerProvider } from './ports/registry.js';

registerProvider('database', 'memory', async () => createMemoryDatabase());
registerProvider('database', 'postgresql', async (settings) => {
  const { createPostgresDatabase } = await import('./adapters/postgres/database.js');
  return createPostgresDatabase(settings);
});
registerProvider('event_store', 'memory', async () => createMemoryEventStore());
registerProvider('broker', 'inline', async () => createInlineBroker());
setDefaultLogger(createConsoleLogger());
