import { beforeEach, describe, expect, it } from 'vitest';
import { InvariantViolation, NotFoundError, ValidationError } from 'protean-ts';
import { given } from 'protean-ts/testing';
import { Book } from '../src/book.js';
import { AddBook, ConfirmOrder, PlaceOrder } from '../src/commands.js';
import { domain } from '../src/domain.js';
import { Order } from '../src/order.js';
import { Address, Money } from '../src/values.js';

const home = { street: '12 Oak Lane', city: 'Oxford', postcode: 'OX1 2AB', country: 'GB' };

function dune(): Book {
  return new Book({
    title: 'Dune',
    author: 'Frank Herbert',
    isbn: { value: '9780441172719' },
    price: { amount: 9.99 },
  });
}

function aPendingOrder(): Order {
  return Order.place('Ada Lovelace', new Address(home), [
    { bookId: 'dune', quantity: 2, unitPrice: new Money({ amount: 9.99 }) },
  ]);
}

// #region fresh-domain
beforeEach(async () => {
  await domain.close();
  await domain.init();
});
// #endregion fresh-domain

describe('chapter 6: AddBook', () => {
  // #region add-book-test
  it('adds a book to the catalogue and returns its id', async () => {
    const outcome = await given(domain).when<string>(
      new AddBook({
        title: 'Dune',
        author: 'Frank Herbert',
        isbn: { value: '9780441172719' },
        price: { amount: 9.99 },
      }),
    );

    outcome.thenSucceeds();
    const book = await domain.repository(Book).get(outcome.result!);
    expect(book.title).toBe('Dune');
    expect(book.price.equals(new Money({ amount: 9.99 }))).toBe(true);
  });
  // #endregion add-book-test

  it('names every bad field when it is made, before anything is sent', () => {
    expect(
      () =>
        new AddBook({
          title: 'Dune',
          author: '',
          isbn: { value: '9780441172710' },
          price: { amount: -1 },
        }),
    ).toThrow(ValidationError);
    expect(() => new AddBook({ title: 'Dune' } as never)).toThrow(
      'AddBook is invalid: author is required; isbn is required; price is required',
    );
  });
});

describe('chapter 6: PlaceOrder', () => {
  // #region place-order-test
  it('places a pending order at the prices the books cost now', async () => {
    const book = dune();
    const outcome = await given(domain)
      .state(book)
      .when<string>(
        new PlaceOrder({
          customer: 'Ada Lovelace',
          shippingAddress: home,
          lines: [{ bookId: book.id, quantity: 2 }],
        }),
      );

    outcome.thenSucceeds();
    const order = await domain.repository(Order).get(outcome.result!);
    expect(order.status).toBe('pending');
    expect(order.items.map((item) => [item.bookId, item.quantity])).toEqual([[book.id, 2]]);
    expect(order.total.toString()).toBe('19.98 USD');
  });
  // #endregion place-order-test

  it('refuses an order with no books, and stores nothing', async () => {
    const outcome = await given(domain).when(
      new PlaceOrder({ customer: 'Ada Lovelace', shippingAddress: home }),
    );

    outcome.thenFails(InvariantViolation, 'an order is placed with at least one book');
    expect(await domain.repository(Order).count()).toBe(0);
  });

  // #region unknown-book-test
  it('refuses a book that is not in the catalogue, and stores nothing', async () => {
    const book = dune();
    const outcome = await given(domain)
      .state(book)
      .when(
        new PlaceOrder({
          customer: 'Ada Lovelace',
          shippingAddress: home,
          lines: [
            { bookId: book.id, quantity: 1 },
            { bookId: 'no-such-book', quantity: 1 },
          ],
        }),
      );

    outcome.thenFails(NotFoundError, 'no-such-book');
    expect(await domain.repository(Order).count()).toBe(0);
  });
  // #endregion unknown-book-test

  it('names the bad fields of its lines by index', () => {
    expect(
      () =>
        new PlaceOrder({
          customer: 'Ada Lovelace',
          shippingAddress: home,
          lines: [
            { bookId: 'dune', quantity: 1 },
            { bookId: '', quantity: 0 },
          ],
        }),
    ).toThrow(
      'lines.1.bookId must be the id of a Book, received ""; lines.1.quantity must be >= 1',
    );
  });
});

describe('chapter 6: ConfirmOrder', () => {
  // #region confirm-order-test
  it('confirms a pending order', async () => {
    const order = aPendingOrder();

    const outcome = await given(domain)
      .state(order)
      .when(new ConfirmOrder({ orderId: order.id }));

    outcome.thenSucceeds();
    expect((await domain.repository(Order).get(order.id)).status).toBe('confirmed');
  });
  // #endregion confirm-order-test

  it('refuses an order that is confirmed already, which stays as it was stored', async () => {
    const order = aPendingOrder();
    order.confirm();

    const outcome = await given(domain)
      .state(order)
      .when(new ConfirmOrder({ orderId: order.id }));

    outcome.thenFails(InvariantViolation, 'only a pending order can be confirmed');
    const stored = await domain.repository(Order).get(order.id);
    expect(stored.status).toBe('confirmed');
    expect(stored._version).toBe(1);
  });

  it('refuses an order that does not exist', async () => {
    const outcome = await given(domain).when(new ConfirmOrder({ orderId: 'no-such-order' }));

    outcome.thenFails(NotFoundError, 'no-such-order');
  });
});
