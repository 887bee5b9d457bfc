/**
 * Chapter 5 walkthrough: Bookshelf is used through commands. Each is processed by its handler, in
 * memory and before `domain.process()` resolves. Run it with `npm start -w @bookshelf/ch05-commands`.
 */
import { ProteanError, ValidationError } from 'protean-ts';
import { Book } from './book.js';
import { AddBook, ConfirmOrder, PlaceOrder } from './commands.js';
import { domain } from './domain.js';
import { Order } from './order.js';

await domain.init();

// #region add-books
const duneId = await domain.process<string>(
  new AddBook({
    title: 'Dune',
    author: 'Frank Herbert',
    isbn: { value: '9780441172719' },
    price: { amount: 9.99 },
  }),
);
const hobbitId = await domain.process<string>(
  new AddBook({
    title: 'The Hobbit',
    author: 'J. R. R. Tolkien',
    isbn: { value: '9780547928227' },
    price: { amount: 14.99 },
    format: 'hardcover',
  }),
);
// #endregion add-books
const hobbit = await domain.repository(Book).get(hobbitId);
console.log(`AddBook, twice: the catalogue has ${await domain.repository(Book).count()} books`);
console.log(`  the id it returned finds ${hobbit.title}, ${hobbit.format}, ${hobbit.price}`);

// #region place-order
const home = { street: '12 Oak Lane', city: 'Oxford', postcode: 'OX1 2AB', country: 'GB' };
const orderId = await domain.process<string>(
  new PlaceOrder({
    customer: 'Ada Lovelace',
    shippingAddress: home,
    lines: [
      { bookId: duneId, quantity: 1 },
      { bookId: hobbitId, quantity: 2 },
    ],
  }),
);
// #endregion place-order
console.log(`PlaceOrder: ${describe(await domain.repository(Order).get(orderId))}`);

// #region confirm-order
await domain.process(new ConfirmOrder({ orderId }));
// #endregion confirm-order
console.log(`ConfirmOrder: ${describe(await domain.repository(Order).get(orderId))}`);

// #region invalid-command
try {
  new PlaceOrder({
    customer: '',
    shippingAddress: { ...home, country: 'England' },
    lines: [{ bookId: duneId, quantity: 0 }],
  });
} catch (error) {
  if (!(error instanceof ValidationError)) throw error;
  console.log(
    `A PlaceOrder with bad data cannot even be made: ${JSON.stringify(error.errors, null, 2)}`,
  );
}
// #endregion invalid-command

// #region refused-commands
const refusals = [
  ['ConfirmOrder, again', new ConfirmOrder({ orderId })],
  ['PlaceOrder, no books', new PlaceOrder({ customer: 'Ada Lovelace', shippingAddress: home })],
  [
    'PlaceOrder, an unknown book',
    new PlaceOrder({
      customer: 'Ada Lovelace',
      shippingAddress: home,
      lines: [
        { bookId: duneId, quantity: 1 },
        { bookId: 'no-such-book', quantity: 1 },
      ],
    }),
  ],
] as const;
for (const [name, command] of refusals) {
  try {
    await domain.process(command);
    throw new Error(`${name} should have been refused`);
  } catch (error) {
    if (!(error instanceof ProteanError)) throw error;
    console.log(`${name}: refused with ${error.name}: ${error.message}`);
  }
}
console.log(`Orders stored: ${await domain.repository(Order).count()}`);
// #endregion refused-commands

await domain.close();

function describe(order: Order): string {
  return `${order.customer}, ${order.items.length} lines, total ${order.total}, ${order.status}`;
}
