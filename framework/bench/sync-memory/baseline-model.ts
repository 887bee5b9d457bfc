/**
 * The baseline's domain model for sync-memory, written without a framework: commands validated
 * at the boundary, a Money value object and a Book class that keep their invariants and record
 * the events they cause.
 */
import { randomUUID } from 'node:crypto';
import type { AddBookInput, RepriceBookInput } from './workload.js';

type FieldErrors = Record<string, string[]>;

export class ValidationError extends Error {
  constructor(
    what: string,
    readonly errors: FieldErrors,
  ) {
    super(`${what} is not valid: ${JSON.stringify(errors)}`);
  }
}
export class InvariantViolation extends Error {}
export class NotFoundError extends Error {}
export class ConcurrencyError extends Error {}

interface TextRules {
  readonly maxLength?: number;
  readonly length?: number;
  readonly pattern?: RegExp;
}

function text(errors: FieldErrors, name: string, value: unknown, rules: TextRules = {}): string {
  const problems: string[] = [];
  if (typeof value !== 'string' || value.trim() === '') problems.push('is required');
  else {
    if (rules.maxLength !== undefined && value.length > rules.maxLength)
      problems.push(`must be at most ${rules.maxLength} characters`);
    if (rules.length !== undefined && value.length !== rules.length)
      problems.push(`must be exactly ${rules.length} characters`);
    if (rules.pattern && !rules.pattern.test(value))
      problems.push(`must match ${String(rules.pattern)}`);
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

export function parseAddBook(input: AddBookInput): AddBookInput {
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

export function parseRepriceBook(input: RepriceBookInput): RepriceBookInput {
  const errors: FieldErrors = {};
  const command = {
    bookId: text(errors, 'bookId', input.bookId),
    amount: amount(errors, 'amount', input.amount),
  };
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
    if (Math.round(value * 100) !== value * 100)
      throw new InvariantViolation('Money: amount has more than two decimals');
    Object.freeze(this);
  }
}

export type BookEvent =
  | {
      type: 'BookAdded';
      data: { bookId: string; title: string; author: string; price: number; currency: string };
    }
  | { type: 'BookRepriced'; data: { bookId: string; amount: number; currency: string } };

export interface BookState {
  id: string;
  title: string;
  author: string;
  isbn: string;
  price: { amount: number; currency: string };
  version: number;
}

export class Book {
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
    book.#events.push({
      type: 'BookAdded',
      data: { bookId: book.id, title, author, price, currency },
    });
    return book;
  }

  static fromState(state: BookState): Book {
    const { id, title, author, isbn, price, version } = state;
    return new Book(id, title, author, isbn, new Money(price.amount, price.currency), version);
  }

  reprice(amount: number): void {
    this.price = new Money(amount, this.price.currency);
    this.#checkInvariants();
    this.#events.push({
      type: 'BookRepriced',
      data: { bookId: this.id, amount, currency: this.price.currency },
    });
  }

  toState(version: number): BookState {
    const { id, title, author, isbn } = this;
    return {
      id,
      title,
      author,
      isbn,
      price: { amount: this.price.amount, currency: this.price.currency },
      version,
    };
  }

  pullEvents(): BookEvent[] {
    return this.#events.splice(0);
  }

  #checkInvariants(): void {
    if (!(this.price.amount > 0))
      throw new InvariantViolation('Book: a book on sale must cost more than 0');
  }
}
