/**
 * The DatabaseProvider contract, part two: sessions (transactions). Declared by
 * `databaseContract()` in `./database.ts`, written against the port only.
 *
 * Conflicting writes are checked portably: an adapter may fail them at once (memory) or hold
 * them on the row lock until the holder ends and then fail their version check (PostgreSQL).
 * The cases only require that such a write never succeeds while the holder is open, and that it
 * ends rejected with `ExpectedVersionError` once the holder has committed.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { DatabaseSession, RecordStore, StoredRecord } from '../../ports/database.js';

/** What a case works with: a fresh, started provider and kinds no other test uses. */
export interface DatabaseCase {
  /** The kind `contract.<name>_<random>` of this test. */
  kind(name: string): string;
  /** Autocommit access to `kind(name)`. */
  records(name: string): RecordStore;
  /** Opens a session; the suite rolls it back after the test if the test left it open. */
  begin(): Promise<DatabaseSession>;
}

/** Declares one case (the suite may skip it, with the reason in its name). */
export type DeclareDatabaseCase = (title: string, fn: (c: DatabaseCase) => Promise<void>) => void;

/** Matches the `ExpectedVersionError` of a refused write; `actual` only where it is portable. */
export const versionError = (expected: number, actual?: number) => ({
  name: 'ExpectedVersionError',
  code: 'EXPECTED_VERSION_ERROR',
  expected,
  ...(actual === undefined ? {} : { actual }),
});

export const ids = (records: readonly StoredRecord[]) => records.map((record) => record.id);

/**
 * How long a write that conflicts with an open session gets to show it does not go through: a
 * fail-fast adapter has rejected it by then, a blocking one is still waiting on the row lock.
 */
const LOCK_WAIT_MS = 50;

/** How `write` stands after LOCK_WAIT_MS: settled one way or the other, or still waiting. */
async function statusSoon(write: Promise<unknown>): Promise<'fulfilled' | 'rejected' | 'waiting'> {
  const settled = Promise.allSettled([write]).then(([result]) => result?.status ?? 'waiting');
  return Promise.race([settled, sleep(LOCK_WAIT_MS, 'waiting' as const)]);
}

/**
 * Runs `write` (already started, conflicting with `holder`) against `holder`'s commit: the write
 * must not succeed while `holder` is open, and loses once it has committed.
 */
async function expectHolderWins(
  holder: DatabaseSession,
  write: Promise<unknown>,
  expected: number,
): Promise<void> {
  expect(await statusSoon(write)).not.toBe('fulfilled');
  const [written, committed] = await Promise.allSettled([write, holder.commit()]);
  expect(committed.status).toBe('fulfilled');
  expect(written).toMatchObject({ status: 'rejected', reason: versionError(expected) });
}

/** Declares the session cases on `test`. */
export function declareSessionCases(test: DeclareDatabaseCase): void {
  declareIsolationCases(test);
  declareConflictCases(test);
  declareEndedSessionCases(test);
}

function declareIsolationCases(test: DeclareDatabaseCase): void {
  test('keeps its writes to itself until commit, then shows them all at once', async (c) => {
    const [books, authors] = [c.records('book'), c.records('author')];
    await books.save('b1', { title: 'dune', pages: 412 }, 0);
    await books.save('b2', { title: 'emma', pages: 474 }, 0);
    const session = await c.begin();
    const inBooks = session.records(c.kind('book'));
    expect(await inBooks.save('b1', { title: 'dune', pages: 500 }, 1)).toBe(2);
    expect(await inBooks.save('b3', { title: 'ubik', pages: 202 }, 0)).toBe(1);
    expect(await inBooks.remove('b2')).toBe(true);
    await session.records(c.kind('author')).save('a1', { name: 'herbert' }, 0);

    const values = { title: 'dune', pages: 500 };
    expect(await inBooks.get('b1')).toEqual({ id: 'b1', version: 2, values });
    expect(await inBooks.get('b2')).toBeUndefined();
    expect(ids(await inBooks.find())).toEqual(['b1', 'b3']);
    expect(ids(await inBooks.find({ where: { pages: { gt: 300 } } }))).toEqual(['b1']);
    expect(await inBooks.count({ pages: { lt: 450 } })).toBe(1);
    expect(await session.records(c.kind('author')).count()).toBe(1);

    const other = await c.begin();
    for (const store of [books, other.records(c.kind('book'))]) {
      expect(await store.get('b1')).toEqual({
        id: 'b1',
        version: 1,
        values: { ...values, pages: 412 },
      });
      expect(await store.get('b3')).toBeUndefined();
      expect(ids(await store.find())).toEqual(['b1', 'b2']);
      expect(await store.count({ pages: { lt: 450 } })).toBe(1);
    }
    expect(await other.records(c.kind('author')).count()).toBe(0);
    expect(await authors.get('a1')).toBeUndefined();
    await other.rollback();

    await session.commit();
    expect(await books.find()).toEqual([
      { id: 'b1', version: 2, values },
      { id: 'b3', version: 1, values: { title: 'ubik', pages: 202 } },
    ]);
    expect(await authors.get('a1')).toEqual({ id: 'a1', version: 1, values: { name: 'herbert' } });
  });

  test('discards every write on rollback and frees its records for others', async (c) => {
    const books = c.records('book');
    await books.save('b1', { title: 'dune' }, 0);
    await books.save('b3', { title: 'emma' }, 0);
    const session = await c.begin();
    const inBooks = session.records(c.kind('book'));
    await inBooks.save('b1', { title: 'dune messiah' }, 1);
    await inBooks.save('b2', { title: 'ubik' }, 0);
    expect(await inBooks.remove('b1')).toBe(true);
    // Last: after a failed statement a PostgreSQL transaction accepts nothing but rollback.
    await expect(inBooks.save('b3', { title: 'stale' }, 0)).rejects.toMatchObject(versionError(0));
    await session.rollback();

    expect(ids(await books.find())).toEqual(['b1', 'b3']);
    expect(await books.get('b1')).toEqual({ id: 'b1', version: 1, values: { title: 'dune' } });
    const next = await c.begin();
    expect(await next.records(c.kind('book')).save('b1', { title: 'children' }, 1)).toBe(2);
    expect(await next.records(c.kind('book')).save('b2', { title: 'ubik' }, 0)).toBe(1);
    await next.commit();
    expect(await books.save('b1', { title: 'god emperor' }, 2)).toBe(3);
    expect(await books.save('b3', { title: 'persuasion' }, 1)).toBe(2);
  });

  test('removes inside a session: gone for the session at once, for others on commit', async (c) => {
    const books = c.records('book');
    await books.save('b1', { title: 'dune' }, 0);
    const session = await c.begin();
    const inBooks = session.records(c.kind('book'));
    expect(await inBooks.remove('b1')).toBe(true);
    expect(await inBooks.remove('b1')).toBe(false);
    expect(await inBooks.remove('b9')).toBe(false);
    expect(await inBooks.get('b1')).toBeUndefined();
    expect(await inBooks.find()).toEqual([]);
    expect(await inBooks.count()).toBe(0);
    expect(await books.get('b1')).toMatchObject({ version: 1 });

    await session.commit();
    expect(await books.get('b1')).toBeUndefined();
    expect(await books.remove('b1')).toBe(false);
  });

  test('checks expected versions against its own writes', async (c) => {
    const session = await c.begin();
    const inBooks = session.records(c.kind('book'));
    expect(await inBooks.save('b1', { n: 1 }, 0)).toBe(1);
    expect(await inBooks.save('b1', { n: 2 }, 1)).toBe(2);
    await expect(inBooks.save('b1', { n: 3 }, 1)).rejects.toMatchObject(versionError(1, 2));
    await session.rollback();
    expect(await c.records('book').get('b1')).toBeUndefined();
  });
}

function declareConflictCases(test: DeclareDatabaseCase): void {
  test('never lets a second session change a record a first one holds', async (c) => {
    const books = c.records('book');
    await books.save('b1', { title: 'dune' }, 0);
    const [first, second] = [await c.begin(), await c.begin()];
    await first.records(c.kind('book')).save('b1', { title: 'first' }, 1);

    const write = second.records(c.kind('book')).save('b1', { title: 'second' }, 1);
    await expectHolderWins(first, write, 1);
    await second.rollback();
    expect(await books.get('b1')).toEqual({ id: 'b1', version: 2, values: { title: 'first' } });
  });

  test('lets only the first of two sessions create the same id', async (c) => {
    const [first, second] = [await c.begin(), await c.begin()];
    await first.records(c.kind('book')).save('b1', { title: 'first' }, 0);

    const write = second.records(c.kind('book')).save('b1', { title: 'second' }, 0);
    await expectHolderWins(first, write, 0);
    await second.rollback();
    const stored = await c.records('book').find();
    expect(stored).toEqual([{ id: 'b1', version: 1, values: { title: 'first' } }]);
  });

  test('never lets an autocommit write through to a record a session holds', async (c) => {
    const books = c.records('book');
    await books.save('b1', { title: 'dune' }, 0);
    const session = await c.begin();
    await session.records(c.kind('book')).save('b1', { title: 'in session' }, 1);

    await expectHolderWins(session, books.save('b1', { title: 'autocommit' }, 1), 1);
    expect(await books.get('b1')).toEqual({
      id: 'b1',
      version: 2,
      values: { title: 'in session' },
    });
  });
}

function declareEndedSessionCases(test: DeclareDatabaseCase): void {
  for (const end of ['commit', 'rollback'] as const) {
    test(`refuses use after ${end}() with INCORRECT_USAGE; rollback() stays harmless`, async (c) => {
      const books = c.records('book');
      const session = await c.begin();
      const inBooks = session.records(c.kind('book'));
      await inBooks.save('b1', { title: 'dune' }, 0);
      await session[end]();

      const refused = { code: 'INCORRECT_USAGE' };
      await expect(inBooks.save('b2', { title: 'ubik' }, 0)).rejects.toMatchObject(refused);
      await expect(inBooks.remove('b1')).rejects.toMatchObject(refused);
      await expect(inBooks.get('b1')).rejects.toMatchObject(refused);
      await expect(inBooks.find()).rejects.toMatchObject(refused);
      await expect(inBooks.count()).rejects.toMatchObject(refused);
      await expect(session.commit()).rejects.toMatchObject(refused);
      await expect(session.rollback()).resolves.toBeUndefined();

      // The refused calls stored nothing and hold no lock: others write both records freely.
      const committed = end === 'commit' ? 1 : 0;
      expect(await books.count()).toBe(committed);
      expect(await books.save('b1', { title: 'dune' }, committed)).toBe(committed + 1);
      expect(await books.save('b2', { title: 'ubik' }, 0)).toBe(1);
    });
  }
}
