/**
 * Try it yourself (chapter 3): a customer changes their mind and takes a book out of the order.
 * Run these checks against your code with `npm run exercise -w @bookshelf/ch03-entities-and-associations`.
 */
import { describe, expect, it } from 'vitest';
import { InvariantViolation } from 'protean-ts';
import { given } from 'protean-ts/testing';
import { Order } from '#src/order.js';
import { Money } from '#src/values.js';

function anOrderOfDuneAndTheHobbit(): Order {
  const order = new Order({
    customer: 'Ada Lovelace',
    shippingAddress: { street: '12 Oak Lane', city: 'Oxford', postcode: 'OX1 2AB', country: 'GB' },
  });
  order.addItem('dune', 2, new Money({ amount: 9.99 }));
  order.addItem('hobbit', 1, new Money({ amount: 14.99 }));
  return order;
}

describe('order.removeItem(bookId)', () => {
  it("takes the book's line out of the order", () => {
    const outcome = given(anOrderOfDuneAndTheHobbit())
      .when((order) => order.removeItem('dune'))
      .thenSucceeds();
    expect(outcome.subject.items.map((item) => item.bookId)).toEqual(['hobbit']);
  });

  it('leaves the other lines as they were, with the same identity', () => {
    const placed = anOrderOfDuneAndTheHobbit();
    const hobbitLine = placed.items[1];

    given(placed)
      .when((order) => order.removeItem('dune'))
      .thenSucceeds();

    expect(placed.items[0]).toBe(hobbitLine);
    expect(placed.items[0]?.quantity).toBe(1);
  });

  it('lowers the total', () => {
    const placed = anOrderOfDuneAndTheHobbit();
    given(placed)
      .when((order) => order.removeItem('hobbit'))
      .thenSucceeds();
    expect(String(placed.total)).toBe('19.98 USD');
  });

  it('refuses a book that is not in the order, naming it, and changes nothing', () => {
    const outcome = given(anOrderOfDuneAndTheHobbit())
      .when((order) => order.removeItem('neuromancer'))
      .thenFails(InvariantViolation, 'neuromancer');
    expect(outcome.subject.items.map((item) => item.bookId)).toEqual(['dune', 'hobbit']);
  });
});
