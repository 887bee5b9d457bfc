import { beforeEach, describe, expect, it } from 'vitest';
import { InvariantViolation } from 'protean-ts';
import { given } from 'protean-ts/testing';
// Declares Book, which init() checks that OrderItem.bookId refers to.
import '../src/book.js';
import { domain } from '../src/domain.js';
import { Order } from '../src/order.js';
import { Address, Money } from '../src/values.js';

const home = { street: '12 Oak Lane', city: 'Oxford', postcode: 'OX1 2AB', country: 'GB' };
const price = new Money({ amount: 9.99 });

function anEmptyOrder(): Order {
  return new Order({ customer: 'Ada Lovelace', shippingAddress: home });
}

function aPendingOrder(): Order {
  const order = anEmptyOrder();
  order.addItem('dune', 2, price);
  return order;
}

function aConfirmedOrder(): Order {
  const order = aPendingOrder();
  order.confirm();
  return order;
}

function aShippedOrder(): Order {
  const order = aConfirmedOrder();
  order.ship();
  return order;
}

describe("chapter 6: an order's life cycle", () => {
  beforeEach(async () => {
    await domain.close();
    await domain.init();
  });

  it('starts pending', () => {
    given(Order)
      .when(() => anEmptyOrder())
      .thenState({ status: 'pending' });
  });

  // #region aggregate-scenario
  it('is confirmed when it has items', () => {
    given(aPendingOrder())
      .when((order) => order.confirm())
      .thenState({ status: 'confirmed' });
  });
  // #endregion aggregate-scenario

  it('ships once it is confirmed', () => {
    given(aConfirmedOrder())
      .when((order) => order.ship())
      .thenState({ status: 'shipped' });
  });

  it('keeps its status and its items when it is stored and loaded', async () => {
    const order = aShippedOrder();
    await domain.repository(Order).add(order);

    const loaded = await domain.repository(Order).get(order.id);

    expect(loaded.status).toBe('shipped');
    expect(loaded.total.toString()).toBe('19.98 USD');
  });
});

describe("chapter 6: an order's business rules", () => {
  // #region empty-order-test
  it('cannot be confirmed without items, and stays pending', () => {
    given(anEmptyOrder())
      .when((order) => order.confirm())
      .thenFails(InvariantViolation, 'confirmedOrderHasItems')
      .thenState({ status: 'pending' });
  });
  // #endregion empty-order-test

  it('is never built confirmed without items', () => {
    given(Order)
      .when(
        () => new Order({ customer: 'Ada Lovelace', shippingAddress: home, status: 'confirmed' }),
      )
      .thenFails(InvariantViolation, 'an order needs at least one item to be confirmed');
  });

  it('is confirmed once', () => {
    given(aConfirmedOrder())
      .when((order) => order.confirm())
      .thenFails(
        InvariantViolation,
        'only a pending order can be confirmed; this one is confirmed',
      );
  });

  // #region then-fails
  it('cannot ship before it is confirmed', () => {
    given(aPendingOrder())
      .when((order) => order.ship())
      .thenFails(InvariantViolation, 'only a confirmed order can be shipped; this one is pending')
      .thenState({ status: 'pending' });
  });
  // #endregion then-fails

  it('takes no more items once it is confirmed', () => {
    const outcome = given(aConfirmedOrder())
      .when((order) => order.addItem('hobbit', 1, new Money({ amount: 14.99 })))
      .thenFails(InvariantViolation, 'items can only be added while an order is pending')
      .thenState({ status: 'confirmed' });
    expect(outcome.subject.items.map((item) => item.bookId)).toEqual(['dune']);
  });

  // #region shipped-order-test
  it.each([
    ['ship()', (order: Order) => order.ship()],
    ['confirm()', (order: Order) => order.confirm()],
    ['addItem()', (order: Order) => order.addItem('hobbit', 1, price)],
    ['shipTo()', (order: Order) => order.shipTo(new Address({ ...home, city: 'Cambridge' }))],
  ])('cannot change once shipped: %s is refused', (_name, change) => {
    given(aShippedOrder())
      .when(change)
      .thenFails(InvariantViolation, 'shippedOrderCannotChange: a shipped order cannot change')
      .thenState({ status: 'shipped', shippingAddress: home });
  });
  // #endregion shipped-order-test

  it('can still be read once shipped: getters are not changes', () => {
    const order = aShippedOrder();
    expect(order.total.toString()).toBe('19.98 USD');
    expect(order.items[0]?.subtotal().equals(new Money({ amount: 19.98 }))).toBe(true);
  });
});
