import { beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from 'protean-ts';
import { given } from 'protean-ts/testing';
import { Book, BookAdded } from '../src/book.js';
import { domain } from '../src/domain.js';
import { Money } from '../src/values.js';

const dune = {
  title: 'Dune',
  author: 'Frank Herbert',
  isbn: { value: '9780441172719' },
  price: { amount: 9.99, currency: 'USD' },
};

describe('chapter 7: the Book aggregate', () => {
  beforeEach(async () => {
    await domain.close();
    await domain.init();
  });

  it('fills in defaults: a paperback, no genres, added now', () => {
    const before = Date.now();
    const outcome = given(Book)
      .when(() => new Book(dune))
      .thenState({ format: 'paperback', genres: [], publishedOn: undefined });
    expect(outcome.result?.addedAt.getTime()).toBeGreaterThanOrEqual(before);
  });

  it('builds its value objects from plain data', () => {
    given(Book)
      .when(() => new Book(dune))
      .thenState({ price: new Money({ amount: 9.99 }), isbn: { value: '9780441172719' } });
  });

  it('keeps the day a book was published, not the time', () => {
    given(Book)
      .when(() => new Book({ ...dune, publishedOn: new Date('1965-08-01T15:30:00Z') }))
      .thenState({ publishedOn: new Date('1965-08-01T00:00:00Z') });
  });

  it('names every bad field, nested ones and list items included', () => {
    const outcome = given(Book).when(
      () =>
        new Book({
          ...dune,
          title: '',
          price: { amount: -5, currency: 'usd' },
          // TypeScript refuses 'scroll' here; data from a form or a file arrives unchecked
          format: 'scroll' as never,
          genres: ['fantasy', 'x'.repeat(31)],
        }),
    );
    outcome.thenFails(ValidationError);
    expect((outcome.error as ValidationError).errors).toEqual({
      title: ['is required'],
      price: { amount: ['must be >= 0'], currency: ['must match /^[A-Z]{3}$/, received "usd"'] },
      format: ['must be one of hardcover, paperback, ebook, received "scroll"'],
      genres: { 1: ['must be at most 30 characters long'] },
    });
  });

  // #region book-added-test
  it('is added to the catalogue by Book.add(), which records that it was', () => {
    given(Book)
      .when(() => Book.add({ ...dune, format: 'hardcover' }, 3))
      .thenState({ title: 'Dune', format: 'hardcover', price: new Money({ amount: 9.99 }) })
      .thenRaised(BookAdded, { title: 'Dune', price: new Money({ amount: 9.99 }), copies: 3 });
  });
  // #endregion book-added-test

  it('raises nothing when it is only built: building is not adding', () => {
    given(Book)
      .when(() => new Book(dune))
      .thenEvents();
  });

  // #region reprice-test
  it('is repriced with a new Money', () => {
    given(new Book(dune))
      .when((book) => book.reprice(new Money({ amount: 12.5 })))
      .thenState({ price: { amount: 12.5, currency: 'USD' } });
  });
  // #endregion reprice-test

  it('comes back from the repository with its value objects and dates', async () => {
    const book = new Book({ ...dune, genres: ['classic'], publishedOn: new Date('1965-08-01') });
    await domain.repository(Book).add(book);

    const loaded = await domain.repository(Book).get(book.id);

    expect(loaded.price).toBeInstanceOf(Money);
    expect(loaded.price.equals(book.price)).toBe(true);
    expect(loaded.publishedOn).toEqual(new Date('1965-08-01T00:00:00Z'));
    expect(loaded.addedAt).toEqual(book.addedAt);
    expect(loaded.toJSON()).toEqual(book.toJSON());
  });
});
