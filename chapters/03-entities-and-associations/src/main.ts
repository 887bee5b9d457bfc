/**
 * Chapter 3 walkthrough: an Order that holds OrderItem entities and a shipping Address, and refers
 * to books by their identity. Run it with `npm start -w @bookshelf/ch03-entities-and-associations`.
 */
import { InvariantViolation, ValidationError } from 'protean-ts';
import { Book } from './book.js';
import { domain } from './domain.js';
import { Order } from './order.js';
import { Address, Money } from './values.js';

await domain.init();

// #region books
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
// #endregion books
const titles = new Map([dune, hobbit].map((book) => [book.id, book.title]));

// #region place
const order = new Order({
  customer: 'Ada Lovelace',
  shippingAddress: { street: '12 Oak Lane', city: 'Oxford', postcode: 'OX1 2AB', country: 'GB' },
});
order.addItem(dune.id, 1, dune.price);
order.addItem(hobbit.id, 2, hobbit.price);
order.addItem(dune.id, 1, dune.price); // the same book again: one more copy on its line
await domain.repository(Order).add(order);
// #endregion place
console.log(`Order for ${order.customer}, shipping to ${order.shippingAddress}:`);
for (const item of order.items) {
  const title = titles.get(item.bookId) ?? item.bookId;
  console.log(`  ${item.quantity} x ${title} at ${item.unitPrice} = ${item.subtotal()}`);
}
console.log(`  total ${order.total}`);

// #region load
const loaded = await domain.repository(Order).get(order.id);
const sameItems = loaded.items.every((item, index) => item.id === order.items[index]?.id);
// #endregion load
console.log(`Loaded it back: ${loaded.items.length} lines, each with the id it had: ${sameItems}`);

// #region ship-to
loaded.shipTo(
  new Address({ street: '3 Mill Road', city: 'Cambridge', postcode: 'CB1 2AD', country: 'GB' }),
);
await domain.repository(Order).add(loaded);
// #endregion ship-to
console.log(`Now shipping to ${(await domain.repository(Order).get(order.id)).shippingAddress}`);

// #region refused
const euroPrice = new Money({ amount: 9.99, currency: 'EUR' });
for (const change of [
  () => loaded.addItem(dune.id, 1, euroPrice),
  () => loaded.addItem(hobbit.id, 0, hobbit.price),
]) {
  try {
    change();
  } catch (error) {
    if (!(error instanceof InvariantViolation || error instanceof ValidationError)) throw error;
    console.log(`Refused: ${error.message}`);
  }
}
console.log(`The order is as it was: ${loaded.items.length} lines, total ${loaded.total}`);
// #endregion refused

console.log(`Orders stored: ${await domain.repository(Order).count()}`);
await domain.close();
