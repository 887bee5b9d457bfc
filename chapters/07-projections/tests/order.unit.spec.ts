import { beforeEach, describe, expect, it } from 'vitest';
import { InvariantViolation, ValidationError } from 'protean-ts';
import { given } from 'protean-ts/testing';
import { Book } from '../src/book.js';
import { domain } from '../src/domain.js';
import { Order, OrderItem } from '../src/order.js';
import { Address, Money } from '../src/values.js';

const home = { street: '12 Oak Lane', city: 'Oxford', postcode: 'OX1 2AB', country: 'GB' };
const dune = { id: 'dune', price: new Money({ amount: 9.99 }) };
const hobbit = { id: 'hobbit', price: new Money({ amount: 14.99 }) };

function anOrder(): Order {
  return new Order({ customer: 'Ada Lovelace', shippingAddress: home });
}

describe('chapter 7: the Order aggregate and its OrderItem entities', () => {
  beforeEach(async () => {
    await domain.close();
    await domain.init();
  });

  it('starts empty, with nothing to pay', () => {
    given(Order)
      .when(() => anOrder())
      .thenState({ items: [], shippingAddress: home });
    expect(String(anOrder().total)).toBe('0.00 USD');
  });

  it('adds a line per book and sums the lines', () => {
    const outcome = given(anOrder())
      .when((order) => {
        order.addItem(dune.id, 1, dune.price);
        order.addItem(hobbit.id, 2, hobbit.price);
      })
      .thenSucceeds();

    const order = outcome.subject;
    expect(order.items.map((item) => [item.bookId, item.quantity])).toEqual([
      ['dune', 1],
      ['hobbit', 2],
    ]);
    expect(order.items[0]).toBeInstanceOf(OrderItem);
    expect(String(order.total)).toBe('39.97 USD');
  });

  it('puts more copies of a book on the line it already has, keeping that line', () => {
    const order = anOrder();
    order.addItem(dune.id, 1, dune.price);
    const line = order.items[0]!;

    given(order)
      .when((o) => o.addItem(dune.id, 2, dune.price))
      .thenSucceeds();

    expect(order.items).toHaveLength(1);
    expect(order.items[0]).toBe(line);
    expect(line.quantity).toBe(3);
  });

  // #region one-currency-test
  it('is paid in one currency, and a refused change leaves it as it was', () => {
    const order = anOrder();
    order.addItem(dune.id, 1, dune.price);

    given(order)
      .when((o) => o.addItem(hobbit.id, 1, new Money({ amount: 12, currency: 'EUR' })))
      .thenFails(InvariantViolation, 'an order is paid in one currency');

    expect(order.items.map((item) => item.bookId)).toEqual(['dune']);
  });
  // #endregion one-currency-test

  it('refuses a line of fewer than one copy and leaves the order as it was', () => {
    const outcome = given(anOrder())
      .when((order) => order.addItem(dune.id, 0, dune.price))
      .thenFails(ValidationError, 'quantity must be >= 1')
      .thenState({ items: [] });
    expect((outcome.error as ValidationError).errors).toEqual({ quantity: ['must be >= 1'] });
  });

  it('ships to a new address, which replaces the old one', () => {
    const college = new Address({ ...home, street: '1 High Street' });
    given(anOrder())
      .when((order) => order.shipTo(college))
      .thenState({ shippingAddress: college });
  });

  it('names the bad fields of an item given as data, by index', () => {
    given(Order)
      .when(
        () =>
          new Order({
            customer: 'Ada Lovelace',
            shippingAddress: { ...home, country: 'Great Britain' },
            items: [{ bookId: 'dune', quantity: 1, unitPrice: { amount: 9.999 } }],
          }),
      )
      .thenFails(ValidationError, 'shippingAddress.country must match');
  });

  it('is stored and loaded as one whole, its items keeping their identity', async () => {
    const book = new Book({
      title: 'Dune',
      author: 'Frank Herbert',
      isbn: { value: '9780441172719' },
      price: dune.price,
    });
    await domain.repository(Book).add(book);
    const order = anOrder();
    order.addItem(book.id, 2, book.price);
    order.addItem(hobbit.id, 1, hobbit.price);
    await domain.repository(Order).add(order);

    const loaded = await domain.repository(Order).get(order.id);

    expect(loaded.items.map((item) => item.id)).toEqual(order.items.map((item) => item.id));
    expect(loaded.items[0]).toBeInstanceOf(OrderItem);
    expect(loaded.shippingAddress.equals(order.shippingAddress)).toBe(true);
    expect(loaded.total.equals(order.total)).toBe(true);
  });
});

describe('chapter 7: placing an order with Order.place()', () => {
  // #region place-test
  it('places a pending order with a line per book', () => {
    const outcome = given(Order)
      .when(() =>
        Order.place('Ada Lovelace', new Address(home), [
          { bookId: dune.id, quantity: 1, unitPrice: dune.price },
          { bookId: hobbit.id, quantity: 2, unitPrice: hobbit.price },
        ]),
      )
      .thenState({ customer: 'Ada Lovelace', status: 'pending', shippingAddress: home });

    expect(outcome.result?.items.map((item) => item.bookId)).toEqual(['dune', 'hobbit']);
  });

  it('refuses an order without books', () => {
    given(Order)
      .when(() => Order.place('Ada Lovelace', new Address(home), []))
      .thenFails(InvariantViolation, 'an order is placed with at least one book');
  });
  // #endregion place-test

  it('keeps the rules of addItem: one currency, at least one copy a line', () => {
    const euro = new Money({ amount: 12, currency: 'EUR' });
    given(Order)
      .when(() =>
        Order.place('Ada Lovelace', new Address(home), [
          { bookId: dune.id, quantity: 1, unitPrice: dune.price },
          { bookId: hobbit.id, quantity: 1, unitPrice: euro },
        ]),
      )
      .thenFails(InvariantViolation, 'an order is paid in one currency');
    given(Order)
      .when(() =>
        Order.place('Ada Lovelace', new Address(home), [
          { bookId: dune.id, quantity: 0, unitPrice: dune.price },
        ]),
      )
      .thenFails(ValidationError, 'quantity must be >= 1');
  });
});

describe('chapter 7: Money arithmetic', () => {
  it('adds amounts of one currency, in whole cents', () => {
    expect(String(new Money({ amount: 0.1 }).add(new Money({ amount: 0.2 })))).toBe('0.30 USD');
    expect(String(new Money({ amount: 9.99 }).times(3))).toBe('29.97 USD');
  });

  it('refuses to add two currencies', () => {
    expect(() => new Money({ amount: 1 }).add(new Money({ amount: 1, currency: 'EUR' }))).toThrow(
      'cannot add 1.00 EUR to 1.00 USD: the currencies differ',
    );
  });
});
