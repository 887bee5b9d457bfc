import { afterEach, describe, expect, it } from 'vitest';
import {
  EventDispatchError,
  ExpectedVersionError,
  field,
  InvariantViolation,
  ValidationError,
} from '../../src/index.js';
import { createBookshelf, ready } from '../fixtures/bookshelf.js';
import { gate } from '../fixtures/gate.js';

type Bookshelf = ReturnType<typeof createBookshelf>;
// #region lifecycle
let opened: Bookshelf['domain'] | undefined;

async function start(): Promise<Bookshelf> {
  const model = createBookshelf();
  await ready(model.domain);
  opened = model.domain;
  return model;
}

afterEach(async () => {
  await opened?.close();
  opened = undefined;
});
// #endregion lifecycle

// #region process-add-book
async function addDune(m: Bookshelf, copies = 3): Promise<string> {
  return m.domain.process<string>(
    new m.AddBook({
      title: 'Dune',
      author: 'Frank Herbert',
      isbn: '9780441172719',
      price: 9.99,
      copies,
    }),
  );
}
// #endregion process-add-book

describe('the Bookshelf model on memory adapters', () => {
  it('adds a book through its command and returns the handler result', async () => {
    // #region repository-get
    const m = await start();
    const bookId = await addDune(m);
    const book = await m.domain.repository(m.Book).get(bookId);
    expect(book.price.amount).toBe(9.99);
    expect(book.price.currency).toBe('USD');
    expect(book.isbn.value).toBe('9780441172719');
    expect(book.price.equals(new m.Money({ amount: 9.99 }))).toBe(true);
    // #endregion repository-get
  });

  it('stocks the inventory and fills the catalog from BookAdded', async () => {
    const m = await start();
    const bookId = await addDune(m, 5);
    expect((await m.domain.repository(m.Inventory).get(bookId)).onHand).toBe(5);
    const row = await m.domain.view(m.BookCatalog).get(bookId);
    expect(row.toJSON()).toEqual({
      bookId,
      title: 'Dune',
      author: 'Frank Herbert',
      price: 9.99,
      available: 5,
    });
  });

  it('places and confirms an order: reserves stock, updates both projections', async () => {
    const m = await start();
    const bookId = await addDune(m, 5);
    const orderId = await m.domain.process<string>(
      new m.PlaceOrder({ customer: 'ada', lines: [{ bookId, quantity: 2 }] }),
    );
    await m.domain.process(new m.ConfirmOrder({ orderId }));

    const order = await m.domain.repository(m.Order).get(orderId);
    expect(order.status).toBe('confirmed');
    expect(order.items).toHaveLength(1);
    expect(order.items[0]?.unitPrice.amount).toBe(9.99);
    expect((await m.domain.repository(m.Inventory).get(bookId)).reserved).toBe(2);
    expect((await m.domain.view(m.BookCatalog).get(bookId)).available).toBe(3);
    expect((await m.domain.view(m.OrderSummary).get(orderId)).toJSON()).toEqual({
      orderId,
      customer: 'ada',
      total: 19.98,
      status: 'confirmed',
    });
  });

  it('queries a projection with filters, order and pagination', async () => {
    // #region view-queries
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
    // #endregion view-queries
  });

  it('carries the correlation id from the command to every event it causes', async () => {
    // #region correlation
    const m = await start();
    await m.domain.process(
      new m.AddBook({ title: 'Dune', author: 'Frank Herbert', isbn: '9780441172719', price: 9.99 }),
      { correlationId: 'request-42' },
    );
    const stored = await eventsOf(m, 'bookshelf::book');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      type: 'Bookshelf.BookAdded.v1',
      kind: 'EVENT',
      metadata: { correlationId: 'request-42', aggregateVersion: 1 },
    });
    expect(stored[0]?.metadata.causationId).toEqual(expect.any(String));
    expect(stored[0]?.stream).toMatch(/^bookshelf::book-[0-9a-f-]{36}$/);
    // #endregion correlation
  });

  it('reports a failed reaction after the command committed, rolling back only that reaction', async () => {
    // #region event-dispatch-error
    const m = await start();
    const bookId = await addDune(m, 1);
    const orderId = await m.domain.process<string>(
      new m.PlaceOrder({ customer: 'ada', lines: [{ bookId, quantity: 2 }] }),
    );
    const error = await m.domain.process(new m.ConfirmOrder({ orderId })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EventDispatchError);
    expect((error as EventDispatchError).message).toContain(
      'InventoryKeeper on Bookshelf.OrderConfirmed.v1: only 1 of book',
    );
    expect((await m.domain.repository(m.Order).get(orderId)).status).toBe('confirmed');
    expect((await m.domain.repository(m.Inventory).get(bookId)).reserved).toBe(0);
    // #endregion event-dispatch-error
  });

  it('checks invariants after methods and preconditions before them', async () => {
    // #region invariants-preconditions
    const m = await start();
    const order = new m.Order({ customer: 'ada' });
    expect(() => order.confirm()).toThrow(InvariantViolation);
    expect(() => order.confirm()).toThrow(
      /confirmedOrdersHaveItems: a confirmed order must have items/,
    );
    const item = { bookId: 'b', quantity: 1, unitPrice: { amount: 1 } };
    const shipped = new m.Order({ customer: 'bob', status: 'shipped', items: [item] });
    expect(() => new m.Order({ customer: 'cy', status: 'confirmed' })).toThrow(
      'Order breaks its rules: confirmedOrdersHaveItems: a confirmed order must have items',
    );
    expect(() => shipped.addItem('b', 1, new m.Money({ amount: 1 }))).toThrow(
      /shippedOrdersAreFinal/,
    );
    // #endregion invariants-preconditions
  });

  it('validates nested value objects and entities, naming the nested field', () => {
    // #region nested-validation-error
    const m = createBookshelf();
    const attempt = () =>
      new m.Order({
        customer: 'ada',
        items: [{ bookId: 'b1', quantity: 0, unitPrice: { amount: -1, currency: 'EURO' } }],
      });
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (error) {
      expect((error as ValidationError).errors).toEqual({
        items: {
          '0': {
            quantity: ['must be >= 1'],
            unitPrice: {
              amount: ['must be >= 0'],
              currency: ['must be exactly 3 characters long'],
            },
          },
        },
      });
    }
    // #endregion nested-validation-error
  });

  it('makes value objects immutable and checks their own invariants', () => {
    // #region value-object-rules
    const m = createBookshelf();
    const price = new m.Money({ amount: 10 });
    expect(() => {
      (price as { amount: number }).amount = 3;
    }).toThrow(/Money.amount cannot be changed: a value object is immutable/);
    expect(() => new m.Money({ amount: 1.234 })).toThrow(
      /roundedToCents: amount has more than two decimals/,
    );
    expect(price.with({ amount: 12 }).amount).toBe(12);
    expect(price.amount).toBe(10);
    // #endregion value-object-rules
  });

  it('rolls back everything a failing handler did, in the database and the event store', async () => {
    // #region rollback
    const m = createBookshelf();
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
      book.reprice(new m.Money({ amount: 2 }));
      await repository(m.Book).add(book);
      throw new Error('boom');
    });
    await ready(m.domain);
    opened = m.domain;
    await expect(m.domain.process(new Explode({ title: 'Gone' }))).rejects.toThrow('boom');
    expect(await m.domain.repository(m.Book).count()).toBe(0);
    expect(await m.domain.eventStore.readCategory('bookshelf::book')).toEqual([]);
    expect(await m.domain.view(m.BookCatalog).count()).toBe(0);
    // #endregion rollback
  });
});

async function eventsOf(m: Bookshelf, category: string) {
  return m.domain.eventStore.readCategory(category);
}

describe('optimistic concurrency through units of work', () => {
  it('fails the second of two units that change the same aggregate', async () => {
    // #region optimistic-concurrency
    const m = await start();
    const bookId = await addDune(m);
    const stock = m.domain.repository(m.Inventory);
    const loaded = gate();
    const overtaken = gate();
    const first = m.domain.unitOfWork(async () => {
      const inventory = await stock.get(bookId); // loaded at version 1
      loaded.open();
      await overtaken.opened; // meanwhile, another unit changes the same inventory
      inventory.restock(1);
      await stock.add(inventory);
    });
    await loaded.opened;
    await m.domain.unitOfWork(async () => {
      const inventory = await stock.get(bookId);
      inventory.restock(2);
      await stock.add(inventory); // commits version 2
    });
    overtaken.open();
    await expect(first).rejects.toBeInstanceOf(ExpectedVersionError);
    expect((await stock.get(bookId)).onHand).toBe(5);
    // #endregion optimistic-concurrency
  });
});
