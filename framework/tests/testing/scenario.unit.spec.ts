import { AssertionError } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { InvariantViolation } from '../../src/index.js';
import { freshDomain, given } from '../../src/testing/index.js';
import { createBookshelf } from '../fixtures/bookshelf.js';

describe('given/when/then on an aggregate', () => {
  // #region fresh-domain
  const bookshelf = freshDomain(() => createBookshelf());
  // #endregion fresh-domain

  // #region aggregate-scenario
  function pendingOrder() {
    const { Order, Money } = bookshelf();
    const order = new Order({ customer: 'ada' });
    order.addItem('book-1', 2, new Money({ amount: 5 }));
    return order;
  }

  it('passes when the behaviour raises the expected event with the expected data', () => {
    const { OrderConfirmed } = bookshelf();
    given(pendingOrder())
      .when((o) => o.confirm())
      .thenRaised(OrderConfirmed, { total: 10 })
      .thenEvents(OrderConfirmed)
      .thenState({ status: 'confirmed' });
  });
  // #endregion aggregate-scenario

  it('fails with an AssertionError naming what was raised instead', () => {
    // #region assertion-message
    const { BookRepriced } = bookshelf();
    const outcome = given(pendingOrder()).when((o) => o.confirm());
    expect(() => outcome.thenRaised(BookRepriced)).toThrow(AssertionError);
    expect(() => outcome.thenRaised(BookRepriced)).toThrow(
      'expected BookRepriced to be raised; raised: OrderConfirmed',
    );
    // #endregion assertion-message
  });

  it('records the error of a behaviour that breaks a rule', () => {
    // #region then-fails
    const { Order } = bookshelf();
    given(new Order({ customer: 'ada' }))
      .when((o) => o.ship())
      .thenFails(InvariantViolation, 'only a confirmed order can be shipped');
    // #endregion then-fails
  });

  it('rejects an outcome with the wrong error message', () => {
    const { Order } = bookshelf();
    const outcome = given(new Order({ customer: 'ada' })).when((o) => o.ship());
    expect(() => outcome.thenFails(InvariantViolation, /lost in the mail/)).toThrow(AssertionError);
    expect(() => outcome.thenSucceeds()).toThrow(
      /expected success, but it threw InvariantViolation/,
    );
  });

  it('ignores events raised before the scenario started', () => {
    // #region earlier-events
    const { OrderConfirmed } = bookshelf();
    const order = pendingOrder();
    order.confirm();
    const outcome = given(order).when((o) => o.items.length);
    expect(outcome.result).toBe(1);
    expect(() => outcome.thenRaised(OrderConfirmed)).toThrow(/raised: none/);
    // #endregion earlier-events
  });
});

describe('given/when/then on a command flow', () => {
  const bookshelf = freshDomain(() => createBookshelf());

  it('processes a command over given state and reports the committed events', async () => {
    // #region command-flow
    const { domain, Book, Inventory, BookCatalog, PlaceOrder, ConfirmOrder, OrderConfirmed } =
      bookshelf();
    const book = new Book({
      title: 'Dune',
      author: 'Frank Herbert',
      isbn: { value: '9780441172719' },
      price: { amount: 10 },
    });
    const stock = new Inventory({ bookId: book.id, onHand: 4 });
    const row = new BookCatalog({
      bookId: book.id,
      title: 'Dune',
      author: 'Frank Herbert',
      price: 10,
      available: 4,
    });
    const placed = await given(domain)
      .state(book, stock, row)
      .when<string>(new PlaceOrder({ customer: 'ada', lines: [{ bookId: book.id, quantity: 3 }] }));
    placed.thenSucceeds().thenEvents();

    const confirmed = await given(domain).when(new ConfirmOrder({ orderId: placed.result! }));
    confirmed.thenRaised(OrderConfirmed, { total: 30 });
    expect((await domain.repository(Inventory).get(book.id)).reserved).toBe(3);
    expect((await domain.view(BookCatalog).get(book.id)).available).toBe(1);
    // #endregion command-flow
  });

  it('delivers given events to projectors and handlers before the command', async () => {
    // #region given-events
    const { domain, BookAdded, BookCatalog, Inventory } = bookshelf();
    await given(domain)
      .events([
        new BookAdded({ bookId: 'b-1', title: 'Emma', author: 'Jane Austen', price: 4, copies: 2 }),
        'b-1',
      ])
      .when(
        new (bookshelf().AddBook)({
          title: 'Ubik',
          author: 'Philip K. Dick',
          isbn: '9780547572291',
          price: 12,
        }),
      );
    expect((await domain.view(BookCatalog).get('b-1')).title).toBe('Emma');
    expect((await domain.repository(Inventory).get('b-1')).onHand).toBe(2);
    expect(await domain.eventStore.readStream('bookshelf::book-b-1')).toHaveLength(1);
    // #endregion given-events
  });

  it('records a failing command without throwing, for thenFails', async () => {
    // #region failing-command
    const { domain, ConfirmOrder } = bookshelf();
    const outcome = await given(domain).when(new ConfirmOrder({ orderId: 'missing' }));
    outcome.thenFails(Error, 'Order with id "missing" was not found');
    // #endregion failing-command
  });
});
