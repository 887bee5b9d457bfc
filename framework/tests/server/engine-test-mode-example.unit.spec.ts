/** The processing guide's test-mode example: an engine that drains what is waiting, then stops. */
import { afterEach, expect, it } from 'vitest';
import { Domain, field } from '../../src/index.js';
import { Engine } from '../../src/server/index.js';

const domain = new Domain({ name: 'bookshelf', config: { event_processing: 'async' } });

class Book extends domain.aggregate('Book', { title: field.string({ required: true }) }) {
  static add(title: string): Book {
    const book = new Book({ title });
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
  { title: field.string({ required: true }) },
  { partOf: Book },
);

domain.handle(AddBook, async ({ title }, { repository }) => {
  const book = Book.add(title);
  await repository(Book).add(book);
  return book.id;
});

const BookCatalog = domain.projection('BookCatalog', {
  bookId: field.identifier({ identifier: true }),
  title: field.string({ required: true }),
});

domain
  .projector('CatalogProjector', { projections: [BookCatalog] })
  .on(BookAdded, async ({ bookId, title }, { repository }) => {
    await repository(BookCatalog).add(new BookCatalog({ bookId, title }));
  });

afterEach(async () => {
  await domain.close();
});

it('processes everything that is waiting, then stops with exit code 0', async () => {
  await domain.init();
  // #region test-mode
  await domain.process(new AddBook({ title: 'Dune' }));
  await domain.process(new AddBook({ title: 'Emma' }));
  expect(await domain.view(BookCatalog).count()).toBe(0); // the events wait for the engine

  const engine = new Engine(domain, { testMode: true });
  await expect(engine.run()).resolves.toBe(0);

  expect(await domain.view(BookCatalog).count()).toBe(2);
  // #endregion test-mode
});
