import { beforeEach, describe, expect, it } from 'vitest';
import { EventDispatchError } from 'protean-ts';
import { given } from 'protean-ts/testing';
import { Book, BookAdded } from '../src/book.js';
import { ConfirmOrder } from '../src/commands.js';
import { domain } from '../src/domain.js';
import { Inventory, StockReserved } from '../src/inventory.js';
import '../src/inventory-keeper.js';
import { Order, OrderConfirmed } from '../src/order.js';
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

function duneConfirmed(quantity: number) {
  return new OrderConfirmed({
    orderId: 'order-1',
    customer: 'Ada Lovelace',
    lines: [new OrderLine({ bookId: 'dune', quantity })],
    total: new Money({ amount: 9.99 }).times(quantity),
  });
}

beforeEach(async () => {
  await domain.close();
  await domain.init();
});

describe('chapter 6: the InventoryKeeper, when a book is added', () => {
  // #region stock-test
  it('starts keeping stock of it, with the copies it was added with', async () => {
    const outcome = await given(domain).when([duneAdded(3), 'dune']);

    outcome.thenSucceeds();
    const stock = await domain.repository(Inventory).get('dune');
    expect(stock.onHand).toBe(3);
    expect(stock.reserved).toBe(0);
  });
  // #endregion stock-test
});

describe('chapter 6: the InventoryKeeper, when an order is confirmed', () => {
  // #region reserve-stock-test
  it('reserves the copies of each line', async () => {
    const outcome = await given(domain)
      .state(Inventory.stock('dune', 3))
      .when([duneConfirmed(2), 'order-1']);

    outcome.thenRaised(StockReserved, { bookId: 'dune', quantity: 2, available: 1 });
    expect((await domain.repository(Inventory).get('dune')).reserved).toBe(2);
  });
  // #endregion reserve-stock-test

  it('reserves on top of what earlier orders reserved', async () => {
    const outcome = await given(domain)
      .state(Inventory.stock('dune', 3))
      .events([duneConfirmed(1), 'order-0'])
      .when([duneConfirmed(2), 'order-1']);

    outcome.thenRaised(StockReserved, { available: 0 });
    expect((await domain.repository(Inventory).get('dune')).reserved).toBe(3);
  });

  it('fails for a book it keeps no stock of, naming it', async () => {
    const outcome = await given(domain).when([duneConfirmed(1), 'order-1']);

    outcome.thenFails(EventDispatchError, 'InventoryKeeper on Bookshelf.OrderConfirmed.v1');
    outcome.thenFails(EventDispatchError, 'Inventory with id "dune" was not found');
  });
});

describe('chapter 6: from a command to a reaction in another aggregate', () => {
  // #region confirm-reserves-test
  it('ConfirmOrder confirms the order, and its OrderConfirmed reserves the stock', async () => {
    const dune = Book.add(
      {
        title: 'Dune',
        author: 'Frank Herbert',
        isbn: { value: '9780441172719' },
        price: { amount: 9.99 },
      },
      3,
    );
    const order = Order.place('Ada Lovelace', home, [
      { bookId: dune.id, quantity: 2, unitPrice: dune.price },
    ]);

    // Storing the new book commits its BookAdded, so the InventoryKeeper stocks 3 copies.
    const outcome = await given(domain)
      .state(dune, order)
      .when(new ConfirmOrder({ orderId: order.id }));

    outcome.thenEvents(OrderConfirmed, StockReserved);
    expect((await domain.repository(Order).get(order.id)).status).toBe('confirmed');
    expect((await domain.repository(Inventory).get(dune.id)).available).toBe(1);
  });
  // #endregion confirm-reserves-test
});
