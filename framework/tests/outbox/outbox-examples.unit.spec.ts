/**
 * Examples for the outbox guide: a small Bookshelf with the outbox on. Adding a book raises
 * BookAdded; the Shelver reacts by putting the book on a shelf that holds at most two.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { Domain, field, InvariantViolation } from '../../src/index.js';
import type { DomainConfigInput } from '../../src/index.js';

// #region model
function bookshelf(config: DomainConfigInput) {
  const domain = new Domain({ name: 'bookshelf', config });

  class Book extends domain.aggregate('Book', {
    title: field.string({ required: true }),
    price: field.number({ required: true, min: 0 }),
  }) {
    static add(title: string, price: number): Book {
      const book = new Book({ title, price });
      book.raise(BookAdded, { bookId: book.id, title });
      return book;
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

  class Shelf extends domain.aggregate('Shelf', {
    name: field.string({ required: true, identifier: true }),
    books: field.list(field.identifier()),
  }) {
    put(bookId: string): void {
      if (this.books.length >= 2) throw new InvariantViolation(`shelf ${this.name} is full`);
      this.books.push(bookId);
    }
  }

  domain.eventHandler('Shelver').on(BookAdded, async ({ bookId }, { repository }) => {
    const shelf = await repository(Shelf).get('new-arrivals');
    shelf.put(bookId);
    await repository(Shelf).add(shelf);
  });

  return { domain, AddBook, Shelf };
}
// #endregion model

let opened: Domain | undefined;

afterEach(async () => {
  await opened?.close();
  opened = undefined;
});

describe('the outbox', () => {
  it('holds one row per committed event, with its envelope', async () => {
    const { domain, AddBook, Shelf } = bookshelf({ enable_outbox: true });
    opened = domain;
    await domain.init();
    await domain.repository(Shelf).add(new Shelf({ name: 'new-arrivals' }));
    // #region outbox-row
    const bookId = await domain.process<string>(new AddBook({ title: 'Dune', price: 9.99 }));

    const waiting = await domain.outbox.claim({ owner: 'example', limit: 10, leaseSeconds: 30 });
    expect(waiting).toHaveLength(1);
    expect(waiting[0]).toMatchObject({
      broker: 'default',
      message: { type: 'Bookshelf.BookAdded.v1', stream: `bookshelf::book-${bookId}` },
    });
    // #endregion outbox-row
  });

  it('holds nothing of a command whose handler failed', async () => {
    const { domain, AddBook } = bookshelf({ enable_outbox: true });
    opened = domain;
    await domain.init();
    // #region outbox-rollback
    const refused = domain.process(new AddBook({ title: 'Dune', price: -1 })); // a price below 0
    await expect(refused).rejects.toThrow('price must be >= 0');

    expect(await domain.outbox.countByStatus()).toMatchObject({ pending: 0, processing: 0 });
    // #endregion outbox-rollback
  });
});

describe('idempotent delivery', () => {
  it('applies a handler once per message, and again after it failed', async () => {
    const { domain, AddBook, Shelf } = bookshelf({ event_processing: 'async' });
    opened = domain;
    await domain.init();
    // #region idempotent-redelivery
    await domain.repository(Shelf).add(new Shelf({ name: 'new-arrivals' }));
    await domain.process(new AddBook({ title: 'Dune', price: 9.99 }));
    const [added] = await domain.eventStore.readCategory('bookshelf::book');
    const shelf = () => domain.repository(Shelf).get('new-arrivals');

    await domain.handleMessage(added!, { handler: 'Shelver', idempotent: true });
    await domain.handleMessage(added!, { handler: 'Shelver', idempotent: true });
    expect((await shelf()).books).toHaveLength(1);

    await domain.handleMessage(added!, { handler: 'Shelver' }); // not idempotent: applied again
    expect((await shelf()).books).toHaveLength(2);
    // #endregion idempotent-redelivery

    // #region idempotent-retry
    await domain.process(new AddBook({ title: 'Emma', price: 4.5 }));
    const emmaAdded = (await domain.eventStore.readCategory('bookshelf::book'))[1];

    await expect(
      domain.handleMessage(emmaAdded!, { handler: 'Shelver', idempotent: true }),
    ).rejects.toThrow('shelf new-arrivals is full');

    const full = await shelf();
    full.books = []; // someone makes room
    await domain.repository(Shelf).add(full);

    await domain.handleMessage(emmaAdded!, { handler: 'Shelver', idempotent: true });
    expect((await shelf()).books).toEqual([emmaAdded?.data['bookId']]);
    // #endregion idempotent-retry
  });
});
