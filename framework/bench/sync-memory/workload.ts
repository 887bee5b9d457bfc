/**
 * The sync-memory workload, identical for both sides: books are added and each is repriced
 * once, interleaved (Add 0, Add 1, Reprice 0, Add 2, Reprice 1, ..., Reprice n-1), so a reprice
 * always loads a book stored by an earlier command. Afterwards both sides are read back and
 * checked: n books, n catalog rows with the final prices, 2n events, two per book, in order.
 */
import { CorrectnessError } from '../lib/types.js';

/** What the AddBook command carries. */
export interface AddBookInput {
  readonly title: string;
  readonly author: string;
  readonly isbn: string;
  readonly price: number;
}

/** What the RepriceBook command carries. */
export interface RepriceBookInput {
  readonly bookId: string;
  readonly amount: number;
}

/** Everything a side stored, read back from its stores after a run. */
export interface ShelfContents {
  /** Book id -> its stored price and version. */
  readonly books: ReadonlyMap<string, { readonly price: number; readonly version: number }>;
  /** Book id -> the catalog row's price. */
  readonly catalog: ReadonlyMap<string, number>;
  /** Book id -> the names of the events in its stream, in order (`BookAdded`, ...). */
  readonly streams: ReadonlyMap<string, readonly string[]>;
  /** Every event in the log. */
  readonly eventCount: number;
}

/** One side's application, on fresh state. */
export interface Shelf {
  /** Processes AddBook; resolves with the new book's id. */
  addBook(input: AddBookInput): Promise<string>;
  /** Processes RepriceBook. */
  repriceBook(input: RepriceBookInput): Promise<void>;
  /** Reads every store back. */
  contents(): Promise<ShelfContents>;
  close(): Promise<void>;
}

/** Runs a step of the workload: timed, sampled, or as is. */
export type Around = <T>(step: () => Promise<T>) => Promise<T>;

const asIs: Around = (step) => step();

/** Book number `i`: valid input whose prices are exact in binary (no rounding surprises). */
export function bookInput(i: number): AddBookInput {
  return {
    title: `Book number ${i}`,
    author: `Author ${i % 97}`,
    isbn: `978${String(i).padStart(10, '0')}`,
    price: 5 + (i % 40) + 0.5,
  };
}

/** The price book `i` is repriced to. */
export const repricedTo = (i: number): number => bookInput(i).price + 1.25;

/** Runs 2 x `books` commands; resolves with each book's expected final price. */
export async function drive(
  shelf: Shelf,
  books: number,
  around: Around = asIs,
): Promise<Map<string, number>> {
  const expected = new Map<string, number>();
  let previous: RepriceBookInput | undefined;
  for (let i = 0; i < books; i++) {
    const bookId = await around(() => shelf.addBook(bookInput(i)));
    if (previous) await around(() => shelf.repriceBook(previous as RepriceBookInput));
    previous = { bookId, amount: repricedTo(i) };
    expected.set(bookId, previous.amount);
  }
  if (previous) await around(() => shelf.repriceBook(previous as RepriceBookInput));
  return expected;
}

function checkBooks(
  expected: ReadonlyMap<string, number>,
  contents: ShelfContents,
  problems: string[],
): void {
  if (contents.books.size !== expected.size)
    problems.push(`${contents.books.size} books stored, expected ${expected.size}`);
  for (const [id, price] of expected) {
    const book = contents.books.get(id);
    if (!book) problems.push(`book ${id} is missing`);
    else if (book.price !== price || book.version !== 2) {
      problems.push(
        `book ${id} has price ${book.price} at version ${book.version}, expected ${price} at version 2`,
      );
    }
  }
}

function checkCatalog(
  expected: ReadonlyMap<string, number>,
  contents: ShelfContents,
  problems: string[],
): void {
  if (contents.catalog.size !== expected.size)
    problems.push(`${contents.catalog.size} catalog rows, expected ${expected.size}`);
  for (const [id, price] of expected) {
    const row = contents.catalog.get(id);
    if (row !== price)
      problems.push(`catalog row of book ${id} has price ${row}, expected ${price}`);
  }
}

function checkEvents(
  expected: ReadonlyMap<string, number>,
  contents: ShelfContents,
  problems: string[],
): void {
  if (contents.eventCount !== 2 * expected.size)
    problems.push(`${contents.eventCount} events stored, expected ${2 * expected.size}`);
  if (contents.streams.size !== expected.size)
    problems.push(`${contents.streams.size} book streams, expected ${expected.size}`);
  for (const id of expected.keys()) {
    const names = contents.streams.get(id)?.join(', ') ?? 'no stream';
    if (names !== 'BookAdded, BookRepriced')
      problems.push(`stream of book ${id} holds ${names}, expected BookAdded, BookRepriced`);
  }
}

/** Throws `CorrectnessError` unless the side stored exactly what the workload asked for. */
export async function verify(
  side: string,
  shelf: Shelf,
  expected: ReadonlyMap<string, number>,
): Promise<void> {
  const contents = await shelf.contents();
  const problems: string[] = [];
  checkBooks(expected, contents, problems);
  checkCatalog(expected, contents, problems);
  checkEvents(expected, contents, problems);
  if (problems.length > 0) throw new CorrectnessError(side, problems);
}
