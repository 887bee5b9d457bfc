import { beforeEach, describe, expect, it } from 'vitest';
import { IncorrectUsageError, NotFoundError, ValidationError } from 'protean-ts';
import { Book, domain } from '../src/domain.js';

describe('chapter 1: the Book aggregate', () => {
  beforeEach(async () => {
    await domain.close();
    await domain.init();
  });

  it('stores a book and loads an equal copy by id', async () => {
    const book = new Book({ title: 'Dune', author: 'Frank Herbert', isbn: '9780441172719' });
    await domain.repository(Book).add(book);

    const loaded = await domain.repository(Book).get(book.id);

    expect(loaded).not.toBe(book);
    expect(loaded).toBeInstanceOf(Book);
    expect(loaded.toJSON()).toEqual(book.toJSON());
    expect(loaded._version).toBe(1);
  });

  it('keeps changes out of the database until the book is added again', async () => {
    const book = new Book({ title: 'Dune', author: 'Frank Herbert' });
    await domain.repository(Book).add(book);

    book.title = 'Dune Messiah';
    expect((await domain.repository(Book).get(book.id)).title).toBe('Dune');

    await domain.repository(Book).add(book);
    expect((await domain.repository(Book).get(book.id)).title).toBe('Dune Messiah');
  });

  it('rejects a book without title and author, naming both fields', () => {
    expect(() => new Book({ title: '', author: '' })).toThrow(ValidationError);
    try {
      new Book({ title: '', author: '' });
    } catch (error) {
      expect((error as ValidationError).errors).toEqual({
        title: ['is required'],
        author: ['is required'],
      });
    }
  });

  it('says a missing book was not found', async () => {
    await expect(domain.repository(Book).get('no-such-id')).rejects.toThrow(NotFoundError);
    await expect(domain.repository(Book).get('no-such-id')).rejects.toThrow(
      /Book with id "no-such-id" was not found/,
    );
  });

  it('refuses to hand out a repository before init()', async () => {
    await domain.close();
    expect(() => domain.repository(Book)).toThrow(IncorrectUsageError);
    expect(() => domain.repository(Book)).toThrow(/call `await domain.init\(\)`/);
  });
});
