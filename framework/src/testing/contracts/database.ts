/**
 * The DatabaseProvider port's contract: one suite, run against every adapter (memory,
 * PostgreSQL, ...), written against the port only. Each case gets a fresh provider and kinds of
 * its own (`contract.book_<random>`), so it isolates on a shared database too. Loads vitest (an
 * optional peer dependency of protean-ts). The session cases live in `./database-sessions.ts`.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  DatabaseProvider,
  DatabaseSession,
  OrderBy,
  Query,
  RecordStore,
  Where,
} from '../../ports/database.js';
import {
  declareSessionCases,
  ids,
  versionError,
  type DatabaseCase,
  type DeclareDatabaseCase,
} from './database-sessions.js';

/** What an adapter can do; the cases of a capability it lacks are skipped, saying why. */
export interface DatabaseCapabilities {
  /**
   * `begin()` opens isolated, all-or-nothing sessions that lock the records they write.
   * @defaultValue true
   */
  transactions: boolean;
}

/** Options of {@link databaseContract}. */
export interface DatabaseContractOptions {
  /** @defaultValue every capability `true` */
  capabilities?: Partial<DatabaseCapabilities>;
}

/** The case of the running test, and how to end it. */
interface OpenCase extends DatabaseCase {
  readonly db: DatabaseProvider;
  end(): Promise<void>;
}

async function openCase(makeProvider: () => Promise<DatabaseProvider>): Promise<OpenCase> {
  const db = await makeProvider();
  await db.start();
  const suffix = randomUUID().slice(0, 8);
  const sessions: DatabaseSession[] = [];
  const kind = (name: string) => `contract.${name}_${suffix}`;
  return {
    db,
    kind,
    records: (name) => db.records(kind(name)),
    async begin() {
      const session = await db.begin();
      sessions.push(session);
      return session;
    },
    // Sessions a test left open are rolled back (a no-op for ended ones) before the provider
    // closes, so a pool is never closed under a checked-out connection.
    async end() {
      await Promise.allSettled(sessions.map((session) => session.rollback()));
      await db.close();
    },
  };
}

/**
 * Declares the DatabaseProvider contract as vitest `describe`/`it` blocks. Each test gets a
 * provider from `makeProvider()` (not yet started), starts it, and closes it afterwards.
 *
 * @example
 * ```ts
 * // framework/tests/adapters/memory/database.unit.spec.ts
 * databaseContract('memory', async () => createMemoryDatabase());
 * ```
 */
export function databaseContract(
  name: string,
  makeProvider: () => Promise<DatabaseProvider>,
  options: DatabaseContractOptions = {},
): void {
  const capabilities: DatabaseCapabilities = { transactions: true, ...options.capabilities };

  describe(`DatabaseProvider contract: ${name}`, () => {
    let current: OpenCase | undefined;
    beforeEach(async () => {
      current = await openCase(makeProvider);
    });
    afterEach(async () => {
      await current?.end();
      current = undefined;
    });
    const declare =
      (skipReason?: string): DeclareDatabaseCase =>
      (title, fn) =>
        it.skipIf(skipReason !== undefined)(
          skipReason ? `${title} (skipped: ${skipReason})` : title,
          () => fn(current ?? expect.fail('no database: beforeEach did not run')),
        );

    it('names its provider', () => {
      expect(current?.db.provider).toMatch(/^\S+$/);
    });
    it('answers ping once started, and rejects it, saying why, once closed', async () => {
      const db = current?.db ?? expect.fail('no database: beforeEach did not run');
      await expect(db.ping()).resolves.toBeUndefined();
      await db.close();
      await expect(db.ping()).rejects.toThrow(/closed/);
    });
    declareRecordCases(declare());
    declareQueryCases(declare());
    const noTransactions = `${name} declares transactions: false`;
    declareSessionCases(declare(capabilities.transactions ? undefined : noTransactions));
  });
}

function declareRecordCases(test: DeclareDatabaseCase): void {
  test('reads an unknown id as undefined and an empty kind as empty', async (c) => {
    const books = c.records('book');
    expect(await books.get('b1')).toBeUndefined();
    expect(await books.find()).toEqual([]);
    expect(await books.count()).toBe(0);
  });

  test('creates a record at version 1 and adds one per save', async (c) => {
    const books = c.records('book');
    expect(await books.save('b1', { title: 'dune' }, 0)).toBe(1);
    expect(await books.get('b1')).toEqual({ id: 'b1', version: 1, values: { title: 'dune' } });
    expect(await books.save('b1', { title: 'dune messiah' }, 1)).toBe(2);
    expect(await books.save('b1', { title: 'children' }, 2)).toBe(3);
    expect(await books.get('b1')).toEqual({ id: 'b1', version: 3, values: { title: 'children' } });
  });

  test('refuses a save at the wrong expected version and changes nothing', async (c) => {
    const books = c.records('book');
    await books.save('b1', { title: 'dune' }, 0);
    await books.save('b1', { title: 'dune messiah' }, 1);

    await expect(books.save('b1', { title: 'stale' }, 1)).rejects.toMatchObject(versionError(1, 2));
    await expect(books.save('b1', { title: 'ahead' }, 3)).rejects.toMatchObject(versionError(3, 2));
    await expect(books.save('b1', { title: 'new' }, 0)).rejects.toMatchObject(versionError(0, 2));
    await expect(books.save('b2', { title: 'ghost' }, 1)).rejects.toMatchObject(versionError(1, 0));
    expect(await books.find()).toEqual([
      { id: 'b1', version: 2, values: { title: 'dune messiah' } },
    ]);
  });

  test('removes a record once (true, then false); its id can then be created anew', async (c) => {
    const books = c.records('book');
    await books.save('b1', { title: 'dune' }, 0);
    await books.save('b1', { title: 'dune messiah' }, 1);
    await books.save('b2', { title: 'emma' }, 0);

    expect(await books.remove('b1')).toBe(true);
    expect(await books.remove('b1')).toBe(false);
    expect(await books.remove('b9')).toBe(false);
    expect(await books.get('b1')).toBeUndefined();
    expect(ids(await books.find())).toEqual(['b2']);
    expect(await books.save('b1', { title: 'again' }, 0)).toBe(1);
  });

  test('round-trips plain values: nested objects, arrays, null, numbers, booleans, strings', async (c) => {
    const values = {
      title: 'Dune: Ünïcödé – 日本',
      empty: '',
      pages: 412,
      price: 9.99,
      negative: -3,
      zero: 0,
      available: true,
      archived: false,
      subtitle: null,
      tags: ['sf', 'classic', 3, null, { nested: [true] }],
      none: [],
      author: { name: 'Frank Herbert', born: 1920, awards: [{ name: 'Hugo', year: 1966 }] },
      nothing: {},
    };
    await c.records('book').save('b1', values, 0);
    expect(await c.records('book').get('b1')).toEqual({ id: 'b1', version: 1, values });
    expect(await c.records('book').find()).toEqual([{ id: 'b1', version: 1, values }]);
  });

  test('gives a Date back as the same instant: a Date, or its ISO string (JSON)', async (c) => {
    const at = new Date('2025-03-04T05:06:07.890Z');
    await c.records('book').save('b1', { publishedAt: at, history: [{ at }] }, 0);

    const { values } = (await c.records('book').get('b1')) ?? expect.fail('b1 was not stored');
    const history = values.history as { at: unknown }[];
    for (const read of [values.publishedAt, history[0]?.at]) {
      expect(read instanceof Date ? read.toISOString() : read).toBe(at.toISOString());
    }
  });

  test('copies values in and out: changing them afterwards changes nothing stored', async (c) => {
    const books = c.records('book');
    const saved = { title: 'dune', author: { name: 'herbert' }, tags: ['sf'] };
    await books.save('b1', saved, 0);
    saved.author.name = 'changed after save';
    saved.tags.push('changed');

    const got = (await books.get('b1')) ?? expect.fail('b1 was not stored');
    (got.values.author as { name: string }).name = 'changed after get';
    const [found] = await books.find();
    (found?.values.tags as string[]).push('changed after find');

    const stored = { title: 'dune', author: { name: 'herbert' }, tags: ['sf'] };
    expect(await books.get('b1')).toEqual({ id: 'b1', version: 1, values: stored });
  });

  test('keeps kinds apart', async (c) => {
    await c.records('book').save('x1', { title: 'dune' }, 0);
    await c.records('author').save('x1', { name: 'herbert' }, 0);

    expect(await c.records('book').get('x1')).toMatchObject({ values: { title: 'dune' } });
    expect(await c.records('author').find()).toEqual([
      { id: 'x1', version: 1, values: { name: 'herbert' } },
    ]);
    expect(await c.records('shelf').count()).toBe(0);
  });
}

/**
 * Six books to query, saved in neither id nor any field's order. Strings are lowercase letters,
 * digits, spaces and `_`, compared only where every collation agrees; b3 has no rating and no
 * `available`, b5 a null rating.
 */
const CATALOGUE: Record<string, Record<string, unknown>> = {
  b4: { title: 'ubik', genre: 'sf', pages: 202, rating: 4, available: true },
  b2: { title: 'dune', genre: 'sf', pages: 412, rating: 5, available: true },
  b6: { title: 'emma', genre: 'classic', pages: 474, rating: 4, available: false },
  b1: { title: 'the hobbit', genre: 'fantasy', pages: 310, rating: 5, available: true },
  b5: { title: 'top_10 lists', genre: 'reference', pages: 9, rating: null, available: false },
  b3: { title: 'top 100 lists', genre: 'reference', pages: 100 },
};

/** The catalogue's store, and queries on it that answer with ids, like `'b2 b4'`. */
interface Catalogue {
  readonly records: RecordStore;
  find(query: Query): Promise<string>;
  where(where: Where): Promise<string>;
}

async function catalogue(records: RecordStore): Promise<Catalogue> {
  for (const [id, values] of Object.entries(CATALOGUE)) await records.save(id, values, 0);
  const find = async (query: Query) => ids(await records.find(query)).join(' ');
  return { records, find, where: (where) => find({ where }) };
}

function declareQueryCases(test: DeclareDatabaseCase): void {
  const withCatalogue = (title: string, fn: (q: Catalogue) => Promise<void>) =>
    test(title, async (c) => fn(await catalogue(c.records('book'))));

  withCatalogue(
    'matches equal strings, numbers, booleans; never a number to its text',
    async (q) => {
      expect(await q.where({ genre: 'sf' })).toBe('b2 b4');
      expect(await q.where({ pages: 412 })).toBe('b2');
      expect(await q.where({ available: false })).toBe('b5 b6');
      expect(await q.where({ genre: 'sf', rating: 4 })).toBe('b4');
      expect(await q.where({ pages: '412' })).toBe('');
      expect(await q.where({ genre: 'poetry' })).toBe('');
    },
  );

  withCatalogue('compares with eq and ne; ne matches records without the value', async (q) => {
    expect(await q.where({ genre: { eq: 'sf' } })).toBe('b2 b4');
    expect(await q.where({ pages: { eq: 9 } })).toBe('b5');
    expect(await q.where({ genre: { ne: 'sf' } })).toBe('b1 b3 b5 b6');
    expect(await q.where({ available: { ne: true } })).toBe('b3 b5 b6');
    expect(await q.where({ rating: { ne: 5 } })).toBe('b3 b4 b5 b6');
  });

  withCatalogue(
    'compares numbers as numbers with gt, gte, lt, lte; no value never matches',
    async (q) => {
      expect(await q.where({ pages: { gt: 100 } })).toBe('b1 b2 b4 b6');
      expect(await q.where({ pages: { gte: 100 } })).toBe('b1 b2 b3 b4 b6');
      expect(await q.where({ pages: { lt: 100 } })).toBe('b5');
      expect(await q.where({ pages: { lte: 100 } })).toBe('b3 b5');
      expect(await q.where({ rating: { lt: 5 } })).toBe('b4 b6');
      expect(await q.where({ rating: { gte: 0 } })).toBe('b1 b2 b4 b6');
      expect(await q.where({ title: { gt: 'the hobbit' } })).toBe('b3 b4 b5');
      expect(await q.where({ title: { lte: 'emma' } })).toBe('b2 b6');
    },
  );

  withCatalogue(
    'matches in (nothing for an empty list) and contains (case-sensitive)',
    async (q) => {
      expect(await q.where({ genre: { in: ['fantasy', 'classic'] } })).toBe('b1 b6');
      expect(await q.where({ pages: { in: [9, 412, 1] } })).toBe('b2 b5');
      expect(await q.where({ genre: { in: [] } })).toBe('');
      expect(await q.where({ title: { contains: 'lists' } })).toBe('b3 b5');
      expect(await q.where({ title: { contains: 'Dune' } })).toBe('');
      // Text taken literally, not as a LIKE pattern; and a number is not text.
      expect(await q.where({ title: { contains: 'top_' } })).toBe('b5');
      expect(await q.where({ title: { contains: '%' } })).toBe('');
      expect(await q.where({ pages: { contains: '1' } })).toBe('');
    },
  );

  withCatalogue('requires every condition, and every operator of a comparison', async (q) => {
    expect(await q.where({ genre: 'sf', pages: { gt: 300 } })).toBe('b2');
    expect(await q.where({ pages: { gte: 100, lt: 400 } })).toBe('b1 b3 b4');
    expect(await q.where({ pages: { gt: 400, lt: 300 } })).toBe('');
    const where = {
      genre: { in: ['sf', 'reference'] },
      pages: { gt: 50, lte: 202 },
      title: { contains: 'i' },
    };
    expect(await q.where(where)).toBe('b3 b4');
  });

  withCatalogue('uses id in where like any field', async (q) => {
    expect(await q.where({ id: 'b3' })).toBe('b3');
    expect(await q.where({ id: { in: ['b6', 'b1', 'b9'] } })).toBe('b1 b6');
    expect(await q.where({ id: { gt: 'b4' }, genre: { ne: 'classic' } })).toBe('b5');
  });

  withCatalogue('orders by id like any field', async (q) => {
    expect(await q.find({ orderBy: { id: 'desc' } })).toBe('b6 b5 b4 b3 b2 b1');
    expect(await q.find({ orderBy: { id: 'asc' }, limit: 2 })).toBe('b1 b2');
  });

  withCatalogue('orders by several keys, either way; ties go by id, ascending', async (q) => {
    expect(await q.find({})).toBe('b1 b2 b3 b4 b5 b6');
    expect(await q.find({ orderBy: { pages: 'asc' } })).toBe('b5 b3 b4 b1 b2 b6');
    expect(await q.find({ orderBy: { pages: 'desc' } })).toBe('b6 b2 b1 b4 b3 b5');
    expect(await q.find({ orderBy: { genre: 'asc' } })).toBe('b6 b1 b3 b5 b2 b4');
    expect(await q.find({ orderBy: { genre: 'desc' } })).toBe('b2 b4 b3 b5 b1 b6');
    expect(await q.find({ orderBy: { genre: 'asc', pages: 'desc' } })).toBe('b6 b1 b3 b5 b2 b4');
    expect(await q.find({ orderBy: { available: 'asc', pages: 'asc' } })).toBe('b5 b6 b4 b1 b2 b3');
  });

  withCatalogue('sorts no value (missing or null) last ascending, first descending', async (q) => {
    // SQL's default (ASC NULLS LAST, DESC NULLS FIRST); missing and null tie, then go by id.
    expect(await q.find({ orderBy: { rating: 'asc' } })).toBe('b4 b6 b1 b2 b3 b5');
    expect(await q.find({ orderBy: { rating: 'desc' } })).toBe('b3 b5 b1 b2 b4 b6');
  });

  withCatalogue('pages with limit and offset, ties cut across pages included', async (q) => {
    const orderBy: OrderBy = { rating: 'desc' };
    const all = await q.find({ orderBy });
    for (const limit of [1, 4]) {
      const pages: string[] = [];
      for (let offset = 0; offset < 6; offset += limit)
        pages.push(await q.find({ orderBy, offset, limit }));
      expect(pages.join(' ')).toBe(all);
    }
    expect(await q.find({ orderBy, offset: 4 })).toBe(all.split(' ').slice(4).join(' '));
    expect(await q.find({ where: { genre: 'sf' }, offset: 1, limit: 5 })).toBe('b4');
    expect(await q.find({ limit: 0 })).toBe('');
    expect(await q.find({ offset: 6 })).toBe('');
  });

  withCatalogue('counts with and without where', async ({ records }) => {
    expect(await records.count()).toBe(6);
    expect(await records.count({ genre: 'sf' })).toBe(2);
    expect(await records.count({ pages: { gte: 100, lt: 400 }, available: true })).toBe(2);
    expect(await records.count({ pages: { gt: 1000 } })).toBe(0);
    expect(await records.count({ genre: { in: [] } })).toBe(0);
  });
}
