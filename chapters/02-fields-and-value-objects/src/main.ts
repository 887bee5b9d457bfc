/**
 * Chapter 2 walkthrough: value objects (Money, Isbn), field types and options, validation errors.
 * Run it with `npm start -w @bookshelf/ch02-fields-and-value-objects`.
 */
import { IncorrectUsageError, InvariantViolation, ValidationError } from 'protean-ts';
import { Book } from './book.js';
import { domain } from './domain.js';
import { Isbn, Money } from './values.js';

await domain.init();

// #region money-equality
const price = new Money({ amount: 9.99, currency: 'USD' });
const samePrice = new Money({ amount: 9.99 }); // currency defaults to USD
console.log(`${price} equals ${samePrice}: ${price.equals(samePrice)}`);
// #endregion money-equality

// #region money-immutable
try {
  // @ts-expect-error TypeScript refuses this line (amount is read-only), and so does protean-ts
  price.amount = 0.99;
} catch (error) {
  if (!(error instanceof IncorrectUsageError)) throw error;
  console.log(`Refused: ${error.message}`);
}
// #endregion money-immutable

// #region invariants
for (const make of [
  () => new Money({ amount: 9.999 }),
  () => new Isbn({ value: '9780441172710' }),
]) {
  try {
    make();
  } catch (error) {
    if (!(error instanceof InvariantViolation)) throw error;
    console.log(`Refused: ${error.message}`);
  }
}
// #endregion invariants

// #region add
const book = new Book({
  title: 'Dune',
  author: 'Frank Herbert',
  isbn: { value: '9780441172719' },
  price: { amount: 9.99, currency: 'USD' },
  genres: ['science fiction', 'classic'],
  publishedOn: new Date('1965-08-01'),
});
await domain.repository(Book).add(book);
// #endregion add
console.log(`Added "${book.title}": ${book.format}, ${book.price}, ISBN ${book.isbn}`);
console.log(`  genres: ${book.genres.join(', ')}; published on ${day(book.publishedOn)}`);

// #region get
const loaded = await domain.repository(Book).get(book.id);
// #endregion get
console.log(
  `Loaded it back: ${loaded.price}, equal to the price saved: ${loaded.price.equals(price)}`,
);
console.log(`  publishedOn is a Date again: ${loaded.publishedOn instanceof Date}`);

// #region reprice
loaded.reprice(new Money({ amount: 12.5 }));
await domain.repository(Book).add(loaded);
// #endregion reprice
const repriced = await domain.repository(Book).get(book.id);
console.log(`Repriced to ${repriced.price} (version ${repriced._version})`);

// #region invalid
try {
  new Book({
    title: '',
    author: 'J. R. R. Tolkien',
    isbn: { value: '978054792822' },
    price: { amount: -5, currency: 'usd' },
    genres: ['fantasy', 'a genre name far too long to be one'],
  });
} catch (error) {
  if (!(error instanceof ValidationError)) throw error;
  console.log(`Rejected: ${JSON.stringify(error.errors, null, 2)}`);
}
// #endregion invalid

console.log(`Books stored: ${await domain.repository(Book).count()}`);
await domain.close();

/** A calendar date as YYYY-MM-DD. */
function day(date: Date | undefined): string {
  return date ? date.toISOString().slice(0, 10) : 'unknown';
}
