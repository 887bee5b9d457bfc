/**
 * The baseline side of sync-memory: the same business logic written without a framework, the
 * way a careful developer would: commands validated at the boundary, a Money value object and a
 * Book class that keep their invariants, stores that copy state in and out (structuredClone,
 * as the memory database does), a version check on save, an append-only event log kept as JSON
 * text (as the memory event store does), and the catalog projection updated by a direct call.
 */
import { randomUUID } from 'node:crypto';
import {
  Book,
  ConcurrencyError,
  NotFoundError,
  parseAddBook,
  parseRepriceBook,
} from './baseline-model.js';
import type { BookEvent, BookState } from './baseline-model.js';
import type { AddBookInput, RepriceBookInput, Shelf, ShelfContents } from './workload.js';

class BookStore {
  readonly #rows = new Map<string, BookState>();

  async load(id: string): Promise<Book | undefined> {
    const row = this.#rows.get(id);
    return row && Book.fromState(structuredClone(row));
  }

  /** Saves the book if nobody saved it since it was loaded; resolves with its new version. */
  async save(book: Book): Promise<number> {
    const stored = this.#rows.get(book.id)?.version ?? 0;
    if (stored !== book.version)
      throw new ConcurrencyError(`book ${book.id} is at version ${stored}, not ${book.version}`);
    this.#rows.set(book.id, structuredClone(book.toState(stored + 1)));
    return stored + 1;
  }

  all(): BookState[] {
    return [...this.#rows.values()].map((row) => structuredClone(row));
  }
}

interface LoggedEvent {
  readonly id: string;
  readonly type: BookEvent['type'];
  readonly stream: string;
  readonly position: number;
  readonly data: BookEvent['data'];
  readonly recordedAt: string;
}

class EventLog {
  readonly #entries: string[] = [];
  readonly #nextPosition = new Map<string, number>();

  async append(stream: string, events: readonly BookEvent[]): Promise<LoggedEvent[]> {
    const first = this.#nextPosition.get(stream) ?? 0;
    const recordedAt = new Date().toISOString();
    const logged = events.map(({ type, data }, i) => ({
      id: randomUUID(),
      type,
      stream,
      position: first + i,
      data,
      recordedAt,
    }));
    for (const event of logged) this.#entries.push(JSON.stringify(event));
    this.#nextPosition.set(stream, first + logged.length);
    return logged;
  }

  async readAll(): Promise<LoggedEvent[]> {
    return this.#entries.map((json) => JSON.parse(json) as LoggedEvent);
  }
}

interface CatalogRow {
  bookId: string;
  title: string;
  author: string;
  price: number;
  currency: string;
}

class CatalogStore {
  readonly #rows = new Map<string, CatalogRow>();

  async get(bookId: string): Promise<CatalogRow | undefined> {
    const row = this.#rows.get(bookId);
    return row && structuredClone(row);
  }

  async put(row: CatalogRow): Promise<void> {
    this.#rows.set(row.bookId, structuredClone(row));
  }

  all(): CatalogRow[] {
    return [...this.#rows.values()].map((row) => structuredClone(row));
  }
}

async function project(catalog: CatalogStore, event: LoggedEvent): Promise<void> {
  if (event.type === 'BookAdded') {
    const { bookId, title, author, price, currency } = event.data as Extract<
      BookEvent,
      { type: 'BookAdded' }
    >['data'];
    await catalog.put({ bookId, title, author, price, currency });
    return;
  }
  const { bookId, amount } = event.data as Extract<BookEvent, { type: 'BookRepriced' }>['data'];
  const row = await catalog.get(bookId);
  if (!row) throw new NotFoundError(`catalog row of book ${bookId} not found`);
  row.price = amount;
  await catalog.put(row);
}

/** The application: command handlers calling the stores and the projector directly. */
class BaselineShelf implements Shelf {
  readonly #books = new BookStore();
  readonly #log = new EventLog();
  readonly #catalog = new CatalogStore();

  async addBook(input: AddBookInput): Promise<string> {
    const book = Book.add(parseAddBook(input));
    await this.#save(book);
    return book.id;
  }

  async repriceBook(input: RepriceBookInput): Promise<void> {
    const command = parseRepriceBook(input);
    const book = await this.#books.load(command.bookId);
    if (!book) throw new NotFoundError(`book ${command.bookId} not found`);
    book.reprice(command.amount);
    await this.#save(book);
  }

  async contents(): Promise<ShelfContents> {
    const books = new Map(
      this.#books.all().map((b) => [b.id, { price: b.price.amount, version: b.version }]),
    );
    const catalog = new Map(this.#catalog.all().map((row) => [row.bookId, row.price]));
    const events = await this.#log.readAll();
    const streams = new Map<string, string[]>();
    for (const event of events) {
      const id = event.stream.slice('book-'.length);
      streams.set(id, [...(streams.get(id) ?? []), event.type]);
    }
    return { books, catalog, streams, eventCount: events.length };
  }

  async close(): Promise<void> {}

  async #save(book: Book): Promise<void> {
    const events = book.pullEvents();
    await this.#books.save(book);
    const logged = await this.#log.append(`book-${book.id}`, events);
    for (const event of logged) await project(this.#catalog, event);
  }
}

/** Opens the baseline side on fresh state. */
export function baselineShelves(): () => Promise<Shelf> {
  return async () => new BaselineShelf();
}
