/**
 * The composition root: makes the built-in adapters available by their domain.toml names. The
 * core never imports adapters; this file is the one place that connects them.
 */
import { createMemoryDatabase } from './adapters/memory/database.js';
import { registerDatabaseProvider } from './ports/registry.js';

registerDatabaseProvider('memory', async () => createMemoryDatabase());
