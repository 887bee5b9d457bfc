/**
 * A fresh, initialized domain for every test, closed afterwards: no state leaks between tests.
 * Loads vitest (an optional peer dependency of protean-ts).
 */
import { afterEach, beforeEach } from 'vitest';
import type { Domain } from '../domain/domain.js';

type Built = Domain | { readonly domain: Domain };

const domainOf = (built: Built): Domain => ('domain' in built ? built.domain : built);

/**
 * Builds a new domain (or model holding one) before each test, initializes it, and closes it after
 * the test. Call it at the top of a test file or `describe` block; call the returned function inside
 * tests to get this test's instance.
 *
 * @example
 * const bookshelf = freshDomain(() => createBookshelf());
 * it('adds a book', async () => {
 *   const { domain, AddBook } = bookshelf();
 *   await domain.process(new AddBook({ title: 'Dune' }));
 * });
 */
export function freshDomain<T extends Built>(build: () => T | Promise<T>): () => T {
  let current: T | undefined;
  beforeEach(async () => {
    current = await build();
    await domainOf(current).init();
  });
  afterEach(async () => {
    const built = current;
    current = undefined;
    if (built) await domainOf(built).close();
  });
  return () => {
    if (!current)
      throw new Error(
        'freshDomain(): call the accessor inside a test or hook, not at describe level',
      );
    return current;
  };
}
