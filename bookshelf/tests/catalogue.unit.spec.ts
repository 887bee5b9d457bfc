import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { starterCatalogue, stockShelves } from '../src/catalogue.js';
import { Book, domain } from '../src/domain.js';

describe('Bookshelf', () => {
  beforeEach(() => domain.init().then(() => undefined));
  afterEach(() => domain.close());

  it('stocks the shelves with the starter catalogue', async () => {
    const stocked = await stockShelves();
    expect(await domain.repository(Book).count()).toBe(starterCatalogue.length);
    const titles = await Promise.all(
      stocked.map(async (b) => (await domain.repository(Book).get(b.id)).title),
    );
    expect(titles).toEqual(starterCatalogue.map((b) => b.title));
  });
});
