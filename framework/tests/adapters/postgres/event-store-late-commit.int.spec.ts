/**
 * Guarantee 4: a category reader never skips a message whose transaction commits after a
 * later-numbered one. Each test holds transactions open on `pg` clients it BEGINs itself and
 * lets the store join them through a TransactionLink, as the unit of work does.
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createPostgresEventStore } from '../../../src/adapters/postgres/event-store.js';
import { databaseIdentity as postgresResource } from '../../../src/adapters/postgres/pool.js';
import type { TransactionLink } from '../../../src/ports/database.js';
import type { EventStore, NewMessage, StoredMessage } from '../../../src/ports/event-store.js';
import {
  createTestDatabase,
  describeIntegration,
  integrationServices,
  type TestDatabase,
} from '../../../src/testing/index.js';

const BOOK = 'bookshelf::book';

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

/** A subscription's view: reads from its last global position + 1, as a poller does. */
function categoryReader(store: EventStore, category: string, batchSize = 100) {
  const seen: StoredMessage[] = [];
  let next = 1;
  return {
    seen,
    /** Reads until a batch comes back empty; resolves with what this poll returned. */
    async poll(): Promise<StoredMessage[]> {
      const polled: StoredMessage[] = [];
      for (;;) {
        const batch = await store.readCategory(category, { fromGlobalPosition: next, batchSize });
        if (batch.length === 0) break;
        polled.push(...batch);
        next = (batch.at(-1)?.metadata.globalPosition ?? 0) + 1;
      }
      seen.push(...polled);
      return polled;
    },
  };
}

const ids = (list: readonly { id: string }[]) => list.map(({ id }) => id);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let database: TestDatabase;
let store: EventStore;
let other: EventStore;
const clients: pg.Client[] = [];

async function openClient(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: database.url });
  clients.push(client);
  await client.connect();
  return client;
}

/** BEGINs a transaction on a client of its own; the store joins it through `link`. */
async function heldTransaction(): Promise<{ client: pg.Client; link: TransactionLink }> {
  const client = await openClient();
  await client.query('BEGIN');
  const resource = postgresResource(database.url);
  return { client, link: { technology: 'postgresql', resource, handle: client } };
}

describeIntegration('the PostgreSQL event store and late commits', () => {
  beforeAll(async () => {
    database = await createTestDatabase(integrationServices().postgres.url);
    const settings = { provider: 'postgresql', database_uri: database.url, pool_size: 8 };
    [store, other] = [
      await createPostgresEventStore(settings),
      await createPostgresEventStore(settings),
    ];
    await store.setup?.();
  });
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((client) => client.end()));
    await store.truncate?.();
  });
  afterAll(async () => {
    await Promise.all([store?.close(), other?.close()]);
    await database?.drop();
  });

  it('returns nothing past an open append, and everything once it commits', async () => {
    // #region late-commit
    const reader = categoryReader(store, BOOK);
    const held = await heldTransaction();
    const early = message(`${BOOK}-1`);
    const [open] = await store.appendBatch([{ stream: early.stream, messages: [early] }], {
      transaction: held.link,
    });

    // Other connections append to the same category (they wait for the open one) and to
    // another category (it commits at once, with a higher global position).
    const later = [message(`${BOOK}-2`), message(`${BOOK}-3`)];
    const appending = Promise.all(later.map((m) => other.append(m.stream, [m])));
    const author = await other.append('bookshelf::author-1', [message('bookshelf::author-1')]);
    expect(author.globalPosition).toBeGreaterThan(open?.globalPosition ?? Infinity);
    await sleep(100);

    expect(await reader.poll()).toEqual([]);
    await held.client.query('COMMIT');
    await appending;

    const polled = ids(await reader.poll());
    expect(polled[0]).toBe(early.id);
    expect(polled.slice(1).sort()).toEqual(ids(later).sort());
    expect(await reader.poll()).toEqual([]);
    // #endregion late-commit
  });

  it('gives the lower number to the append that commits first, whoever started first', async () => {
    const reader = categoryReader(store, BOOK);
    const held = await heldTransaction();
    await held.client.query('SELECT 1'); // the caller's transaction is under way ...
    const committed = message(`${BOOK}-1`);
    await other.append(committed.stream, [committed]); // ... when another append commits
    const late = message(`${BOOK}-2`);
    await store.appendBatch([{ stream: late.stream, messages: [late] }], {
      transaction: held.link,
    });

    expect(ids(await reader.poll())).toEqual([committed.id]);
    await held.client.query('COMMIT');
    expect(ids(await reader.poll())).toEqual([late.id]);
  });

  it('lets a polling reader see every committed message exactly once under concurrent writers', async () => {
    const reader = categoryReader(store, BOOK, 3);
    let writing = true;
    const polling = (async () => {
      while (writing) await reader.poll();
      await reader.poll();
    })();
    const committed = (await Promise.all([0, 1, 2, 3, 4, 5].map((w) => writer(w, 15)))).flat();
    writing = false;
    await polling;

    const seen = ids(reader.seen);
    expect(new Set(seen).size).toBe(seen.length);
    expect([...seen].sort()).toEqual([...committed].sort());
    const globals = reader.seen.map((m) => m.metadata.globalPosition);
    expect(globals).toEqual([...globals].sort((a, b) => a - b));
  });

  it('would skip without the category lock: raw INSERTs show the hazard it prevents', async () => {
    const reader = categoryReader(store, BOOK);
    const [first, second] = [await openClient(), await openClient()];
    await first.query('BEGIN');
    await rawInsert(first, `${BOOK}-1`); // draws the lower global position, stays open
    await rawInsert(second, `${BOOK}-2`); // commits the higher one

    expect(await reader.poll()).toHaveLength(1);
    await first.query('COMMIT');
    expect(await reader.poll()).toEqual([]); // the late one is behind the reader: skipped
    expect(await store.readCategory(BOOK)).toHaveLength(2);
  });
});

/** `count` appends to its own stream, half in joined transactions held open a while, some rolled back. */
async function writer(index: number, count: number): Promise<string[]> {
  const committed: string[] = [];
  const stream = `${BOOK}-w${index}`;
  const client = await openClient();
  const link = {
    technology: 'postgresql',
    resource: postgresResource(database.url),
    handle: client,
  };
  for (let n = 0; n < count; n += 1) {
    const sent = message(stream);
    if (n % 2 === 0) {
      await other.append(stream, [sent]);
      committed.push(sent.id);
      continue;
    }
    await client.query('BEGIN');
    await store.appendBatch([{ stream, messages: [sent] }], { transaction: link });
    await sleep(Math.random() * 5);
    const outcome = n % 5 === 0 ? 'ROLLBACK' : 'COMMIT';
    await client.query(outcome);
    if (outcome === 'COMMIT') committed.push(sent.id);
  }
  return committed;
}

/** An INSERT that bypasses the store (and its lock), as a careless writer would. */
async function rawInsert(client: pg.Client, stream: string): Promise<void> {
  await client.query(
    `INSERT INTO protean_messages (id, stream_name, category, type, kind, position, data, metadata)
     VALUES ($1, $2, $3, 'Bookshelf.BookAdded.v1', 'EVENT', 0, '{}', '{"headers":{}}')`,
    [randomUUID(), stream, BOOK],
  );
}
