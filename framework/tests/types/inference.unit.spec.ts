/**
 * Type inference from field declarations. `npm run typecheck` compiles this file: every
 * `@ts-expect-error` below must stay an error, or the typecheck fails.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { Domain, field } from '../../src/index.js';

const domain = new Domain({ name: 'types' });
class Book extends domain.aggregate('Book', {
  title: field.string({ required: true }),
  pages: field.integer(),
  status: field.choice(['available', 'checked_out'], { default: 'available' }),
  published: field.date(),
}) {}

describe('types flow from field declarations', () => {
  it('types instance fields from their declarations', () => {
    const book = new Book({ title: 'Dune' });
    expectTypeOf(book.title).toEqualTypeOf<string>();
    expectTypeOf(book.pages).toEqualTypeOf<number | undefined>();
    expectTypeOf(book.status).toEqualTypeOf<'available' | 'checked_out'>();
    expectTypeOf(book.published).toEqualTypeOf<Date | undefined>();
    expectTypeOf(book.id).toEqualTypeOf<string>();
  });

  it('types the repository by the aggregate class', async () => {
    await domain.init();
    expectTypeOf(domain.repository(Book).get).returns.resolves.toEqualTypeOf<Book>();
    await domain.close();
  });

  it('rejects wrong input at compile time', () => {
    // @ts-expect-error title is required
    expectTypeOf(() => new Book({ pages: 3 })).toBeFunction();
    // @ts-expect-error pages must be a number
    expectTypeOf(() => new Book({ title: 'Dune', pages: 'many' })).toBeFunction();
    // @ts-expect-error status is one of the declared choices
    expectTypeOf(() => new Book({ title: 'Dune', status: 'lost' })).toBeFunction();
    // @ts-expect-error colour is not a field of Book
    expectTypeOf(() => new Book({ title: 'Dune', colour: 'blue' })).toBeFunction();
    const book = new Book({ title: 'Dune' });
    // @ts-expect-error assigned values are typed too
    expectTypeOf(() => (book.title = 42)).toBeFunction();
  });
});
