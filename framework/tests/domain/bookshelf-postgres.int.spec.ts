import { Client } from 'pg';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../src/adapters/postgres/database.js';
import { registerProvider } from '../../src/adapter.js';
import { EventDispatchError, ExpectedVersionError, field } from '../../src/index.js';
import {
  createTestDatabase,
  describeIntegration,
  integrationServices,
  type TestDatabase,
} from '../../src/testing/index.js';
import { createBookshelf } from '../fixtures/bookshelf.js';
import { gate } from '../fixtures/gate.js';

// Registered here too, so this file does not depend on the composition root registering it.
registerProvider('database', 'postgresql', (settings) => createPostgresDatabase(settings));

type Bookshelf = ReturnType<typeof createBookshelf>;

describeIntegration('the Bookshelf model on PostgreSQL', () => {
  let database: TestDatabase;
  let opened: Bookshelf['domain'] | undefined;

  beforeAll(async () => {
    database = await createTestDatabase(integrationServices().postgres.url);
  });
  afterEach(async () => {
    await opened?.dropSchema();
    await opened?.close();
    opened = undefined;
  });
  afterAll(() => database?.drop());

  // #region postgres-start
  function model(): Bookshelf {
    return createBookshelf({
      databases: { default: { provider: 'postgresql', database_uri: database.url } },
    });
  }

  async function start(m: Bookshelf = model()): Promise<Bookshelf> {
    await m.domain.init();
    opened = m.domain;
    await m.domain.setupSchema();
    return m;
  }
  // #endregion postgres-start

  async function addBook(m: Bookshelf, title = 'Dune', copies = 3, price = 9.99) {
    const isbn = '9780441172719';
    return m.domain.process<string>(
      new m.AddBook({ title, author: 'Frank Herbert', isbn, price, copies }),
    );
  }

  async function rows(text: string): Promise<Record<string, unknown>[]> {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query(text)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  }

  it('adds a book and reads it back with its value objects', async () => {
    const m = await start();
    const bookId = await addBook(m);
    const book = await m.domain.repository(m.Book).get(bookId);
    expect(book.price.equals(new m.Money({ amount: 9.99 }))).toBe(true);
    expect(book.isbn.value).toBe('9780441172719');
    expect(book.tags).toEqual([]);
    expect((await m.domain.repository(m.Inventory).get(bookId)).onHand).toBe(3);
    expect(await rows('SELECT title, price FROM bookshelf_book')).toEqual([
      { title: 'Dune', price: { amount: 9.99, currency: 'USD' } },
    ]);
  });

  it('places and confirms an order: items in their child table, both projections updated', async () => {
    // #region child-table
    const m = await start();
    const bookId = await addBook(m, 'Dune', 5);
    const orderId = await m.domain.process<string>(
      new m.PlaceOrder({ customer: 'ada', lines: [{ bookId, quantity: 2 }] }),
    );
    await m.domain.process(new m.ConfirmOrder({ orderId }));

    const order = await m.domain.repository(m.Order).get(orderId);
    expect(order.status).toBe('confirmed');
    expect(order.items.map((item) => [item.bookId, item.quantity, item.unitPrice.amount])).toEqual([
      [bookId, 2, 9.99],
    ]);
    expect(await rows('SELECT parent_id, position, quantity FROM bookshelf_order__items')).toEqual([
      { parent_id: orderId, position: 0, quantity: '2' },
    ]);
    expect((await m.domain.repository(m.Inventory).get(bookId)).reserved).toBe(2);
    expect((await m.domain.view(m.BookCatalog).get(bookId)).available).toBe(3);
    expect((await m.domain.view(m.OrderSummary).get(orderId)).toJSON()).toEqual({
      orderId,
      customer: 'ada',
      total: 19.98,
      status: 'confirmed',
    });
    // #endregion child-table
  });

  it('queries a projection with filters, order and pagination', async () => {
    const m = await start();
    const books = [
      { title: 'Dune', author: 'Frank Herbert', isbn: '9780441172719', price: 9.99 },
      { title: 'Emma', author: 'Jane Austen', isbn: '9780141439587', price: 4.5 },
      { title: 'Ubik', author: 'Philip K. Dick', isbn: '9780547572291', price: 12 },
    ];
    for (const book of books) await m.domain.process(new m.AddBook(book));
    const catalog = m.domain.view(m.BookCatalog);
    const cheap = await catalog.find({ where: { price: { lt: 10 } }, orderBy: { price: 'desc' } });
    expect(cheap.map((r) => r.title)).toEqual(['Dune', 'Emma']);
    const page = await catalog.find({ orderBy: { title: 'asc' }, limit: 1, offset: 1 });
    expect(page.map((r) => r.title)).toEqual(['Emma']);
    expect(await catalog.count({ author: { contains: 'Dick' } })).toBe(1);
    expect(await catalog.exists({ title: { in: ['Emma', 'Nope'] } })).toBe(true);
    expect(await catalog.findOne({ where: { title: 'Nope' } })).toBeNull();
  });

  it('reports a failed reaction after the command committed, rolling back only that reaction', async () => {
    const m = await start();
    const bookId = await addBook(m, 'Dune', 1);
    const orderId = await m.domain.process<string>(
      new m.PlaceOrder({ customer: 'ada', lines: [{ bookId, quantity: 2 }] }),
    );
    const error = await m.domain.process(new m.ConfirmOrder({ orderId })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventDispatchError);
    expect((await m.domain.repository(m.Order).get(orderId)).status).toBe('confirmed');
    expect((await m.domain.repository(m.Inventory).get(bookId)).reserved).toBe(0);
  });

  it('rolls back everything a failing handler did', async () => {
    const m = model();
    const Explode = m.domain.command(
      'Explode',
      { title: field.string({ required: true }) },
      { partOf: m.Book },
    );
    m.domain.handle(Explode, async (command, { repository }) => {
      const book = new m.Book({
        title: command.title,
        author: 'X',
        isbn: { value: '9780441172719' },
        price: { amount: 1 },
      });
      await repository(m.Book).add(book);
      await repository(m.Inventory).add(new m.Inventory({ bookId: book.id, onHand: 1 }));
      throw new Error('boom');
    });
    await start(m);
    await expect(m.domain.process(new Explode({ title: 'Gone' }))).rejects.toThrow('boom');
    expect(await m.domain.repository(m.Book).count()).toBe(0);
    expect(await m.domain.repository(m.Inventory).count()).toBe(0);
    expect(await m.domain.eventStore.readCategory('bookshelf::book')).toEqual([]);
  });

  it('fails the second of two units that change the same aggregate', async () => {
    // #region postgres-concurrency
    const m = await start();
    const bookId = await addBook(m);
    const stock = m.domain.repository(m.Inventory);
    const loaded = gate();
    const overtaken = gate();
    const first = m.domain.unitOfWork(async () => {
      const inventory = await stock.get(bookId);
      loaded.open();
      await overtaken.opened; // the other transaction commits while this one is open
      inventory.restock(1);
      await stock.add(inventory);
    });
    await loaded.opened;
    await m.domain.unitOfWork(async () => {
      const inventory = await stock.get(bookId);
      inventory.restock(2);
      await stock.add(inventory);
    });
    overtaken.open();
    await expect(first).rejects.toBeInstanceOf(ExpectedVersionError);
    expect((await stock.get(bookId)).onHand).toBe(5);
    // #endregion postgres-concurrency
  });
});
