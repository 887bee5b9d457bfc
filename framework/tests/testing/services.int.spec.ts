import { Redis } from 'ioredis';
import { Client } from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestDatabase,
  createTestSchema,
  deleteRedisKeys,
  describeIntegration,
  integrationServices,
  uniqueRedisPrefix,
  type TestDatabase,
} from '../../src/testing/index.js';

async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function databaseExists(adminUrl: string, name: string): Promise<boolean> {
  const { rowCount } = await withClient(adminUrl, (client) =>
    client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]),
  );
  return rowCount === 1;
}

describeIntegration('PostgreSQL for integration tests', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(integrationServices().postgres.url);
  });
  afterAll(() => database?.drop());

  it('runs queries in a fresh database of its own', async () => {
    const rows = await withClient(database.url, async (client) => {
      await client.query('CREATE TABLE orders (id int PRIMARY KEY, status text NOT NULL)');
      await client.query("INSERT INTO orders VALUES (1, 'placed')");
      const current = await client.query<{ name: string }>('SELECT current_database() AS name');
      const orders = await client.query<{ status: string }>('SELECT status FROM orders');
      return { database: current.rows[0]?.name, statuses: orders.rows.map((row) => row.status) };
    });

    expect(database.name).toMatch(/^protean_test_[0-9a-f]{16}$/);
    expect(rows).toEqual({ database: database.name, statuses: ['placed'] });
  });

  it('drops a test database even while a connection to it is still open', async () => {
    const adminUrl = integrationServices().postgres.url;
    const doomed = await createTestDatabase(adminUrl);
    const lingering = new Client({ connectionString: doomed.url });
    lingering.on('error', () => undefined); // it is terminated on purpose
    await lingering.connect();

    await doomed.drop();

    expect(await databaseExists(adminUrl, doomed.name)).toBe(false);
    await expect(lingering.query('SELECT 1')).rejects.toThrow();
    await lingering.end().catch(() => undefined);
  });

  it('creates a schema that unqualified table names land in, and drops it with its tables', async () => {
    const schema = await createTestSchema(database.url);
    const tables = await withClient(schema.url, async (client) => {
      await client.query('CREATE TABLE events (id int)');
      const found = await client.query<{ schema: string }>(
        "SELECT table_schema AS schema FROM information_schema.tables WHERE table_name = 'events'",
      );
      return found.rows.map((row) => row.schema);
    });
    await schema.drop();

    expect(tables).toEqual([schema.name]);
    const left = await withClient(database.url, (client) =>
      client.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [
        schema.name,
      ]),
    );
    expect(left.rowCount).toBe(0);
  });
});

describeIntegration('Redis for integration tests', () => {
  let redis: Redis;
  const prefix = uniqueRedisPrefix();
  beforeAll(() => {
    redis = new Redis(integrationServices().redis.url, {
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
  });
  afterAll(async () => {
    await deleteRedisKeys(integrationServices().redis.url, prefix);
    await redis?.quit();
  });

  it('writes and reads keys under a unique prefix', async () => {
    await redis.set(`${prefix}order:1`, 'placed');

    expect(prefix).toMatch(/^test-[0-9a-f-]{36}:$/);
    expect(await redis.get(`${prefix}order:1`)).toBe('placed');
  });

  it('deletes every key under a prefix with SCAN, and no key outside it', async () => {
    const keys = Array.from({ length: 1_200 }, (_, i) => `${prefix}bulk:${i}`);
    await redis.mset(...keys.flatMap((key) => [key, 'x']));
    await redis.set(`${prefix}bulkhead:1`, 'kept');

    const deleted = await deleteRedisKeys(integrationServices().redis.url, `${prefix}bulk:`);

    expect(deleted).toBe(1_200);
    expect(await redis.exists(...keys)).toBe(0);
    expect(await redis.get(`${prefix}bulkhead:1`)).toBe('kept');
  });
});
