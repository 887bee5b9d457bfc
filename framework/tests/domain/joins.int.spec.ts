import { afterAll, beforeAll, expect, it } from 'vitest';
import { ConfigurationError, Domain } from '../../src/index.js';
import {
  createTestDatabase,
  describeIntegration,
  integrationServices,
} from '../../src/testing/index.js';
import type { TestDatabase } from '../../src/testing/index.js';

describeIntegration(
  'state and events on PostgreSQL commit together, or the domain refuses to start',
  () => {
    let database: TestDatabase;
    beforeAll(async () => {
      database = await createTestDatabase(integrationServices().postgres.url);
    });
    afterAll(async () => {
      await database?.drop();
    });

    it('refuses an event store that cannot join the database transaction', async () => {
      const other = new URL(database.url);
      other.hostname = other.hostname === 'localhost' ? '127.0.0.1' : 'localhost';
      const domain = new Domain({
        name: 'shop',
        config: {
          databases: { default: { provider: 'postgresql', database_uri: database.url } },
          event_store: { provider: 'postgresql', database_uri: other.toString() },
        },
      });
      const error = await domain.init().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ConfigurationError);
      expect((error as Error).message).toContain('give event_store the same database_uri');
      expect(domain.initialized).toBe(false);
    });

    it('starts when both use the same database', async () => {
      const domain = new Domain({
        name: 'shop',
        config: {
          enable_outbox: true,
          databases: { default: { provider: 'postgresql', database_uri: database.url } },
          event_store: { provider: 'postgresql', database_uri: database.url },
        },
      });
      await domain.init();
      expect(domain.initialized).toBe(true);
      await domain.close();
    });
  },
);
