import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { OutboxProcessor } from '../../src/outbox/processor.js';
import type { Broker } from '../../src/ports/broker.js';
import {
  createTestDatabase,
  deleteRedisKeys,
  describeIntegration,
  integrationServices,
  uniqueRedisPrefix,
  type TestDatabase,
} from '../../src/testing/index.js';
import { createBookshelf, ready } from '../fixtures/bookshelf.js';

type Bookshelf = ReturnType<typeof createBookshelf>;

describeIntegration('the outbox processor on PostgreSQL and Redis Streams', () => {
  const prefix = uniqueRedisPrefix();
  let database: TestDatabase;
  let tests = 0;
  const closers: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(integrationServices().postgres.url);
  });
  afterEach(async () => {
    for (const close of closers.splice(0).reverse()) await close();
  });
  afterAll(async () => {
    await deleteRedisKeys(integrationServices().redis.url, prefix);
    await database?.drop();
  });

  /** A domain with its outbox on the test database and its broker on Redis under `keyPrefix`. */
  async function open(keyPrefix: string, setup = true): Promise<Bookshelf> {
    const database_uri = database.url;
    const m = createBookshelf({
      enable_outbox: true,
      event_processing: 'async',
      databases: { default: { provider: 'postgresql', database_uri } },
      event_store: { provider: 'postgresql', database_uri },
      brokers: {
        default: { provider: 'redis', URI: integrationServices().redis.url, key_prefix: keyPrefix },
      },
      outbox: { messages_per_tick: 5, tick_interval: 0.005, max_tick_interval: 0.05 },
    });
    if (setup) await ready(m.domain);
    else await m.domain.init();
    closers.push(() => m.domain.close());
    return m;
  }

  function processor(m: Bookshelf, owner: string): OutboxProcessor {
    const { outbox, broker, config } = m.domain;
    const built = new OutboxProcessor({ outbox, broker, config: config.outbox, owner });
    closers.push(() => built.close());
    return built;
  }

  async function addBooks(m: Bookshelf, count: number): Promise<void> {
    for (let n = 0; n < count; n += 1) {
      const book = { title: `Book ${n}`, author: 'A. Writer', isbn: '9780441172719', price: 9.99 };
      await m.domain.process(new m.AddBook(book));
    }
  }

  /** Every entry of `bookshelf::book`, read once through a new consumer group. */
  async function readAll(broker: Broker): Promise<unknown[]> {
    await broker.ensureGroup('bookshelf::book', 'Auditor');
    const read = () => broker.readGroup('bookshelf::book', 'Auditor', 'auditor-1', { count: 500 });
    const entries = await read();
    expect(await read()).toEqual([]); // nothing is delivered twice
    return entries.map((entry) => entry.payload?.['id']);
  }

  const keyPrefix = () => `${prefix}${(tests += 1)}:`;

  it('drains the outbox into Redis Streams, each event read once by a consumer group', async () => {
    const m = await open(keyPrefix());
    await addBooks(m, 12);
    const relay = processor(m, 'relay-1');

    while ((await relay.tick()) > 0);

    const events = await m.domain.eventStore.readCategory('bookshelf::book');
    expect(events).toHaveLength(12);
    expect(await readAll(m.domain.broker)).toEqual(events.map((event) => event.id));
    expect(await m.domain.outbox.countByStatus()).toMatchObject({ published: 12, pending: 0 });
    expect(relay.stats).toMatchObject({ published: 12, failed: 0, leaseLost: 0 });
  });

  it('publishes every row exactly once with two processors running on the same outbox', async () => {
    const streams = keyPrefix();
    const a = await open(streams);
    const b = await open(streams, false); // a second process: its own pools and connections
    await addBooks(a, 40);
    const [relayA, relayB] = [processor(a, 'relay-a'), processor(b, 'relay-b')];

    await Promise.all([relayA.start(), relayB.start()]);
    await vi.waitFor(
      async () => expect((await a.domain.outbox.countByStatus()).published).toBe(40),
      { timeout: 15_000, interval: 20 },
    );
    await Promise.all([relayA.close(), relayB.close()]);

    const events = await a.domain.eventStore.readCategory('bookshelf::book');
    const read = await readAll(a.domain.broker);
    expect(read).toHaveLength(40);
    expect(new Set(read)).toEqual(new Set(events.map((event) => event.id)));
    expect(await a.domain.broker.streamLength('bookshelf::book')).toBe(40);
    expect(relayA.stats.published + relayB.stats.published).toBe(40);
    expect(relayA.stats.leaseLost + relayB.stats.leaseLost).toBe(0);
  });
});
