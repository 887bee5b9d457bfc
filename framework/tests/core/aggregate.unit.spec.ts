import { describe, expect, it } from 'vitest';
import {
  Domain,
  ExpectedVersionError,
  field,
  IncorrectUsageError,
  NotFoundError,
  ProteanError,
  ValidationError,
} from '../../src/index.js';

function bookshelf() {
  const domain = new Domain({ name: 'bookshelf' });
  class Book extends domain.aggregate('Book', {
    title: field.string({ required: true, maxLength: 20 }),
    pages: field.integer({ min: 1 }),
    status: field.choice(['available', 'checked_out'], { default: 'available' }),
  }) {
    checkOut() {
      this.status = 'checked_out';
    }
  }
  return { domain, Book };
}

describe('aggregates', () => {
  it('builds an instance with defaults and a generated id', () => {
    const { Book } = bookshelf();
    const book = new Book({ title: 'Dune' });
    expect(book.status).toBe('available');
    expect(book.pages).toBeUndefined();
    expect(book.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(book._version).toBe(0);
    expect(Book.name).toBe('Book');
  });

  it('keeps an id given at construction', () => {
    const { Book } = bookshelf();
    expect(new Book({ id: 'book-1', title: 'Dune' }).id).toBe('book-1');
  });

  it('reports every invalid field at once, with a stable code', () => {
    const { Book } = bookshelf();
    const attempt = () =>
      new Book({ title: 'x'.repeat(21), pages: 0, status: 'lost' as 'available' });
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (error) {
      expect(error).toBeInstanceOf(ProteanError);
      expect((error as ValidationError).code).toBe('VALIDATION_ERROR');
      expect((error as ValidationError).errors).toEqual({
        title: ['must be at most 20 characters long'],
        pages: ['must be >= 1'],
        status: ['must be one of available, checked_out, received "lost"'],
      });
      expect((error as Error).message).toContain(
        'Book is invalid: title must be at most 20 characters long',
      );
    }
  });

  it('rejects data for fields it does not declare', () => {
    const { Book } = bookshelf();
    const input = { title: 'Dune', colour: 'blue' } as unknown as { title: string };
    expect(() => new Book(input)).toThrow(/colour is not a field of Book/);
  });

  it('checks assignments like construction', () => {
    const { Book } = bookshelf();
    const book = new Book({ title: 'Dune' });
    expect(() => {
      book.pages = -3;
    }).toThrow(/pages must be >= 1/);
    book.checkOut();
    expect(book.status).toBe('checked_out');
  });

  it('refuses reserved field names and badly formed element names', () => {
    const domain = new Domain({ name: 'shop' });
    expect(() => domain.aggregate('Order', { id: field.string() })).toThrow(/"id" is reserved/);
    expect(() => domain.aggregate('order', {})).toThrow(IncorrectUsageError);
    expect(() => domain.aggregate('order', {})).toThrow(/use PascalCase/);
  });

  it('refuses to register two aggregates with one name', () => {
    const { domain } = bookshelf();
    expect(() => domain.aggregate('Book', {})).toThrow(
      /Book is already registered in domain "bookshelf"/,
    );
  });

  it('refuses a domain name that cannot name streams', () => {
    expect(() => new Domain({ name: 'Book Shelf' })).toThrow(
      /Domain name "Book Shelf" is not valid/,
    );
  });
});

describe('repositories on the memory database', () => {
  it('round-trips an aggregate as an instance of its own class', async () => {
    const { domain, Book } = bookshelf();
    await domain.init();
    const book = new Book({ title: 'Dune', pages: 412 });
    await domain.repository(Book).add(book);
    const loaded = await domain.repository(Book).get(book.id);
    expect(loaded).toBeInstanceOf(Book);
    expect(loaded.toJSON()).toEqual({
      id: book.id,
      title: 'Dune',
      pages: 412,
      status: 'available',
    });
    loaded.checkOut();
    expect((await domain.repository(Book).get(book.id)).status).toBe('available');
    await domain.close();
  });

  it('makes the second of two concurrent writers fail with ExpectedVersionError', async () => {
    const { domain, Book } = bookshelf();
    await domain.init();
    const books = domain.repository(Book);
    const book = await books.add(new Book({ title: 'Dune' }));
    const first = await books.get(book.id);
    const second = await books.get(book.id);
    first.checkOut();
    await books.add(first);
    second.title = 'Dune Messiah';
    const error = await books.add(second).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ExpectedVersionError);
    expect(error).toMatchObject({ code: 'EXPECTED_VERSION_ERROR', expected: 1, actual: 2 });
    expect((error as Error).message).toMatch(/load it again and retry/);
    await domain.close();
  });

  it('removes, counts and says NOT_FOUND for what is gone', async () => {
    const { domain, Book } = bookshelf();
    await domain.init();
    const books = domain.repository(Book);
    const book = await books.add(new Book({ title: 'Dune' }));
    expect(await books.count()).toBe(1);
    expect(await books.remove(book)).toBe(true);
    expect(await books.remove(book)).toBe(false);
    expect(await books.getOrNull(book.id)).toBeNull();
    await expect(books.get(book.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(books.get(book.id)).rejects.toThrow(NotFoundError);
    await domain.close();
  });

  it('refuses a class of another domain', async () => {
    const { Book } = bookshelf();
    const other = new Domain({ name: 'lending' });
    await other.init();
    expect(() => other.repository(Book)).toThrow(
      /Book is not an aggregate or projection of domain "lending"/,
    );
    await other.close();
  });

  it('names the known providers when the configured one does not exist', async () => {
    const domain = new Domain({
      name: 'shop',
      config: { databases: { default: { provider: 'mongo' as 'memory' } } },
    });
    await expect(domain.init()).rejects.toThrow(
      'databases.default.provider: unknown provider "mongo"; expected one of memory',
    );
  });
});
