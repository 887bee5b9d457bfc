/**
 * Try it yourself (chapter 5): the warehouse ships orders by sending a ShipOrder command. Run these
 * checks against your code with `npm run exercise -w @bookshelf/ch05-commands`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { InvariantViolation, NotFoundError, ValidationError } from 'protean-ts';
import { given } from 'protean-ts/testing';
import { ShipOrder } from '#src/commands.js';
import { domain } from '#src/domain.js';
import { Order } from '#src/order.js';
import { Address, Money } from '#src/values.js';

function aPendingOrder(): Order {
  const home = new Address({
    street: '12 Oak Lane',
    city: 'Oxford',
    postcode: 'OX1 2AB',
    country: 'GB',
  });
  return Order.place('Ada Lovelace', home, [
    { bookId: 'dune', quantity: 1, unitPrice: new Money({ amount: 9.99 }) },
  ]);
}

beforeEach(async () => {
  await domain.close();
  await domain.init();
});

describe('the ShipOrder command', () => {
  it('is declared in src/commands.ts, part of the Order, naming it by orderId', () => {
    expect(ShipOrder, 'src/commands.ts should export a ShipOrder command').toBeDefined();
    expect(ShipOrder.meta.partOf).toBe('Order');
    expect(ShipOrder.meta.identityField).toBe('orderId');
    expect(() => new ShipOrder({} as never)).toThrow(ValidationError);
    expect(() => new ShipOrder({} as never)).toThrow('ShipOrder is invalid: orderId is required');
  });
});

describe('its handler', () => {
  it('ships a confirmed order', async () => {
    const order = aPendingOrder();
    order.confirm();

    const outcome = await given(domain)
      .state(order)
      .when(new ShipOrder({ orderId: order.id }));

    outcome.thenSucceeds();
    expect((await domain.repository(Order).get(order.id)).status).toBe('shipped');
  });

  it('refuses an order that is not confirmed yet, which stays pending', async () => {
    const order = aPendingOrder();

    const outcome = await given(domain)
      .state(order)
      .when(new ShipOrder({ orderId: order.id }));

    outcome.thenFails(InvariantViolation, 'only a confirmed order can be shipped');
    expect((await domain.repository(Order).get(order.id)).status).toBe('pending');
  });

  it('refuses an order that does not exist, naming it', async () => {
    const outcome = await given(domain).when(new ShipOrder({ orderId: 'no-such-order' }));

    outcome.thenFails(NotFoundError, 'no-such-order');
  });
});
