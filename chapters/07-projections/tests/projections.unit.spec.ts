import { beforeEach, describe, expect, it } from 'vitest';
import { given } from 'protean-ts/testing';
import { BookAdded } from '../src/book.js';
import { AddBook } from '../src/commands.js';
import { domain } from '../src/domain.js';
import { StockReserved } from '../src/inventory.js';
import { Order, OrderConfirmed, OrderPlaced } from '../src/order.js';
import { BookCatalog, OrderSummary } from '../src/projections.js';
import '../src/projectors.js';
import { Address, Isbn, Money, OrderLine } from '../src/values.js';

const home = new Address({
  street: '12 Oak Lane',
  city: 'Oxford',
  postcode: 'OX1 2AB',
  country: 'GB',
});

function duneAdded(copies: number) {
  return new BookAdded({
    bookId: 'dune',
    title: 'Dune',
    author: 'Frank Herbert',
    isbn: new Isbn({ value: '9780441172719' }),
    price: new Money({ amount: 9.99 }),
    copies,
  });
}

function aCatalogRow(title: string, author: string, price: number, available: number) {
  return new BookCatalog({ bookId: title, title, author, price, currency: 'USD', available });
}

beforeEach(async () => {
  await domain.close();
  await domain.init();
});

describe('chapter 7: an order records that it was placed', () => {
  // #region order-placed-test
  it('raises OrderPlaced from Order.place(), with its lines and total', () => {
    given(Order)
      .when(() =>
        Order.place('Ada Lovelace', home, [
          { bookId: 'dune', quantity: 2, unitPrice: new Money({ amount: 9.99 }) },
        ]),
      )
      .thenEvents(OrderPlaced)
      .thenRaised(OrderPlaced, {
        customer: 'Ada Lovelace',
        lines: [{ bookId: 'dune', quantity: 2 }],
        total: new Money({ amount: 19.98 }),
      });
  });
  // #endregion order-placed-test
});

describe('chapter 7: the CatalogProjector', () => {
  // #region catalog-row-test
  it('adds a BookCatalog row when a book is added, available as many copies as it came with', async () => {
    const outcome = await given(domain).when([duneAdded(3), 'dune']);

    outcome.thenSucceeds();
    const row = await domain.view(BookCatalog).get('dune');
    expect(row.toJSON()).toEqual({
      bookId: 'dune',
      title: 'Dune',
      author: 'Frank Herbert',
      price: 9.99,
      currency: 'USD',
      available: 3,
    });
  });
  // #endregion catalog-row-test

  it('updates what is available when stock is reserved', async () => {
    const outcome = await given(domain)
      .state(aCatalogRow('dune', 'Frank Herbert', 9.99, 3))
      .when([new StockReserved({ bookId: 'dune', quantity: 2, available: 1 }), 'dune']);

    outcome.thenSucceeds();
    expect((await domain.view(BookCatalog).get('dune')).available).toBe(1);
  });

  it('shows a book added by the AddBook command', async () => {
    const outcome = await given(domain).when<string>(
      new AddBook({
        title: 'Dune',
        author: 'Frank Herbert',
        isbn: { value: '9780441172719' },
        price: { amount: 9.99 },
        copies: 3,
      }),
    );

    outcome.thenRaised(BookAdded);
    expect((await domain.view(BookCatalog).get(outcome.result!)).available).toBe(3);
  });
});

describe('chapter 7: the OrderSummaryProjector', () => {
  const lines = [new OrderLine({ bookId: 'dune', quantity: 2 })];
  const placed = new OrderPlaced({
    orderId: 'order-1',
    customer: 'Ada Lovelace',
    lines,
    total: new Money({ amount: 19.98 }),
  });

  // #region order-summary-test
  it('adds a pending row when an order is placed, and confirms it when the order is', async () => {
    const confirmed = new OrderConfirmed({ ...placed, lines, total: placed.total });

    const outcome = await given(domain).events([placed, 'order-1']).when([confirmed, 'order-1']);

    outcome.thenSucceeds();
    const row = await domain.view(OrderSummary).get('order-1');
    expect(row.toJSON()).toEqual({
      orderId: 'order-1',
      customer: 'Ada Lovelace',
      books: 2,
      total: 19.98,
      currency: 'USD',
      status: 'confirmed',
    });
  });
  // #endregion order-summary-test
});

describe('chapter 7: querying the BookCatalog', () => {
  beforeEach(async () => {
    const rows = [
      aCatalogRow('Dune', 'Frank Herbert', 9.99, 2),
      aCatalogRow('Children of Dune', 'Frank Herbert', 10.99, 0),
      aCatalogRow('The Hobbit', 'J. R. R. Tolkien', 14.99, 1),
      aCatalogRow('Emma', 'Jane Austen', 8.5, 5),
    ];
    for (const row of rows) await domain.repository(BookCatalog).add(row);
  });

  // #region query-test
  it('filters on conditions that must all hold, and sorts', async () => {
    const found = await domain.view(BookCatalog).find({
      where: { available: { gt: 0 }, price: { lt: 12 } },
      orderBy: { price: 'desc' },
    });

    expect(found.map((row) => row.title)).toEqual(['Dune', 'Emma']);
  });
  // #endregion query-test

  it('pages through rows in a stable order with limit and offset', async () => {
    const page = (offset: number) =>
      domain.view(BookCatalog).find({ orderBy: { title: 'asc' }, limit: 3, offset });

    expect((await page(0)).map((row) => row.title)).toEqual(['Children of Dune', 'Dune', 'Emma']);
    expect((await page(3)).map((row) => row.title)).toEqual(['The Hobbit']);
    expect(await page(6)).toEqual([]);
  });
});
