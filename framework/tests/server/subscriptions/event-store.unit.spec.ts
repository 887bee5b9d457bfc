import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '../../../src/index.js';
import { EventStoreSubscription, positionStream } from '../../../src/server/subscriptions/index.js';
import type { EventStoreSubscriptionInit } from '../../../src/server/subscriptions/index.js';
import { createBookshelf, ready } from '../../fixtures/bookshelf.js';
import { drain, eventStoreSettings, fakeClock, recordingLogger } from './helpers.js';

const dune = { title: 'Dune', author: 'Frank Herbert', isbn: '9780441172719', price: 9.99 };

type Bookshelf = ReturnType<typeof createBookshelf>;
const opened: { close(): Promise<void> }[] = [];

afterEach(async () => {
  for (const resource of opened.splice(0).reverse()) await resource.close();
});

async function bookshelf(): Promise<Bookshelf> {
  const m = createBookshelf({ event_processing: 'async' });
  await ready(m.domain);
  opened.push(m.domain);
  return m;
}

function subscription(
  m: Bookshelf,
  handler: string,
  category: string,
  extra: Partial<EventStoreSubscriptionInit> = {},
): EventStoreSubscription {
  return new EventStoreSubscription({
    domain: m.domain,
    handler,
    category,
    settings: eventStoreSettings({ retry_delay_seconds: 0 }),
    ...extra,
  });
}

async function addBooks(m: Bookshelf, count: number, copies = 5): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n += 1) {
    ids.push(
      await m.domain.process<string>(new m.AddBook({ ...dune, title: `Dune ${n}`, copies })),
    );
  }
  return ids;
}

async function confirmOrder(m: Bookshelf, bookId: string, quantity: number): Promise<void> {
  const lines = [{ bookId, quantity }];
  const orderId = await m.domain.process<string>(new m.PlaceOrder({ customer: 'ada', lines }));
  await m.domain.process(new m.ConfirmOrder({ orderId }));
}

async function savedPositions(m: Bookshelf, sub: EventStoreSubscription): Promise<unknown[]> {
  const saves = await m.domain.eventStore.readStream(sub.positionStream);
  return saves.map((message) => message.data['position']);
}

async function globalPositions(m: Bookshelf, category: string): Promise<number[]> {
  const messages = await m.domain.eventStore.readCategory(category);
  return messages.map((message) => message.metadata.globalPosition);
}

describe('the event-store subscription', () => {
  it('runs a projector over two categories until there is nothing left, then the read model is right', async () => {
    const m = await bookshelf();
    const [first, second] = await addBooks(m, 2);
    await confirmOrder(m, first!, 2);
    const catalog = [
      subscription(m, 'CatalogProjector', 'bookshelf::book'),
      subscription(m, 'CatalogProjector', 'bookshelf::order'),
    ];
    opened.push(...catalog);

    expect(await drain(...catalog)).toEqual([3]);

    const rows = await m.domain.view(m.BookCatalog).find();
    expect(rows.map((row) => [row.bookId, row.available]).sort()).toEqual(
      [
        [first, 3],
        [second, 5],
      ].sort(),
    );
    expect(catalog[0]!.status()).toMatchObject({ processed: 2, failed: 0, deadLettered: 0 });
  });

  it('hands over only the types it is given, and still moves past the others', async () => {
    const m = await bookshelf();
    await addBooks(m, 2);
    const sub = subscription(m, 'CatalogProjector', 'bookshelf::book', {
      types: [m.BookRepriced.meta.type],
    });
    opened.push(sub);

    expect(await sub.tick()).toBe(2);

    expect(await m.domain.view(m.BookCatalog).find()).toEqual([]);
    expect(sub.position).toBe((await globalPositions(m, 'bookshelf::book')).at(-1));
  });

  it('saves its position every position_update_interval messages and at close', async () => {
    const m = await bookshelf();
    await addBooks(m, 5);
    const positions = await globalPositions(m, 'bookshelf::book');
    const sub = subscription(m, 'CatalogProjector', 'bookshelf::book', {
      settings: eventStoreSettings({ position_update_interval: 2 }),
    });

    await drain(sub);
    expect(await savedPositions(m, sub)).toEqual([positions[1], positions[3]]);
    await sub.close();

    expect(sub.positionStream).toBe(positionStream('CatalogProjector', 'bookshelf::book'));
    expect(await savedPositions(m, sub)).toEqual([positions[1], positions[3], positions[4]]);
  });

  it('resumes after the saved position when a new subscription starts', async () => {
    const m = await bookshelf();
    await addBooks(m, 3);
    const before = subscription(m, 'CatalogProjector', 'bookshelf::book');
    await drain(before);
    await before.close();
    const [added] = await addBooks(m, 1);

    const after = subscription(m, 'CatalogProjector', 'bookshelf::book');
    opened.push(after);

    expect(await drain(after)).toEqual([1]);
    expect(after.status().processed).toBe(1);
    expect((await m.domain.view(m.BookCatalog).get(added!)).title).toBe('Dune 0');
  });

  it('replays at most position_update_interval messages after a crash, and idempotent handling changes nothing twice', async () => {
    const m = await bookshelf();
    const [bookId] = await addBooks(m, 1, 10);
    for (let n = 0; n < 5; n += 1) await confirmOrder(m, bookId!, 1);
    const stocker = subscription(m, 'InventoryKeeper', 'bookshelf::book');
    opened.push(stocker);
    await drain(stocker);
    const settings = eventStoreSettings({ position_update_interval: 3 });
    const crashed = subscription(m, 'InventoryKeeper', 'bookshelf::order', {
      settings,
      idempotent: true,
    });
    await drain(crashed); // and never closed: its last save was after the third message

    const restarted = subscription(m, 'InventoryKeeper', 'bookshelf::order', {
      settings,
      idempotent: true,
    });
    opened.push(restarted);

    expect(await drain(restarted)).toEqual([2]);
    expect((await m.domain.repository(m.Inventory).get(bookId!)).reserved).toBe(5);
  });

  it('retries a failing message max_retries times in all, logs it as failed, and goes on', async () => {
    const m = await bookshelf();
    const [bookId] = await addBooks(m, 1, 5);
    await confirmOrder(m, bookId!, 9); // more than in stock: InventoryKeeper throws
    await confirmOrder(m, bookId!, 1);
    const stocker = subscription(m, 'InventoryKeeper', 'bookshelf::book');
    opened.push(stocker);
    await drain(stocker);
    const { clock, sleeps } = fakeClock();
    const { logger, lines } = recordingLogger();
    const orders = subscription(m, 'InventoryKeeper', 'bookshelf::order', {
      settings: eventStoreSettings({ max_retries: 3, retry_delay_seconds: 2 }),
      clock,
      logger,
    });
    opened.push(orders);

    expect(await drain(orders)).toEqual([2]);

    expect(sleeps).toEqual([2000, 2000]);
    expect(lines.filter((line) => line.level === 'warn')).toHaveLength(2);
    const [failure] = lines.filter((line) => line.level === 'error');
    expect(failure).toMatchObject({
      message: 'handler failed on every attempt; the message is skipped',
      fields: {
        attempts: 3,
        type: m.OrderConfirmed.meta.type,
        error: expect.stringMatching(/only 5 of book/),
      },
    });
    expect(orders.status()).toMatchObject({ processed: 1, failed: 1 });
    expect((await m.domain.repository(m.Inventory).get(bookId!)).reserved).toBe(1);
  });

  it('stops at close() during a retry delay without passing the failing message', async () => {
    const m = await bookshelf();
    const [bookId] = await addBooks(m, 1, 5);
    await confirmOrder(m, bookId!, 9);
    const stocker = subscription(m, 'InventoryKeeper', 'bookshelf::book');
    opened.push(stocker);
    await drain(stocker);
    let sleeping: () => void = () => {};
    const asleep = new Promise<void>((resolve) => (sleeping = resolve));
    const clock = {
      now: () => Date.now(),
      sleep: (_ms: number, signal?: AbortSignal) =>
        new Promise<void>((resolve) => {
          signal?.addEventListener('abort', () => resolve());
          sleeping();
        }),
    };
    const settings = eventStoreSettings({ max_retries: 3, retry_delay_seconds: 60 });
    const orders = subscription(m, 'InventoryKeeper', 'bookshelf::order', {
      settings,
      clock,
      logger: recordingLogger().logger,
    });

    const tick = orders.tick();
    await asleep;
    await orders.close();

    expect(await tick).toBe(0);
    expect(orders.position).toBe(0);
    expect(await savedPositions(m, orders)).toEqual([]);
  });

  it('runs until closed, polling, and saves its position on the way out', async () => {
    const m = await bookshelf();
    const sub = subscription(m, 'CatalogProjector', 'bookshelf::book', { idlePollMs: 5 });
    const running = sub.run();
    await addBooks(m, 2);

    await vi.waitFor(() => expect(sub.status().processed).toBe(2), { timeout: 2000 });
    await sub.close();
    await running;

    expect(await savedPositions(m, sub)).toEqual([sub.position]);
  });

  it('refuses a dead-letter queue: event-store subscriptions have none', () => {
    const m = createBookshelf();
    const settings = { ...eventStoreSettings(), enable_dlq: true };
    expect(() => subscription(m, 'CatalogProjector', 'bookshelf::book', { settings })).toThrow(
      ConfigurationError,
    );
  });
});
