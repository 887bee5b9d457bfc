/**
 * Examples for the processing guide: a small Bookshelf with a shelf that holds at most two books.
 * Adding a book raises BookAdded; the Shelver reacts by putting the book on the shelf.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  Domain,
  EventDispatchError,
  ExpectedVersionError,
  field,
  InvariantViolation,
} from '../../src/index.js';

// #region model
const domain = new Domain({ name: 'bookshelf', config: {} });

class Book extends domain.aggregate('Book', {
  title: field.string({ required: true }),
  price: field.number({ required: true, min: 0 }),
}) {
  static add(title: string, price: number): Book {
    const book = new Book({ title, price });
    book.raise(BookAdded, { bookId: book.id, title });
    return book;
  }

  reprice(price: number): void {
    this.price = price;
  }
}

const BookAdded = domain.event(
  'BookAdded',
  { bookId: field.identifier({ required: true }), title: field.string({ required: true }) },
  { partOf: Book },
);

const AddBook = domain.command(
  'AddBook',
  { title: field.string({ required: true }), price: field.number({ required: true }) },
  { partOf: Book },
);

domain.handle(AddBook, async ({ title, price }, { repository }) => {
  const book = Book.add(title, price);
  await repository(Book).add(book);
  return book.id;
});

// #region shelf
class Shelf extends domain.aggregate('Shelf', {
  name: field.string({ required: true, identifier: true }),
  books: field.list(field.identifier()),
}) {
  put(bookId: string): void {
    if (this.books.length >= 2) {
      throw new InvariantViolation(`shelf ${this.name} is full`);
    }
    this.books.push(bookId);
  }
}
// #endregion shelf

// #region shelver
domain.eventHandler('Shelver').on(BookAdded, async ({ bookId }, { repository }) => {
  const shelf =
    (await repository(Shelf).getOrNull('new-arrivals')) ?? new Shelf({ name: 'new-arrivals' });
  shelf.put(bookId);
  await repository(Shelf).add(shelf);
});
// #endregion shelver
// #endregion model

beforeEach(async () => {
  await domain.init();
});

afterEach(async () => {
  await domain.close();
});

describe('processing a command', () => {
  it('passes a correlation id on to the events the command causes', async () => {
    // #region correlation
    const addBook = new AddBook({ title: 'Dune', price: 9.99 });
    await domain.process(addBook, { correlationId: 'request-42' });

    const [added] = await domain.eventStore.readCategory('bookshelf::book');
    expect(added).toMatchObject({
      type: 'Bookshelf.BookAdded.v1',
      kind: 'EVENT',
      metadata: { correlationId: 'request-42', aggregateVersion: 1 },
    });
    expect(added?.metadata.causationId).toEqual(expect.any(String));
    expect(added?.stream).toMatch(/^bookshelf::book-[0-9a-f-]{36}$/);
    // #endregion correlation
  });

  it('refuses a save based on a version that is no longer the stored one', async () => {
    // #region optimistic-concurrency
    const bookId = await domain.process<string>(new AddBook({ title: 'Dune', price: 9.99 }));
    const books = domain.repository(Book);

    const mine = await books.get(bookId); // loaded at version 1
    const theirs = await books.get(bookId); // loaded at version 1 too
    theirs.reprice(12);
    await books.add(theirs); // stored: version 2

    mine.reprice(8.5);
    await expect(books.add(mine)).rejects.toBeInstanceOf(ExpectedVersionError);
    expect((await books.get(bookId)).price).toBe(12);
    // #endregion optimistic-concurrency
  });

  it('keeps the command committed when a reaction fails', async () => {
    // #region event-dispatch-error
    await domain.repository(Shelf).add(new Shelf({ name: 'new-arrivals', books: ['b-1', 'b-2'] }));

    const error = await domain
      .process(new AddBook({ title: 'Dune', price: 9.99 }))
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(EventDispatchError);
    expect((error as EventDispatchError).message).toContain(
      'Shelver on Bookshelf.BookAdded.v1: shelf new-arrivals is full',
    );
    expect(await domain.repository(Book).count()).toBe(1);
    expect((await domain.repository(Shelf).get('new-arrivals')).books).toEqual(['b-1', 'b-2']);
    // #endregion event-dispatch-error
  });
});
