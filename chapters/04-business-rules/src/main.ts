/**
 * Chapter 4 walkthrough: an order's business rules (invariants, preconditions and the checks of
 * its methods) as it goes from pending to confirmed to shipped, and the changes it refuses. Run it
 * with `npm start -w @bookshelf/ch04-business-rules`.
 */
import { InvariantViolation } from 'protean-ts';
import { Book } from './book.js';
import { domain } from './domain.js';
import { Order } from './order.js';
import { Address } from './values.js';

await domain.init();

const dune = new Book({
  title: 'Dune',
  author: 'Frank Herbert',
  isbn: { value: '9780441172719' },
  price: { amount: 9.99 },
});
const hobbit = new Book({
  title: 'The Hobbit',
  author: 'J. R. R. Tolkien',
  isbn: { value: '9780547928227' },
  price: { amount: 14.99 },
});
await domain.repository(Book).add(dune);
await domain.repository(Book).add(hobbit);
const home = { street: '12 Oak Lane', city: 'Oxford', postcode: 'OX1 2AB', country: 'GB' };

// #region place
const order = new Order({ customer: 'Ada Lovelace', shippingAddress: home });
order.addItem(dune.id, 1, dune.price);
order.addItem(hobbit.id, 2, hobbit.price);
await domain.repository(Order).add(order);
// #endregion place
console.log(`Placed ${order.customer}'s order: ${describe(order)}`);

// #region empty
const empty = new Order({ customer: 'Charles Babbage', shippingAddress: home });
console.log("Confirming Charles Babbage's empty order:");
refused(() => empty.confirm());
console.log(`  it is still ${empty.status}: the refused call was undone`);
// #endregion empty

// #region too-early
console.log("Shipping Ada's order before it is confirmed:");
refused(() => order.ship());
// #endregion too-early

// #region confirm
order.confirm();
await domain.repository(Order).add(order);
// #endregion confirm
console.log(`Confirmed: ${describe(order)}`);
console.log('Adding a book to the confirmed order:');
refused(() => order.addItem(dune.id, 1, dune.price));

// #region ship
order.ship();
await domain.repository(Order).add(order);
// #endregion ship
console.log(`Shipped: ${describe(order)}`);

// #region shipped
const shipped = await domain.repository(Order).get(order.id);
console.log('Shipping it again, then sending it elsewhere:');
refused(() => shipped.ship());
refused(() => shipped.shipTo(new Address({ ...home, street: '3 Mill Road' })));
console.log(`  it is still ${shipped.status}, to ${shipped.shippingAddress}`);
// #endregion shipped

await domain.close();

// #region refused
/** Tries a change the order must refuse and prints why; anything else ends the walkthrough. */
function refused(change: () => void): void {
  try {
    change();
  } catch (error) {
    if (!(error instanceof InvariantViolation)) throw error;
    console.log(`  refused: ${error.message}`);
    return;
  }
  throw new Error('the order accepted a change it should have refused');
}
// #endregion refused

function describe(placed: Order): string {
  return `${placed.items.length} lines, total ${placed.total}, ${placed.status}`;
}
