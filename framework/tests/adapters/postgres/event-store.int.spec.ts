import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createPostgresEventStore } from '../../../src/adapters/postgres/event-store.js';
import { databaseIdentity as postgresResource } from '../../../src/adapters/postgres/pool.js';
import type { TransactionLink } from '../../../src/ports/database.js';
import type { EventStore, NewMessage } from '../../../src/ports/event-store.js';
import { eventStoreContract } from '../../../src/testing/contracts/event-store.js';
import {
  createTestDatabase,
  createTestSchema,
  describeIntegration,
  integrationServices,
  type TestDatabase,
} from '../../../src/testing/index.js';

function message(stream: string): NewMessage {
  return {
    id: randomUUID(),
    type: 'Bookshelf.BookAdded.v1',
    kind: 'EVENT',
    stream,
    data: {},
    metadata: { timestamp: '2025-01-01T00:00:00.000Z', correlationId: 'c', headers: {} },
  };
}

const storeOn = (url: string) =>
  createPostgresEventStore({ provider: 'postgresql', database_uri: url, pool_size: 4 });

let database: TestDatabase;
const opened: { close(): Promise<void> }[] = [];

/** A started store on this file's database (closed after the test). */
async function openStore(url = database.url): Promise<EventStore> {
  const store = await storeOn(url);
  opened.push(store);
  await store.start();
  return store;
}

/** A `pg` client inside BEGIN, and the link through which the store joins its transaction. */
async function openTransaction(resource = postgresResource(database.url)) {
  const client = new pg.Client({ connectionString: database.url });
  opened.push({ close: () => client.end() });
  await client.connect();
  await client.query('BEGIN');
  const link: TransactionLink = { technology: 'postgresql', resource, handle: client };
  return { client, link };
}

describeIntegration('the PostgreSQL event store', () => {
  beforeAll(async () => {
    database = await createTestDatabase(integrationServices().postgres.url);
    const store = await storeOn(database.url);
    await store.setup?.();
    await store.close();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((resource) => resource.close()));
  });
  afterAll(() => database?.drop());

  eventStoreContract('postgresql', async () => {
    const store = await storeOn(database.url);
    await store.truncate?.(); // fresh: no messages, global positions from 1
    return store;
  });

  it('stores what it appends in a joined transaction only when that transaction commits', async () => {
    const store = await openStore();
    const stream = 'bookshelf::book-joined';
    for (const [outcome, stored] of [
      ['ROLLBACK', -1],
      ['COMMIT', 0],
    ] as const) {
      const { client, link } = await openTransaction();
      await store.appendBatch([{ stream, messages: [message(stream)] }], { transaction: link });
      expect(await store.streamVersion(stream)).toBe(-1); // not yet visible outside
      await client.query(outcome);
      expect(await store.streamVersion(stream)).toBe(stored);
    }
  });

  it('writes on its own when the link is to another database or technology', async () => {
    const store = await openStore();
    const stream = 'bookshelf::book-unjoined';
    const links: TransactionLink[] = [
      (await openTransaction('elsewhere:5432/other')).link,
      { technology: 'memory', resource: 'memory', handle: { afterCommit() {} } },
    ];
    for (const transaction of links) {
      await store.appendBatch([{ stream, messages: [message(stream)] }], { transaction });
    }
    expect(await store.streamVersion(stream)).toBe(1); // stored at once, whatever the links do
  });

  it('makes a concurrent append with the same expected version wait, then fail', async () => {
    const [store, other] = [await openStore(), await openStore()];
    const stream = 'bookshelf::book-raced';
    await store.append(stream, [message(stream)]);
    const { client, link } = await openTransaction();
    await store.appendBatch([{ stream, messages: [message(stream)], expectedVersion: 0 }], {
      transaction: link,
    });

    const loser = other.append(stream, [message(stream)], { expectedVersion: 0 });
    const outcome = loser.then(
      () => 'stored',
      () => 'rejected',
    );
    expect(await Promise.race([outcome, delay(200, 'waiting')])).toBe('waiting');
    await client.query('COMMIT');

    await expect(loser).rejects.toMatchObject({
      code: 'EXPECTED_VERSION_ERROR',
      expected: 0,
      actual: 1,
    });
    expect(await store.streamVersion(stream)).toBe(1);
  });

  it('lets one of many concurrent appenders at one expected version win', async () => {
    const stores = await Promise.all([1, 2, 3, 4].map(() => openStore()));
    const stream = 'bookshelf::book-crowded';
    const results = await Promise.allSettled(
      stores.map((store) =>
        store.append(stream, [message(stream)], { expectedVersion: 'no_stream' }),
      ),
    );

    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    for (const result of results.filter((r) => r.status === 'rejected')) {
      expect(result.reason).toMatchObject({
        code: 'EXPECTED_VERSION_ERROR',
        expected: -1,
        actual: 0,
      });
    }
  });

  it('says to run `protean db setup` when its table does not exist', async () => {
    const schema = await createTestSchema(database.url);
    try {
      const store = await openStore(schema.url);
      const stream = 'bookshelf::book-1';
      const expected = {
        code: 'DATABASE_SCHEMA_MISSING',
        message: expect.stringMatching(/"protean_messages" does not exist.*run `protean db setup`/),
      };
      await expect(store.append(stream, [message(stream)])).rejects.toMatchObject(expected);
      await expect(store.readCategory('bookshelf::book')).rejects.toMatchObject(expected);
      await expect(store.streamVersion(stream)).rejects.toMatchObject(expected);
    } finally {
      await Promise.all(opened.splice(0).map((resource) => resource.close()));
      await schema.drop();
    }
  });

  it('sets up idempotently, even twice at once, and drops its table', async () => {
    const schema = await createTestSchema(database.url);
    try {
      const [one, two] = [await openStore(schema.url), await openStore(schema.url)];
      await Promise.all([one.setup?.(), two.setup?.()]);
      await one.setup?.();
      await one.append('bookshelf::book-1', [message('bookshelf::book-1')]);
      await one.drop?.();
      await expect(one.readStream('bookshelf::book-1')).rejects.toMatchObject({
        code: 'DATABASE_SCHEMA_MISSING',
      });
    } finally {
      await Promise.all(opened.splice(0).map((resource) => resource.close()));
      await schema.drop();
    }
  });

  it('rejects settings without a PostgreSQL URI or with a bad pool size, naming the key', async () => {
    await expect(createPostgresEventStore({ provider: 'postgresql' })).rejects.toThrow(
      /event_store\.database_uri: .*received nothing/,
    );
    await expect(storeOnPool(database.url, 0)).rejects.toThrow(
      /event_store\.pool_size: .*received 0/,
    );
  });

  it('fails to start with DATABASE_UNAVAILABLE when nothing listens at the URI', async () => {
    const failed = openStore('postgresql://postgres@127.0.0.1:1/nowhere');
    await expect(failed).rejects.toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      message: expect.stringContaining('127.0.0.1:1/nowhere'),
    });
  });

  it('names the database it joins by host, port and name, without credentials', () => {
    expect(postgresResource('postgresql://app:secret@127.0.0.1/bookshelf')).toBe(
      '127.0.0.1:5432/bookshelf',
    );
    expect(postgresResource('postgres://db.internal:6432/shop?sslmode=require')).toBe(
      'db.internal:6432/shop',
    );
  });
});

function storeOnPool(url: string, poolSize: number) {
  return createPostgresEventStore({
    provider: 'postgresql',
    database_uri: url,
    pool_size: poolSize,
  });
}

function delay<T>(ms: number, value: T): Promise<T> {
  return new Promise((resolve) => setTimeout(() => resolve(value), ms));
}
