/**
 * The database port: where aggregates (and later projections) are stored. Adapters implement it;
 * the core only ever talks to this interface.
 */

/** One stored element: identity, version and field values. */
export interface StoredRecord {
  readonly id: string;
  /** Incremented on every save, starting at 1. */
  readonly version: number;
  readonly values: Record<string, unknown>;
}

/** Access to the records of one element kind (one table, one map). */
export interface RecordStore {
  /** The record with this id, or `undefined`. */
  get(id: string): Promise<StoredRecord | undefined>;
  /**
   * Stores `values` under `id` if the stored version equals `expectedVersion` (0: must not exist
   * yet); throws `ExpectedVersionError` otherwise. Resolves with the new version.
   */
  save(id: string, values: Record<string, unknown>, expectedVersion: number): Promise<number>;
  /** Removes the record; resolves `false` when there was none. */
  remove(id: string): Promise<boolean>;
  /** How many records there are. */
  count(): Promise<number>;
}

/** A configured database: memory, PostgreSQL, ... */
export interface DatabaseProvider {
  /** The provider's name in domain.toml, e.g. `memory`. */
  readonly provider: string;
  /** Connects (a no-op for memory). */
  start(): Promise<void>;
  /** Releases connections and resources. */
  close(): Promise<void>;
  /** The store for one element kind, named like `bookshelf.book`. */
  records(kind: string): RecordStore;
}
