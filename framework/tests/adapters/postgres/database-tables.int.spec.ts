import { Client } from 'pg';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createMemoryDatabase } from '../../../src/adapters/memory/database.js';
import { createPostgresDatabase } from '../../../src/adapters/postgres/database.js';
import { Domain, field } from '../../../src/index.js';
import type { DatabaseProvider, Fields, Query } from '../../../src/index.js';
import type { KindSchema } from '../../../src/adapter.js';
import {
  createTestDatabase,
  describeIntegration,
  integrationServices,
  type TestDatabase,
} from '../../../src/testing/index.js';

const shop = new Domain({ name: 'shop' });
const Money = shop.valueObject('Money', {
  amount: field.number({ required: true }),
  currency: field.string({ default: 'USD' }),
});
const OrderItem = shop.entity('OrderItem', {
  bookId: field.reference('Book', { required: true }),
  quantity: field.integer({ required: true }),
  unitPrice: field.valueObject(Money),
  addedAt: field.datetime(),
});
const Note = shop.entity('Note', {
  code: field.string({ identifier: true }),
  text: field.text(),
});

const aggregate = (kind: string, fields: Fields, identityField?: string): KindSchema => ({
  kind,
  element: 'aggregate',
  name: kind.split('.')[1] ?? kind,
  fields,
  identityField,
});

// #region shop-book
const BOOK = aggregate('shop.book', {
  title: field.string({ required: true }),
  isbn: field.string({ unique: true }),
  pages: field.integer(),
  rating: field.number(),
  available: field.boolean(),
  published: field.date(),
  updatedAt: field.datetime(),
  genre: field.choice(['sf', 'classic', 'fantasy', 'reference']),
  tags: field.list(field.string()),
  extra: field.dict(),
  price: field.valueObject(Money),
});
// #endregion shop-book
const ORDER = aggregate('shop.order', {
  customer: field.string({ required: true }),
  items: field.hasMany(OrderItem),
  note: field.hasOne(Note),
});

describeIntegration('PostgreSQL tables derived from declarations', () => {
  let database: TestDatabase;
  let admin: Client;
  let db: DatabaseProvider;
  const open = async (kinds: KindSchema[] = [BOOK, ORDER]) => {
    db = await createPostgresDatabase({ provider: 'postgresql', database_uri: database.url });
    db.declare?.(kinds);
    await db.start();
    await db.setup?.();
    return db;
  };
  const sql = async (text: string, values: unknown[] = []) =>
    (await admin.query(text, values)).rows as Record<string, unknown>[];

  beforeAll(async () => {
    database = await createTestDatabase(integrationServices().postgres.url);
    admin = new Client({ connectionString: database.url });
    await admin.connect();
  });
  afterEach(async () => {
    await db?.drop?.();
    await db?.close();
  });
  afterAll(async () => {
    await admin?.end();
    await database?.drop();
  });

  it('creates one table per kind with a typed column per field, twice without harm', async () => {
    // #region column-types
    await open();
    await db.setup?.();
    const columns = await sql(
      `SELECT column_name, data_type, is_nullable, collation_name FROM information_schema.columns
       WHERE table_name = 'shop_book' ORDER BY ordinal_position`,
    );
    expect(columns.map((c) => [c.column_name, c.data_type, c.is_nullable])).toEqual([
      ['id', 'text', 'NO'],
      ['version', 'integer', 'NO'],
      ['title', 'text', 'NO'],
      ['isbn', 'text', 'YES'],
      ['pages', 'bigint', 'YES'],
      ['rating', 'double precision', 'YES'],
      ['available', 'boolean', 'YES'],
      ['published', 'date', 'YES'],
      ['updated_at', 'timestamp with time zone', 'YES'],
      ['genre', 'text', 'YES'],
      ['tags', 'jsonb', 'YES'],
      ['extra', 'jsonb', 'YES'],
      ['price', 'jsonb', 'YES'],
    ]);
    expect(columns.find((c) => c.column_name === 'title')?.collation_name).toBe('C');
    // #endregion column-types
  });

  it('round-trips values with their JavaScript types', async () => {
    const books = (await open()).records('shop.book');
    const values = {
      title: 'Dune',
      isbn: '9780441172719',
      pages: 2 ** 40,
      rating: 0.1 + 0.2,
      available: false,
      published: new Date('1965-08-01T00:00:00.000Z'),
      updatedAt: new Date('2025-03-04T05:06:07.890Z'),
      genre: 'sf',
      tags: ['classic', 'desert'],
      extra: { nested: { list: [1, 'two', null] } },
      price: { amount: 9.99, currency: 'EUR' },
    };
    await books.save('b1', values, 0);
    expect(await books.get('b1')).toEqual({ id: 'b1', version: 1, values });
    expect(await books.save('b1', { title: 'Dune' }, 1)).toBe(2);
    expect(await books.get('b1')).toEqual({ id: 'b1', version: 2, values: { title: 'Dune' } });
  });

  it('rejects a duplicate of a unique field through its index, naming the field', async () => {
    // #region unique-index
    const books = (await open()).records('shop.book');
    const indexes = await sql(`SELECT indexname FROM pg_indexes WHERE tablename = 'shop_book'`);
    expect(indexes.map((i) => i.indexname)).toContain('shop_book__isbn_key');
    await books.save('b1', { title: 'Dune', isbn: '9780441172719' }, 0);

    const duplicate = books.save('b2', { title: 'Copy', isbn: '9780441172719' }, 0);
    await expect(duplicate).rejects.toMatchObject({
      code: 'VALIDATION_ERROR',
      errors: { isbn: [expect.stringContaining('must be unique')] },
    });
    expect(await books.count()).toBe(1);
    // #endregion unique-index
  });

  it('says a commit after a failed statement rolled back, and stores nothing', async () => {
    // #region aborted-commit
    await open();
    await db.records('shop.book').save('b1', { title: 'Dune', isbn: '1' }, 0);
    const session = await db.begin();
    await session.records('shop.book').save('b2', { title: 'Emma' }, 0);
    await expect(
      session.records('shop.book').save('b3', { title: 'Copy', isbn: '1' }, 0),
    ).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await expect(session.commit()).rejects.toMatchObject({ code: 'DATABASE_TRANSACTION_ABORTED' });
    expect(await db.records('shop.book').count()).toBe(1);
    // #endregion aborted-commit
  });

  it('keeps entities in a child table per field, in order, replaced on every save', async () => {
    const orders = (await open()).records('shop.order');
    const at = new Date('2025-01-02T03:04:05.006Z');
    const items = [
      { id: 'i1', bookId: 'b9', quantity: 3, unitPrice: { amount: 1.5, currency: 'USD' } },
      { id: 'i2', bookId: 'b1', quantity: 1, addedAt: at },
      { id: 'i3', bookId: 'b5', quantity: 2 },
    ];
    const note = { code: 'gift', text: 'wrap it' };
    await orders.save('o1', { customer: 'ada', items, note }, 0);
    expect(await orders.get('o1')).toEqual({
      id: 'o1',
      version: 1,
      values: { customer: 'ada', items, note },
    });
    const rows = await sql(
      'SELECT parent_id, position, id, book_id, quantity FROM shop_order__items ORDER BY position',
    );
    expect(rows).toEqual([
      { parent_id: 'o1', position: 0, id: 'i1', book_id: 'b9', quantity: '3' },
      { parent_id: 'o1', position: 1, id: 'i2', book_id: 'b1', quantity: '1' },
      { parent_id: 'o1', position: 2, id: 'i3', book_id: 'b5', quantity: '2' },
    ]);

    const reordered = [items[2], items[0]];
    await orders.save('o1', { customer: 'ada', items: reordered }, 1);
    expect(await orders.get('o1')).toMatchObject({ values: { items: reordered } });
    expect((await orders.get('o1'))?.values).not.toHaveProperty('note');
    await orders.save('o2', { customer: 'bob' }, 0);
    const found = await orders.find({ orderBy: { customer: 'desc' } });
    expect(found.map((r) => [r.id, (r.values.items as unknown[]).length])).toEqual([
      ['o2', 0],
      ['o1', 2],
    ]);

    expect(await orders.remove('o1')).toBe(true);
    expect(await sql('SELECT count(*)::int AS n FROM shop_order__items')).toEqual([{ n: 0 }]);
  });

  it('answers queries on typed columns exactly like the memory adapter', async () => {
    const pg = (await open()).records('shop.book');
    const memory = createMemoryDatabase().records('shop.book');
    for (const [id, values] of Object.entries(CATALOGUE)) {
      await pg.save(id, values, 0);
      await memory.save(id, values, 0);
    }
    for (const query of QUERIES) {
      const [expected, actual] = await Promise.all([memory.find(query), pg.find(query)]);
      expect({ query, ids: actual.map((r) => r.id) }).toEqual({
        query,
        ids: expected.map((r) => r.id),
      });
      expect(await pg.count(query.where)).toBe(await memory.count(query.where));
    }
  });

  it('treats where values as data: SQL in a value matches nothing and runs nothing', async () => {
    const books = (await open()).records('shop.book');
    await books.save('b1', { title: 'Dune' }, 0);
    for (const attack of ["x' OR '1'='1", "'; DROP TABLE shop_book; --", '%', '_']) {
      expect(await books.find({ where: { title: attack } })).toEqual([]);
      expect(await books.count({ title: { contains: attack } })).toBe(0);
      expect(await books.find({ where: { id: { in: [attack] } } })).toEqual([]);
    }
    expect(await books.count()).toBe(1);
  });

  it('refuses fields it cannot query and kinds nobody declared', async () => {
    await open();
    await expect(db.records('shop.order').find({ where: { items: [] } })).rejects.toThrow(
      'order.items holds entities (table "shop_order__items")',
    );
    await expect(db.records('shop.book').find({ where: { 'title" --': 'x' } })).rejects.toThrow(
      /is not one of its fields/,
    );
    expect(() => db.records('shop.ghost')).toThrow(
      /kind "shop.ghost" is not declared.*must be declared on the domain/,
    );
  });

  it('empties its tables on truncate and removes them on drop', async () => {
    await open();
    await db
      .records('shop.order')
      .save('o1', { customer: 'ada', items: [{ id: 'i', bookId: 'b', quantity: 1 }] }, 0);
    await db.truncate?.();
    expect(await db.records('shop.order').count()).toBe(0);
    await db.drop?.();
    const left = await sql(`SELECT tablename FROM pg_tables WHERE tablename LIKE 'shop_%'`);
    expect(left).toEqual([]);
    await expect(db.records('shop.book').count()).rejects.toMatchObject({
      code: 'DATABASE_SCHEMA_MISSING',
      message: expect.stringContaining('protean db setup'),
    });
  });
});

/** The contract's catalogue, on typed columns: b3 has no rating nor `available`, b5 a null one. */
const CATALOGUE: Record<string, Record<string, unknown>> = {
  b4: { title: 'ubik', genre: 'sf', pages: 202, rating: 4, available: true },
  b2: { title: 'dune', genre: 'sf', pages: 412, rating: 5, available: true, tags: ['x'] },
  b6: { title: 'emma', genre: 'classic', pages: 474, rating: 4.5, available: false },
  b1: { title: 'the hobbit', genre: 'fantasy', pages: 310, rating: 5, available: true },
  b5: { title: 'top_10 Lists', genre: 'reference', pages: 9, available: false },
  b3: { title: 'Top 100 lists', genre: 'reference', pages: 100, price: { amount: 1 } },
};

const QUERIES: Query[] = [
  {},
  { where: { genre: 'sf' } },
  { where: { pages: 412 } },
  { where: { pages: '412' } },
  { where: { available: false } },
  { where: { genre: { ne: 'sf' } } },
  { where: { available: { ne: true } } },
  { where: { rating: { ne: 5 } } },
  { where: { pages: { gt: 100 } } },
  { where: { pages: { gte: 100, lt: 400 } } },
  { where: { pages: { lt: 100.5 } } },
  { where: { rating: { gte: 4.5 } } },
  { where: { title: { gt: 'the hobbit' } } },
  { where: { title: { lte: 'emma' } } },
  { where: { genre: { in: ['fantasy', 'classic'] } } },
  { where: { pages: { in: [9, 412, 1.5] } } },
  { where: { genre: { in: [] } } },
  { where: { title: { contains: 'lists' } } },
  { where: { title: { contains: 'Top' } } },
  { where: { title: { contains: 'top_' } } },
  { where: { pages: { contains: '1' } } },
  { where: { id: { in: ['b6', 'b1', 'b9'] } } },
  { where: { price: { amount: 1 } } },
  { where: { tags: ['x'] } },
  { orderBy: { pages: 'asc' } },
  { orderBy: { rating: 'asc' } },
  { orderBy: { rating: 'desc' } },
  { orderBy: { title: 'asc' } },
  { orderBy: { genre: 'desc', pages: 'asc' } },
  { orderBy: { available: 'asc' }, limit: 3, offset: 1 },
  { orderBy: { id: 'desc' }, limit: 2 },
];
