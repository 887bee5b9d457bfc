import { field } from 'protean-ts';
import { domain } from './domain.js';
import { Isbn, Money } from './values.js';

// #region book-added
/** A book joined the catalogue, with this many copies in the warehouse. */
export const BookAdded = domain.event(
  'BookAdded',
  {
    bookId: field.identifier({ required: true }),
    title: field.string({ required: true }),
    author: field.string({ required: true }),
    isbn: field.valueObject(Isbn, { required: true }),
    price: field.valueObject(Money, { required: true }),
    copies: field.integer({ required: true, min: 0 }),
  },
  { partOf: 'Book' },
);
// #endregion book-added

// #region book
export class Book extends domain.aggregate('Book', {
  title: field.string({ required: true, maxLength: 200 }),
  author: field.string({ required: true }),
  isbn: field.valueObject(Isbn, { required: true }),
  price: field.valueObject(Money, { required: true }),
  format: field.choice(['hardcover', 'paperback', 'ebook'], { default: 'paperback' }),
  genres: field.list(field.string({ maxLength: 30 })),
  publishedOn: field.date(),
  addedAt: field.datetime({ default: () => new Date() }),
}) {
  // #region add
  /** Adds a book to the catalogue, with the copies the warehouse holds, and records it. */
  static add(details: ConstructorParameters<typeof Book>[0], copies: number): Book {
    const book = new Book(details);
    const { id: bookId, title, author, isbn, price } = book;
    book.raise(BookAdded, { bookId, title, author, isbn, price, copies });
    return book;
  }
  // #endregion add

  // #region reprice
  /** A price is a value: a new price replaces the old one whole. */
  reprice(price: Money): void {
    this.price = price;
  }
  // #endregion reprice
}
// #endregion book
