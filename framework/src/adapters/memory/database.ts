import { ExpectedVersionError } from '../../core/errors.js';
import type {
  DatabaseProvider,
  DatabaseSession,
  RecordStore,
  StoredRecord,
} from '../../ports/database.js';
import { matches, runQuery } from './query.js';

type Rows = Map<string, StoredRecord>;

/** The committed rows of every kind, and which session holds a write lock on which row. */
interface Tables {
  rows(kind: string): Rows;
  locks: Map<string, object>;
}

const lockKey = (kind: string, id: string) => `${kind}\u0000${id}`;
const copy = <T>(value: T): T => structuredClone(value);

function versionCheck(kind: string, id: string, rows: Rows, expected: number): number {
  const actual = rows.get(id)?.version ?? 0;
  if (actual !== expected) throw new ExpectedVersionError(`${kind} '${id}'`, expected, actual);
  return actual + 1;
}

/** Writes a staged row, or deletes it when it was staged as removed (`null`). */
function applyRow(rows: Rows, id: string, row: StoredRecord | null): void {
  if (row) rows.set(id, row);
  else rows.delete(id);
}

/** Reads and writes straight to the committed rows (no transaction). */
function autocommitStore(tables: Tables, kind: string): RecordStore {
  const rows = tables.rows(kind);
  const unlocked = (id: string) => {
    if (tables.locks.has(lockKey(kind, id))) {
      const actual = rows.get(id)?.version ?? 0;
      throw new ExpectedVersionError(
        `${kind} '${id}' (being changed by an open unit of work)`,
        actual,
        actual,
      );
    }
  };
  return {
    get: async (id) => copy(rows.get(id)),
    async save(id, values, expectedVersion) {
      unlocked(id);
      const version = versionCheck(kind, id, rows, expectedVersion);
      rows.set(id, copy({ id, version, values }));
      return version;
    },
    async remove(id) {
      unlocked(id);
      return rows.delete(id);
    },
    find: async (query) => copy(runQuery(rows.values(), query)),
    count: async (where) => [...rows.values()].filter((r) => matches(r, where)).length,
  };
}

/** A transaction over the memory tables: staged writes, row locks taken at write time. */
function memorySession(tables: Tables): DatabaseSession {
  const owner = {};
  const staged = new Map<string, Map<string, StoredRecord | null>>();
  const stagedOf = (kind: string) => staged.get(kind) ?? staged.set(kind, new Map()).get(kind)!;
  const lock = (kind: string, id: string) => {
    const holder = tables.locks.get(lockKey(kind, id));
    if (holder && holder !== owner) {
      const actual = tables.rows(kind).get(id)?.version ?? 0;
      throw new ExpectedVersionError(
        `${kind} '${id}' (being changed by another unit of work)`,
        actual,
        actual,
      );
    }
    tables.locks.set(lockKey(kind, id), owner);
  };
  const release = () => {
    for (const [key, holder] of tables.locks) if (holder === owner) tables.locks.delete(key);
    staged.clear();
  };
  const visible = (kind: string): Rows => {
    const rows = new Map(tables.rows(kind));
    for (const [id, row] of stagedOf(kind)) applyRow(rows, id, row);
    return rows;
  };
  return {
    records: (kind) => ({
      get: async (id) => copy(visible(kind).get(id)),
      async save(id, values, expectedVersion) {
        lock(kind, id);
        const version = versionCheck(kind, id, visible(kind), expectedVersion);
        stagedOf(kind).set(id, copy({ id, version, values }));
        return version;
      },
      async remove(id) {
        lock(kind, id);
        const existed = visible(kind).has(id);
        stagedOf(kind).set(id, null);
        return existed;
      },
      find: async (query) => copy(runQuery(visible(kind).values(), query)),
      count: async (where) => [...visible(kind).values()].filter((r) => matches(r, where)).length,
    }),
    async commit() {
      for (const [kind, rows] of staged) {
        const target = tables.rows(kind);
        for (const [id, row] of rows) applyRow(target, id, row);
      }
      release();
    },
    async rollback() {
      release();
    },
  };
}

/**
 * The embedded database: records live in maps inside the process and are copied in and out, so
 * an aggregate changed in memory is not stored until it is saved, exactly as with a real
 * database. Sessions give all-or-nothing commits and row locks like PostgreSQL's.
 *
 * @example
 * const db = createMemoryDatabase();
 * const session = await db.begin();
 * await session.records('bookshelf.book').save('42', { title: 'Dune' }, 0);
 * await session.commit();
 */
export function createMemoryDatabase(): DatabaseProvider {
  const kinds = new Map<string, Rows>();
  const tables: Tables = {
    rows: (kind) => kinds.get(kind) ?? kinds.set(kind, new Map()).get(kind)!,
    locks: new Map(),
  };
  return {
    provider: 'memory',
    async start() {},
    async close() {
      kinds.clear();
      tables.locks.clear();
    },
    records: (kind) => autocommitStore(tables, kind),
    begin: async () => memorySession(tables),
  };
}
