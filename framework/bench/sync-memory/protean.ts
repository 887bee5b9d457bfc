/**
 * The protean-ts side of sync-memory: a slice of the Bookshelf model (a Book aggregate with a
 * Money value object, AddBook and RepriceBook commands, BookAdded and BookRepriced events, a
 * BookCatalog projection) on the default memory adapters, driven through `domain.process()`.
 */
import { categoryOf, Domain, field, InvariantViolation, streamId } from 'protean-ts';
import type { StoredMessage } from 'protean-ts';
import type { AddBookInput, RepriceBookInput, Shelf, ShelfContents } from './workload.js';

function ensure(condition: boolean, message: string): void {
  if (!condition) throw new InvariantViolation(message);
}

/** Declares the model on a new domain; called once per process, the domain is reused. */
function declareModel() {
  // An explicit config (the defaults: memory database and event store, sync processing), so no
  // domain.toml anywhere above this folder is read.
  const domain = new Domain({ name: 'bench', config: {} });

  const Money = domain.valueObject(
    'Money',
    {
      amount: field.number({ required: true, min: 0 }),
      currency: field.string({ length: 3, default: 'USD' }),
    },
    {
      invariants: {
        roundedToCents: (m) =>
          ensure(
            Math.round(m.amount * 100) === m.amount * 100,
            'amount has more than two decimals',
          ),
      },
    },
  );

  class Book extends domain.aggregate(
    'Book',
    {
      title: field.string({ required: true, maxLength: 200 }),
      author: field.string({ required: true, maxLength: 120 }),
      isbn: field.string({ required: true, pattern: /^97[89]\d{10}$/ }),
      price: field.valueObject(Money, { required: true }),
    },
    {
      invariants: {
        onSaleForMoney: (b) => ensure(b.price.amount > 0, 'a book on sale must cost more than 0'),
      },
    },
  ) {
    reprice(amount: number): void {
      this.price = new Money({ amount, currency: this.price.currency });
      this.raise(BookRepriced, { bookId: this.id, amount, currency: this.price.currency });
    }
  }

  const AddBook = domain.command(
    'AddBook',
    {
      title: field.string({ required: true, maxLength: 200 }),
      author: field.string({ required: true, maxLength: 120 }),
      isbn: field.string({ required: true, pattern: /^97[89]\d{10}$/ }),
      price: field.number({ required: true, min: 0 }),
    },
    { partOf: Book },
  );
  const RepriceBook = domain.command(
    'RepriceBook',
    {
      bookId: field.identifier({ required: true, identifier: true }),
      amount: field.number({ required: true, min: 0 }),
    },
    { partOf: Book },
  );

  const BookAdded = domain.event(
    'BookAdded',
    {
      bookId: field.identifier({ required: true }),
      title: field.string({ required: true }),
      author: field.string({ required: true }),
      price: field.number({ required: true }),
      currency: field.string({ required: true }),
    },
    { partOf: Book },
  );
  const BookRepriced = domain.event(
    'BookRepriced',
    {
      bookId: field.identifier({ required: true }),
      amount: field.number({ required: true }),
      currency: field.string({ required: true }),
    },
    { partOf: Book },
  );

  const BookCatalog = domain.projection('BookCatalog', {
    bookId: field.identifier({ identifier: true }),
    title: field.string({ required: true }),
    author: field.string({ required: true }),
    price: field.number({ required: true }),
    currency: field.string({ required: true }),
  });

  domain.handle(AddBook, async (command, { repository }) => {
    const { title, author, isbn, price } = command;
    const book = new Book({ title, author, isbn, price: { amount: price } });
    book.raise(BookAdded, { bookId: book.id, title, author, price, currency: book.price.currency });
    await repository(Book).add(book);
    return book.id;
  });

  domain.handle(RepriceBook, async (command, { repository }) => {
    const book = await repository(Book).get(command.bookId);
    book.reprice(command.amount);
    await repository(Book).add(book);
  });

  domain
    .projector('CatalogProjector', { projections: [BookCatalog] })
    .on(BookAdded, async (event, { repository }) => {
      const { bookId, title, author, price, currency } = event;
      await repository(BookCatalog).add(
        new BookCatalog({ bookId, title, author, price, currency }),
      );
    })
    .on(BookRepriced, async (event, { repository }) => {
      const row = await repository(BookCatalog).get(event.bookId);
      row.price = event.amount;
      await repository(BookCatalog).add(row);
    });

  return { domain, Book, BookCatalog, AddBook, RepriceBook };
}

type Model = ReturnType<typeof declareModel>;

/** Every event of the book category, page by page. */
async function allEvents(domain: Domain): Promise<StoredMessage[]> {
  const events: StoredMessage[] = [];
  for (;;) {
    const fromGlobalPosition = (events.at(-1)?.metadata.globalPosition ?? 0) + 1;
    const page = await domain.eventStore.readCategory('bench::book', {
      fromGlobalPosition,
      batchSize: 5000,
    });
    if (page.length === 0) return events;
    events.push(...page);
  }
}

async function readContents({ domain, Book, BookCatalog }: Model): Promise<ShelfContents> {
  const books = new Map(
    (await domain.repository(Book).find()).map((b) => [
      b.id,
      { price: b.price.amount, version: b._version },
    ]),
  );
  const catalog = new Map(
    (await domain.view(BookCatalog).find()).map((row) => [row.id, row.price]),
  );
  const events = await allEvents(domain);
  const streams = new Map<string, string[]>();
  for (const event of events) {
    if (categoryOf(event.stream) !== 'bench::book') continue;
    const id = streamId(event.stream) ?? '';
    streams.set(id, [...(streams.get(id) ?? []), event.type.split('.')[1] ?? event.type]);
  }
  return { books, catalog, streams, eventCount: events.length };
}

/** Opens the protean-ts side on fresh memory adapters; the model is declared once. */
export function proteanShelves(): () => Promise<Shelf> {
  const model = declareModel();
  const { domain, AddBook, RepriceBook } = model;
  return async () => {
    await domain.init();
    return {
      addBook: (input: AddBookInput) => domain.process<string>(new AddBook(input)),
      repriceBook: (input: RepriceBookInput) => domain.process<void>(new RepriceBook(input)),
      contents: () => readContents(model),
      close: () => domain.close(),
    };
  };
}
