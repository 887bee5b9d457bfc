import { beforeEach, describe, it } from 'vitest';
import { InvariantViolation } from 'protean-ts';
import { given } from 'protean-ts/testing';
// Declares Book, which init() checks that OrderItem.bookId refers to.
import '../src/book.js';
import { domain } from '../src/domain.js';
import { Inventory, StockReserved } from '../src/inventory.js';
import { Order, OrderConfirmed } from '../src/order.js';
import { Address, Money } from '../src/values.js';

const home = { street: '12 Oak Lane', city: 'Oxford', postcode: 'OX1 2AB', country: 'GB' };

function aPendingOrder(): Order {
  return Order.place('Ada Lovelace', new Address(home), [
    { bookId: 'dune', quantity: 2, unitPrice: new Money({ amount: 9.99 }) },
    { bookId: 'hobbit', quantity: 1, unitPrice: new Money({ amount: 14.99 }) },
  ]);
}

beforeEach(async () => {
  await domain.close();
  await domain.init();
});

describe('chapter 7: an order records that it was confirmed', () => {
  // #region order-confirmed-test
  it('raises OrderConfirmed with its lines and total when it is confirmed', () => {
    given(aPendingOrder())
      .when((order) => order.confirm())
      .thenEvents(OrderConfirmed)
      .thenRaised(OrderConfirmed, {
        customer: 'Ada Lovelace',
        lines: [
          { bookId: 'dune', quantity: 2 },
          { bookId: 'hobbit', quantity: 1 },
        ],
        total: new Money({ amount: 34.97 }),
      });
  });
  // #endregion order-confirmed-test

  it('raises nothing when confirming is refused', () => {
    const order = aPendingOrder();
    order.confirm();

    given(order)
      .when((confirmed) => confirmed.confirm())
      .thenFails(InvariantViolation, 'only a pending order can be confirmed');
  });

  it('raises nothing while items are added: only confirming is news to the rest of Bookshelf', () => {
    given(aPendingOrder())
      .when((order) => order.addItem('dune', 1, new Money({ amount: 9.99 })))
      .thenEvents();
  });
});

describe("chapter 7: a book's inventory", () => {
  it('starts with the copies the book was added with, none of them reserved', () => {
    given(Inventory)
      .when(() => Inventory.stock('dune', 3))
      .thenState({ bookId: 'dune', onHand: 3, reserved: 0 })
      .thenEvents();
  });

  // #region reserve-test
  it('reserves copies that are available, and says how many are left', () => {
    given(Inventory.stock('dune', 3))
      .when((stock) => stock.reserve(2))
      .thenState({ onHand: 3, reserved: 2 })
      .thenRaised(StockReserved, { bookId: 'dune', quantity: 2, available: 1 });
  });

  it('refuses to reserve more copies than are available, and stays as it was', () => {
    const stock = Inventory.stock('dune', 3);
    stock.reserve(2);

    given(stock)
      .when((inventory) => inventory.reserve(2))
      .thenFails(InvariantViolation, 'only 1 copies of book dune are available, 2 asked for')
      .thenState({ reserved: 2 });
  });
  // #endregion reserve-test
});
