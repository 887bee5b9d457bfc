import { afterAll, beforeAll } from 'vitest';
import { createPostgresDatabase } from '../../../src/adapters/postgres/database.js';
import { databaseContract } from '../../../src/testing/contracts/database.js';
import {
  createTestDatabase,
  describeIntegration,
  integrationServices,
  type TestDatabase,
} from '../../../src/testing/index.js';

// The contract stores kinds it never declares (`contract.book_<random>` with free-form values):
// the provider keeps those in jsonb tables created on first use. Declared kinds (typed columns,
// child tables) are covered by database-tables.int.spec.ts with the same query semantics.
describeIntegration('the PostgreSQL database provider', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(integrationServices().postgres.url);
  });
  afterAll(() => database?.drop());

  databaseContract('postgresql', () =>
    createPostgresDatabase(
      { provider: 'postgresql', database_uri: database.url, pool_size: 4 },
      { undeclaredKinds: 'jsonb' },
    ),
  );
});
