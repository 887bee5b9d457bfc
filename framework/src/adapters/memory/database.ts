import { ExpectedVersionError } from '../../core/errors.js';
import type { DatabaseProvider, RecordStore, StoredRecord } from '../../ports/database.js';

function createMemoryRecordStore(kind: string): RecordStore {
  const rows = new Map<string, StoredRecord>();
  return {
    async get(id) {
      const row = rows.get(id);
      return row && structuredClone(row);
    },
    async save(id, values, expectedVersion) {
      const actual = rows.get(id)?.version ?? 0;
      if (actual !== expectedVersion) {
        throw new ExpectedVersionError(`${kind} '${id}'`, expectedVersion, actual);
      }
      const version = actual + 1;
      rows.set(id, structuredClone({ id, version, values }));
      return version;
    },
    async remove(id) {
      return rows.delete(id);
    },
    async count() {
      return rows.size;
    },
  };
}

/**
 * The embedded database: records live in maps inside the process and are copied in and out, so
 * an aggregate changed in memory is not stored until it is saved, exactly as with a real database.
 *
 * @example
 * const db = createMemoryDatabase();
 * const books = db.records('bookshelf.book');
 */
export function createMemoryDatabase(): DatabaseProvider {
  const stores = new Map<string, RecordStore>();
  return {
    provider: 'memory',
    async start() {},
    async close() {
      stores.clear();
    },
    records(kind) {
      let store = stores.get(kind);
      if (!store) stores.set(kind, (store = createMemoryRecordStore(kind)));
      return store;
    },
  };
}
