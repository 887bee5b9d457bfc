/**
 * Try it yourself (chapter 7): an AuthorShelf projection counts the books of each author. Run these
 * checks against your code with `npm run exercise -w @bookshelf/ch07-projections`.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { given } from 'protean-ts/testing';
import { BookAdded } from '#src/book.js';
import { domain } from '#src/domain.js';
import { AuthorShelf } from '#src/projections.js';
import '#src/projectors.js';
import { Isbn, Money } from '#src/values.js';

function added(bookId: string, title: string, author: string, isbn: string) {
  const event = new BookAdded({
    bookId,
    title,
    author,
    isbn: new Isbn({ value: isbn }),
    price: new Money({ amount: 9.99 }),
    copies: 1,
  });
  return [event, bookId] as const;
}

const dune = added('dune', 'Dune', 'Frank Herbert', '9780441172719');
const childrenOfDune = added('children', 'Children of Dune', 'Frank Herbert', '9780593098240');
const hobbit = added('hobbit', 'The Hobbit', 'J. R. R. Tolkien', '9780547928227');

beforeEach(async () => {
  await domain.close();
  await domain.init();
});

describe('the AuthorShelf projection', () => {
  it('is declared in src/projections.ts, one row per author', () => {
    expect(AuthorShelf, 'src/projections.ts should export an AuthorShelf projection').toBeDefined();
    expect(AuthorShelf.meta.identityField).toBe('author');
    expect(new AuthorShelf({ author: 'Frank Herbert', books: 2 }).books).toBe(2);
  });
});

describe('its projector', () => {
  it("starts an author's row at 1 book when their first book is added", async () => {
    const outcome = await given(domain).when(dune);

    outcome.thenSucceeds();
    expect((await domain.view(AuthorShelf).get('Frank Herbert')).books).toBe(1);
  });

  it('counts one more book each time another book of theirs is added', async () => {
    const outcome = await given(domain).events(dune, hobbit).when(childrenOfDune);

    outcome.thenSucceeds();
    expect((await domain.view(AuthorShelf).get('Frank Herbert')).books).toBe(2);
    expect((await domain.view(AuthorShelf).get('J. R. R. Tolkien')).books).toBe(1);
  });

  it('answers "who has the most books?" with a query', async () => {
    (await given(domain).events(dune, hobbit).when(childrenOfDune)).thenSucceeds();

    const shelves = await domain.view(AuthorShelf).find({ orderBy: { books: 'desc' }, limit: 1 });

    expect(shelves.map((shelf) => shelf.author)).toEqual(['Frank Herbert']);
  });
});
