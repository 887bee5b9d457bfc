/**
 * Chapter 1 walkthrough: declare a Book, store it in the memory database, load it back.
 * Run it with `npm start -w @bookshelf/ch01-first-aggregate`.
 */
import { ValidationError } from 'protean-ts';
import { Book, domain } from './domain.js';

await domain.init();

// #region add
const book = new Book({ title: 'Dune', author: 'Frank Herbert', isbn: '9780441172719' });
await domain.repository(Book).add(book);
// #endregion add
console.log(`Added "${book.title}" by ${book.author} (version ${book._version})`);

// #region get
const loaded = await domain.repository(Book).get(book.id);
// #endregion get
console.log(`Loaded "${loaded.title}", ISBN ${loaded.isbn}`);
console.log(`Same book, a different object: ${loaded.id === book.id && loaded !== book}`);

// #region invalid
try {
  new Book({ title: '', author: 'Nobody' });
} catch (error) {
  if (!(error instanceof ValidationError)) throw error;
  console.log(`Rejected: ${JSON.stringify(error.errors)}`);
}
// #endregion invalid

console.log(`Books stored: ${await domain.repository(Book).count()}`);
await domain.close();
