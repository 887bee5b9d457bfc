/**
 * Per-file isolation for integration tests: a database or schema of its own, a Redis key prefix of
 * its own. Tests isolate by unique resources, never by cleanup order, so files can run in parallel.
 * Free of vitest; `pg` and `ioredis` are loaded inside the functions that need them.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from 'pg';

/** A database or schema created for one test file. `drop()` is idempotent. */
export interface TestDatabase {
  /** The (validated, lower-case) identifier, e.g. `protean_test_3f9c0a1b2d4e5f60`. */
  readonly name: string;
  /** A connection URL that lands in this database (or schema, via `search_path`). */
  readonly url: string;
  drop(): Promise<void>;
}

/** Options of {@link createTestDatabase} and {@link createTestSchema}. */
export interface TestDatabaseOptions {
  /** Start of the generated name; lower-case letters, digits and `_`. @defaultValue `'protean_test'` */
  readonly prefix?: string;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;
const CLIENT_TIMEOUT_MS = 5_000;

/**
 * Checks that `name` is a plain lower-case PostgreSQL identifier and returns it double-quoted.
 *
 * @example
 * ```ts
 * quoteIdentifier('protean_test_1a2b'); // '"protean_test_1a2b"'
 * quoteIdentifier('x"; DROP TABLE users; --'); // throws
 * ```
 */
export function quoteIdentifier(name: string): string {
  if (!IDENTIFIER.test(name)) {
    throw new Error(
      `Invalid identifier ${JSON.stringify(name)}: expected 1 to 63 lower-case letters, digits or ` +
        'underscores, not starting with a digit. Pick a name like "protean_test".',
    );
  }
  return `"${name.replaceAll('"', '""')}"`;
}

/**
 * Creates a database with a unique name on the server of `adminUrl`, for one test file.
 *
 * @example
 * ```ts
 * const database = await createTestDatabase(integrationServices().postgres.url);
 * // ... connect to database.url ...
 * await database.drop(); // terminates its connections, then drops it
 * ```
 */
export async function createTestDatabase(
  adminUrl: string,
  options: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  const name = uniqueName(options.prefix);
  const quoted = quoteIdentifier(name);
  await withPostgres(adminUrl, (client) => client.query(`CREATE DATABASE ${quoted}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const drop = async (): Promise<void> => {
    await withPostgres(adminUrl, async (client) => {
      await client.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()',
        [name],
      );
      await client.query(`DROP DATABASE IF EXISTS ${quoted}`);
    });
  };
  return { name, url: url.toString(), drop };
}

/**
 * Creates a schema with a unique name in the database of `url`, for one test file. The returned URL
 * sets `search_path` to that schema, so unqualified table names land in it.
 *
 * @example
 * ```ts
 * const schema = await createTestSchema(integrationServices().postgres.url);
 * // ... connect to schema.url; CREATE TABLE orders (...) goes into schema.name ...
 * await schema.drop(); // DROP SCHEMA ... CASCADE
 * ```
 */
export async function createTestSchema(
  url: string,
  options: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  const name = uniqueName(options.prefix);
  const quoted = quoteIdentifier(name);
  await withPostgres(url, (client) => client.query(`CREATE SCHEMA ${quoted}`));
  const schemaUrl = new URL(url);
  schemaUrl.searchParams.set('options', `-c search_path=${name}`);
  const drop = async (): Promise<void> => {
    await withPostgres(url, (client) => client.query(`DROP SCHEMA IF EXISTS ${quoted} CASCADE`));
  };
  return { name, url: schemaUrl.toString(), drop };
}

/**
 * A Redis key prefix no other test uses: `test-<uuid>:`.
 *
 * @example
 * ```ts
 * const prefix = uniqueRedisPrefix(); // 'test-0b6c...:'
 * await redis.set(`${prefix}order:1`, 'placed');
 * ```
 */
export function uniqueRedisPrefix(): string {
  return `test-${randomUUID()}:`;
}

/**
 * Deletes every key that starts with `prefix`, walking the keyspace with `SCAN` (never `KEYS`,
 * never `FLUSHDB`: other files share the server). Returns how many keys were deleted.
 *
 * @example
 * ```ts
 * afterAll(() => deleteRedisKeys(integrationServices().redis.url, prefix));
 * ```
 */
export async function deleteRedisKeys(redisUrl: string, prefix: string): Promise<number> {
  if (prefix.length === 0) {
    throw new Error(
      'deleteRedisKeys() received an empty prefix, which would match every key. Pass uniqueRedisPrefix().',
    );
  }
  const { Redis } = await import('ioredis');
  const redis = new Redis(redisUrl, {
    connectTimeout: CLIENT_TIMEOUT_MS,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  redis.on('error', () => undefined); // failures surface as rejected commands below
  try {
    return await deleteMatching(redis, `${escapeGlob(prefix)}*`);
  } finally {
    redis.disconnect();
  }
}

interface ScanningClient {
  scan(
    cursor: string,
    match: 'MATCH',
    pattern: string,
    count: 'COUNT',
    size: number,
  ): Promise<[string, string[]]>;
  del(...keys: string[]): Promise<number>;
}

async function deleteMatching(redis: ScanningClient, pattern: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 500);
    if (keys.length > 0) deleted += await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
  return deleted;
}

/** `SCAN MATCH` patterns are globs: escape `* ? [ ] \` so the prefix matches literally. */
function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (char) => `\\${char}`);
}

function uniqueName(prefix = 'protean_test'): string {
  quoteIdentifier(prefix); // validates it, with the same message
  return `${prefix}_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
}

/** Opens a `pg` client on `url`, runs `work`, and always closes the client. */
async function withPostgres<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const pg = await import('pg');
  const client = new pg.Client({
    connectionString: url,
    connectionTimeoutMillis: CLIENT_TIMEOUT_MS,
  });
  client.on('error', () => undefined); // failures surface as rejected queries
  try {
    await client.connect();
    return await work(client);
  } finally {
    await client.end();
  }
}
