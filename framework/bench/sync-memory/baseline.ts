/**
 * The baseline side of sync-memory: the same business logic written without a framework, the
 * way a careful developer would: commands validated at the boundary, a Money value object and a
 * Book class that keep their invariants, stores that copy state in and out (structuredClone,
 * as the memory database does), a version check on save, an append-only event log kept as JSON
 * text (as the memory event store does), and the catalog projection updated by a direct call.
 */
import { randomUUID } from 'node:crypto';
import type { AddBookInput, RepriceBookInput, Shelf, ShelfContents } from './workload.js';

type FieldErrors = Record<string, string[]>;

class ValidationError extends Error {
  constructor(what: string, readonly errors: FieldErrors) {
    super(`${what} is not valid: ${JSON.stringify(errors)}`);
  }
}
class InvariantViolation extends Error {}
class NotFoundError extends Error {}
class ConcurrencyError extends Error {}

interface TextRules {
  readonly maxLength?: number;
  readonly length?: number;
  readonly pattern?: RegExp;
}

function text(errors: FieldErrors, name: string, value: unknown, rules: TextRules = {}): string {
  const problems: string[] = [];
  if (typeof value !== 'string' || value.trim() === '') problems.push('is required');
  else {
    if (rules.maxLength !== undefined && value.length > rules.maxLength) problems.push(`must be at most ${rules.maxLength} characters`);
    if (rules.length !== undefined && value.length !== rules.length) problems.push(`must be exactly ${rules.length} characters`);
    if (rules.pattern && !rules.pattern.test(value)) problems.push(`must match ${String(rules.pattern)}`);
  }
  if (problems.length > 0) errors[name] = problems;
  return value as string;
}

function amount(errors: FieldErrors, name: string, value: unknown): number {
  if (typeof value !== 'number' || Number.isNaN(value)) errors[name] = ['must be a number'];
  else if (value < 0) errors[name] = ['must be >= 0'];
  return value as number;
}

function throwIfAny(what: string, errors: FieldErrors): void {
  if (Object.keys(errors).length > 0) throw new ValidationError(what, errors);
}

const ISBN = /^97[89]\d{10}$/;

function parseAddBook(input: AddBookInput): AddBookInput {
  const errors: FieldErrors = {};
  const command = {
    title: text(errors, 'title', input.title, { maxLength: 200 }),
    author: text(errors, 'author', input.author, { maxLength: 120 }),
    isbn: text(errors, 'isbn', input.isbn, { pattern: ISBN }),
    price: amount(errors, 'price', input.price),
  };
  throwIfAny('AddBook', errors);
  return command;
}

function parseRepriceBook(input: RepriceBookInput): RepriceBookInput {
  const errors: FieldErrors = {};
  const command = { bookId: text(errors, 'bookId', input.bookId), amount: amount(errors, 'amount', input.amount) };
  throwIfAny('RepriceBook', errors);
  return command;
}

class Money {
  readonly amount: number;
  readonly currency: string;

  constructor(value: number, currency = 'USD') {
    const errors: FieldErrors = {};
    this.amount = amount(errors, 'amount', value);
    this.currency = text(errors, 'currency', currency, { length: 3 });
    throwIfAny('Money', errors);
    if (Math.round(value * 100) !== value * 100) throw new InvariantViolation('Money: amount has more than two decimals');
    Object.freeze(this);
  }
}

type BookEvent =
  | { type: 'BookAdded'; data: { bookId: string; title: string; author: string; price: number; currency: string } }
  | { type: 'BookRepriced'; data: { bookId: string; amount: number; currency: string } };

interface BookState {
  id: string;
  title: string;
  author: string;
  isbn: string;
  price: { amount: number; currency: string };
  version: number;
}

class Book {
  readonly #events: BookEvent[] = [];

  private constructor(
    readonly id: string,
    readonly title: string,
    readonly author: string,
    readonly isbn: string,
    public price: Money,
    /** The version it was loaded at; 0 when new. */
    readonly version: number,
  ) {}

  static add({ title, author, isbn, price }: AddBookInput): Book {
    const book = new Book(randomUUID(), title, author, isbn, new Money(price), 0);
    book.#checkInvariants();
    const currency = book.price.currency;
    book.#events.push({ type: 'BookAdded', data: { bookId: book.id, title, author, price, currency } });
    return book;
  }

  static fromState(state: BookState): Book {
    const { id, title, author, isbn, price, version } = state;
    return new Book(id, title, author, isbn, new Money(price.amount, price.currency), version);
  }

  reprice(amount: number): void {
    this.price = new Money(amount, this.price.currency);
    this.#checkInvariants();
    this.#events.push({ type: 'BookRepriced', data: { bookId: this.id, amount, currency: this.price.currency } });
  }

  toState(version: number): BookState {
    const { id, title, author, isbn } = this;
    return { id, title, author, isbn, price: { amount: this.price.amount, currency: this.price.currency }, version };
  }

  pullEvents(): BookEvent[] {
    return this.#events.splice(0);
  }

  #checkInvariants(): void {
    if (!(this.price.amount > 0)) throw new InvariantViolation('Book: a book on sale must cost more than 0');
  }
}

class BookStore {
  readonly #rows = new Map<string, BookState>();

  async load(id: string): Promise<Book | undefined> {
    const row = this.#rows.get(id);
    return row && Book.fromState(structuredClone(row));
  }

  /** Saves the book if nobody saved it since it was loaded; resolves with its new version. */
  async save(book: Book): Promise<number> {
    const stored = this.#rows.get(book.id)?.version ?? 0;
    if (stored !== book.version) throw new ConcurrencyError(`book ${book.id} is at version ${stored}, not ${book.version}`);
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
    const logged = events.map(({ type, data }, i) => ({ id: randomUUID(), type, stream, position: first + i, data, recordedAt }));
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
    const { bookId, title, author, price, currency } = event.data as Extract<BookEvent, { type: 'BookAdded' }>['data'];
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
    const books = new Map(this.#books.all().map((b) => [b.id, { price: b.price.amount, version: b.version }]));
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
