import { field } from 'protean-ts';
import { domain } from './domain.js';
import { Isbn, Money } from './values.js';

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
  /** Adds a book to the catalogue. */
  static add(details: ConstructorParameters<typeof Book>[0]): Book {
    return new Book(details);
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
