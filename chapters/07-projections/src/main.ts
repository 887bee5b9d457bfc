/**
 * Chapter 7 walkthrough: projectors keep two read models, BookCatalog and OrderSummary, up to date,
 * and queries filter, sort and page through them. Run it with
 * `npm start -w @bookshelf/ch07-projections`.
 */
import { AddBook, ConfirmOrder, PlaceOrder } from './commands.js';
import { domain } from './domain.js';
// #region register
// Registers the event handler and the projectors: importing a module is what declares them.
import './inventory-keeper.js';
import './projectors.js';
// #endregion register
import { BookCatalog, OrderSummary } from './projections.js';

await domain.init();

const catalogue = [
  ['Dune', 'Frank Herbert', '9780441172719', 9.99, 3],
  ['Children of Dune', 'Frank Herbert', '9780593098240', 10.99, 1],
  ['The Hobbit', 'J. R. R. Tolkien', '9780547928227', 14.99, 2],
  ['The Fellowship of the Ring', 'J. R. R. Tolkien', '9780547928210', 12.99, 4],
  ['Emma', 'Jane Austen', '9780143111580', 8.5, 0],
] as const;
const ids = new Map<string, string>();
for (const [title, author, isbn, amount, copies] of catalogue) {
  const command = new AddBook({ title, author, isbn: { value: isbn }, price: { amount }, copies });
  ids.set(title, await domain.process<string>(command));
}
console.log(`AddBook, 5 times: the BookCatalog has ${await domain.view(BookCatalog).count()} rows`);

const home = { street: '12 Oak Lane', city: 'Oxford', postcode: 'OX1 2AB', country: 'GB' };
async function placeOrder(customer: string, lines: [string, number][]): Promise<string> {
  return domain.process<string>(
    new PlaceOrder({
      customer,
      shippingAddress: home,
      lines: lines.map(([title, quantity]) => ({ bookId: idOf(title), quantity })),
    }),
  );
}
const ada = await placeOrder('Ada Lovelace', [
  ['Dune', 1],
  ['The Hobbit', 2],
]);
const alan = await placeOrder('Alan Turing', [['Children of Dune', 1]]);
await placeOrder('Grace Hopper', [['The Fellowship of the Ring', 1]]);
await domain.process(new ConfirmOrder({ orderId: ada }));
await domain.process(new ConfirmOrder({ orderId: alan }));
console.log('PlaceOrder, 3 times; ConfirmOrder for Ada and Alan');

// #region cheapest-first
const inStock = await domain.view(BookCatalog).find({
  where: { available: { gt: 0 } },
  orderBy: { price: 'asc' },
});
// #endregion cheapest-first
console.log('\nIn stock, cheapest first:');
for (const row of inStock) console.log(`  ${describeBook(row)}`);

// #region by-author
const tolkien = await domain.view(BookCatalog).find({
  where: { author: 'J. R. R. Tolkien', price: { lt: 14 } },
});
// #endregion by-author
console.log('\nBy J. R. R. Tolkien, under 14.00:');
for (const row of tolkien) console.log(`  ${describeBook(row)}`);

console.log('\nThe whole catalogue by title, two books a page:');
// #region pages
const pageSize = 2;
const books = await domain.view(BookCatalog).count();
for (let offset = 0; offset < books; offset += pageSize) {
  const page = await domain.view(BookCatalog).find({
    orderBy: { title: 'asc' },
    limit: pageSize,
    offset,
  });
  const titles = page.map((row) => row.title).join(', ');
  console.log(`  page ${offset / pageSize + 1}: ${titles}`);
}
// #endregion pages

// #region orders
const confirmed = await domain.view(OrderSummary).find({
  where: { status: 'confirmed' },
  orderBy: { total: 'desc' },
});
const pending = await domain.view(OrderSummary).count({ status: 'pending' });
// #endregion orders
console.log('\nConfirmed orders, largest first:');
for (const row of confirmed) {
  const books = row.books === 1 ? '1 book' : `${row.books} books`;
  console.log(`  ${row.customer}: ${books}, ${row.total.toFixed(2)} ${row.currency}`);
}
console.log(`Pending orders: ${pending}`);

await domain.close();

function idOf(title: string): string {
  const id = ids.get(title);
  if (id === undefined) throw new Error(`the walkthrough added no book titled ${title}`);
  return id;
}

function describeBook(row: BookCatalog): string {
  const price = `${row.price.toFixed(2)} ${row.currency}`;
  return `${row.title} (${row.author}), ${price}, ${row.available} available`;
}
