/**
 * Try it yourself (chapter 4): a customer may cancel an order until it ships, and a cancelled order
 * goes no further. Run these checks against your code with
 * `npm run exercise -w @bookshelf/ch04-business-rules`.
 */
import { describe, it } from 'vitest';
import { InvariantViolation } from 'protean-ts';
import { given } from 'protean-ts/testing';
import { Order } from '#src/order.js';
import { Money } from '#src/values.js';

function aPendingOrder(): Order {
  const order = new Order({
    customer: 'Ada Lovelace',
    shippingAddress: { street: '12 Oak Lane', city: 'Oxford', postcode: 'OX1 2AB', country: 'GB' },
  });
  order.addItem('dune', 1, new Money({ amount: 9.99 }));
  return order;
}

function aConfirmedOrder(): Order {
  const order = aPendingOrder();
  order.confirm();
  return order;
}

function aCancelledOrder(): Order {
  const order = aConfirmedOrder();
  order.cancel();
  return order;
}

describe('order.cancel()', () => {
  it('cancels a pending order', () => {
    given(aPendingOrder())
      .when((order) => order.cancel())
      .thenSucceeds()
      .thenState({ status: 'cancelled' });
  });

  it('cancels a confirmed order', () => {
    given(aConfirmedOrder())
      .when((order) => order.cancel())
      .thenSucceeds()
      .thenState({ status: 'cancelled' });
  });

  it('refuses to cancel an order that has shipped', () => {
    const shipped = aConfirmedOrder();
    shipped.ship();
    given(shipped)
      .when((order) => order.cancel())
      .thenFails(InvariantViolation, 'a shipped order cannot change')
      .thenState({ status: 'shipped' });
  });
});

describe('a cancelled order', () => {
  it('cannot be confirmed, and says why', () => {
    given(aCancelledOrder())
      .when((order) => order.confirm())
      .thenFails(InvariantViolation, 'cancelled')
      .thenState({ status: 'cancelled' });
  });

  it('cannot be shipped, and says why', () => {
    given(aCancelledOrder())
      .when((order) => order.ship())
      .thenFails(InvariantViolation, 'cancelled')
      .thenState({ status: 'cancelled' });
  });

  it('takes no more items', () => {
    given(aCancelledOrder())
      .when((order) => order.addItem('hobbit', 1, new Money({ amount: 14.99 })))
      .thenFails(InvariantViolation)
      .thenState({ status: 'cancelled' });
  });
});
