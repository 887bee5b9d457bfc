import { afterEach, describe, expect, it } from 'vitest';
import { Domain, field } from '../../src/index.js';

const domain = new Domain({ name: 'bookshelf', config: {} });

// #region book-catalog
const BookCatalog = domain.projection('BookCatalog', {
  bookId: field.identifier({ identifier: true }),
  title: field.string({ required: true }),
  author: field.string({ required: true }),
  price: field.number({ required: true }),
  available: field.integer({ default: 0 }),
});
// #endregion book-catalog

afterEach(async () => {
  await domain.close();
});

describe('querying a read model through domain.view()', () => {
  it('filters, sorts, pages and counts rows', async () => {
    await domain.init();
    const rows = [
      { bookId: 'dune', title: 'Dune', author: 'Frank Herbert', price: 9.99 },
      { bookId: 'emma', title: 'Emma', author: 'Jane Austen', price: 4.5 },
      { bookId: 'ubik', title: 'Ubik', author: 'Philip K. Dick', price: 12 },
    ];
    for (const row of rows) await domain.repository(BookCatalog).add(new BookCatalog(row));

    // #region view-queries
    const catalog = domain.view(BookCatalog);

    const cheap = await catalog.find({ where: { price: { lt: 10 } }, orderBy: { price: 'desc' } });
    expect(cheap.map((row) => row.title)).toEqual(['Dune', 'Emma']);

    const secondPage = await catalog.find({ orderBy: { title: 'asc' }, limit: 1, offset: 1 });
    expect(secondPage.map((row) => row.title)).toEqual(['Emma']);

    expect(await catalog.count({ author: { contains: 'Dick' } })).toBe(1);
    expect(await catalog.exists({ title: { in: ['Emma', 'Middlemarch'] } })).toBe(true);
    expect(await catalog.findOne({ where: { title: 'Middlemarch' } })).toBeNull();
    // #endregion view-queries
  });
});
