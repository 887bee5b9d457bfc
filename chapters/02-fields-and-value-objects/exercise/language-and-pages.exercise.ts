/**
 * Try it yourself (chapter 2): every book has a language and may have a page count.
 * Run these checks against your code with `npm run exercise -w @bookshelf/ch02-fields-and-value-objects`.
 */
import { describe, expect, it } from 'vitest';
import { ValidationError } from 'protean-ts';
import { given } from 'protean-ts/testing';
import { Book } from '#src/book.js';

const dune = {
  title: 'Dune',
  author: 'Frank Herbert',
  isbn: { value: '9780441172719' },
  price: { amount: 9.99 },
};

/** The field errors a Book made from `input` is refused with. */
function errorsOf(input: Record<string, unknown>): unknown {
  const outcome = given(Book).when(() => new Book({ ...dune, ...input }));
  outcome.thenFails(ValidationError);
  return (outcome.error as ValidationError).errors;
}

describe('a book has a language', () => {
  it('is in English unless told otherwise', () => {
    given(Book)
      .when(() => new Book(dune))
      .thenState({ language: 'en' });
  });

  it('may be in French, German or Spanish', () => {
    for (const language of ['fr', 'de', 'es'] as const) {
      given(Book)
        .when(() => new Book({ ...dune, language }))
        .thenState({ language });
    }
  });

  it('refuses a language Bookshelf does not sell, naming the field', () => {
    expect(errorsOf({ language: 'xx' })).toEqual({
      language: ['must be one of en, fr, de, es, received "xx"'],
    });
  });
});

describe('a book may have a page count', () => {
  it('is unknown unless given', () => {
    given(Book)
      .when(() => new Book(dune))
      .thenState({ pages: undefined });
    given(Book)
      .when(() => new Book({ ...dune, pages: 412 }))
      .thenState({ pages: 412 });
  });

  it('is a whole number of at least one page', () => {
    expect(errorsOf({ pages: 0 })).toEqual({ pages: ['must be >= 1'] });
    expect(errorsOf({ pages: 12.5 })).toEqual({ pages: ['must be an integer, received 12.5'] });
  });
});
