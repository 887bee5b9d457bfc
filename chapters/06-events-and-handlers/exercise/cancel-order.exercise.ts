/**
 * Try it yourself (chapter 6): a confirmed order can be cancelled, and the copies reserved for it
 * are released. Run these checks against your code with
 * `npm run exercise -w @bookshelf/ch06-events-and-handlers`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { InvariantViolation } from 'protean-ts';
import { given } from 'protean-ts/testing';
import '#src/book.js';
import { domain } from '#src/domain.js';
import { Inventory } from '#src/inventory.js';
import '#src/inventory-keeper.js';
import { Order, OrderCancelled } from '#src/order.js';
import { Address, Money, OrderLine } from '#src/values.js';

function aConfirmedOrder(): Order {
  const home = new Address({
    street: '12 Oak Lane',
    city: 'Oxford',
    postcode: 'OX1 2AB',
    country: 'GB',
  });
  const order = Order.place('Ada Lovelace', home, [
    { bookId: 'dune', quantity: 2, unitPrice: new Money({ amount: 9.99 }) },
  ]);
  order.confirm();
  return order;
}

/** What cancel() is called as, so that a missing method fails as a check, not as a type error. */
function cancel(order: Order): void {
  (order as Order & { cancel(): void }).cancel();
}

beforeEach(async () => {
  await domain.close();
  await domain.init();
});

describe('the OrderCancelled event', () => {
  it('is declared in src/order.ts, part of the Order, with the orderId and the lines', () => {
    expect(OrderCancelled, 'src/order.ts should export an OrderCancelled event').toBeDefined();
    expect(OrderCancelled.meta.partOf).toBe('Order');
    const event = new OrderCancelled({
      orderId: 'order-1',
      lines: [new OrderLine({ bookId: 'dune', quantity: 2 })],
    });
    expect(event.lines[0]?.quantity).toBe(2);
  });
});

describe('order.cancel()', () => {
  it('cancels a confirmed order and raises OrderCancelled with its lines', () => {
    given(aConfirmedOrder())
      .when((order) => cancel(order))
      .thenState({ status: 'cancelled' })
      .thenRaised(OrderCancelled, { lines: [{ bookId: 'dune', quantity: 2 }] });
  });

  it('refuses an order that is not confirmed, which stays as it was', () => {
    const order = aConfirmedOrder();
    order.ship();

    given(order)
      .when((shipped) => cancel(shipped))
      .thenFails(InvariantViolation)
      .thenState({ status: 'shipped' });
  });
});

describe('the InventoryKeeper, when an order is cancelled', () => {
  it('releases the copies that were reserved for each line', async () => {
    const stock = Inventory.stock('dune', 3);
    stock.reserve(2);

    const outcome = await given(domain)
      .state(stock)
      .when([
        new OrderCancelled({
          orderId: 'order-1',
          lines: [new OrderLine({ bookId: 'dune', quantity: 2 })],
        }),
        'order-1',
      ]);

    outcome.thenSucceeds();
    const released = await domain.repository(Inventory).get('dune');
    expect(released.reserved, 'reserved copies after the OrderCancelled').toBe(0);
    expect(released.available).toBe(3);
  });
});
