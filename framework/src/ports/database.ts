import type { Fields } from '../core/fields.js';

/**
 * The database port: where aggregates and projections are stored. Adapters implement it; the core
 * only ever talks to these interfaces.
 */

/** One stored element: identity, version and field values (plain data). */
export interface StoredRecord {
  readonly id: string;
  /** Incremented on every save, starting at 1. */
  readonly version: number;
  readonly values: Record<string, unknown>;
}

/** Comparisons a query can make on one field; several in one object must all hold. */
export interface Comparison {
  eq?: unknown;
  ne?: unknown;
  gt?: unknown;
  gte?: unknown;
  lt?: unknown;
  lte?: unknown;
  /** The value is one of these. */
  in?: readonly unknown[];
  /** A string field contains this text (case-sensitive). */
  contains?: string;
}

/** The comparison operators, in the order they are documented. */
export const COMPARISON_OPERATORS = [
  'eq',
  'ne',
  'gt',
  'gte',
  'lt',
  'lte',
  'in',
  'contains',
] as const;

/**
 * Conditions on fields, all of which must hold. A plain value means equality; an object whose
 * keys are all comparison operators is a `Comparison`.
 *
 * @example
 * const where: Where = {
 *   status: 'available',
 *   price: { gte: 10, lt: 20 },
 *   genre: { in: ['sf', 'fantasy'] },
 * };
 */
export type Where = Record<string, unknown>;

/** Field -> direction; the order of keys is the order of sorting. */
export type OrderBy = Record<string, 'asc' | 'desc'>;

/** What `find()` selects and how. */
export interface Query {
  where?: Where;
  orderBy?: OrderBy;
  limit?: number;
  offset?: number;
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
  /** Records matching the query, ordered, paginated. */
  find(query?: Query): Promise<StoredRecord[]>;
  /** How many records match. */
  count(where?: Where): Promise<number>;
}

/**
 * How other adapters of the same technology write inside a session's transaction: the
 * PostgreSQL event store and outbox use the session's connection, the memory ones defer their
 * writes to its commit. An adapter that cannot join writes on its own.
 */
export interface TransactionLink {
  /** Which adapters can join: `memory`, `postgresql`. */
  readonly technology: string;
  /** Which database: adapters join only a transaction on the database they use. */
  readonly resource: string;
  /** Adapter-specific: a `pg` client for PostgreSQL, commit hooks for memory. */
  readonly handle: unknown;
}

/** The handle of a memory transaction: work to do when it commits, in order. */
export interface MemoryTransactionHandle {
  afterCommit(step: () => void): void;
}

/**
 * A transaction: reads see its own writes; writes take effect together on `commit()` or not at
 * all. A write conflicting with another open session fails with `ExpectedVersionError`.
 */
export interface DatabaseSession {
  records(kind: string): RecordStore;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  /** Lets the event store and outbox write in this same transaction. */
  readonly link?: TransactionLink;
}

/** One element kind a database stores: what a SQL adapter derives its table(s) from. */
export interface KindSchema {
  /** The record kind, e.g. `bookshelf.book`. */
  readonly kind: string;
  /** `aggregate` or `projection`. */
  readonly element: 'aggregate' | 'projection';
  /** The element name, e.g. `Book`. */
  readonly name: string;
  /** The field declarations (nested value objects and entities carry their own via `target`). */
  readonly fields: Fields;
  /** The field holding the identity, when declared; the generated `id` otherwise. */
  readonly identityField: string | undefined;
}

/** Creating, emptying and removing what an adapter stores (`protean db setup | truncate | drop`). */
export interface SchemaOperations {
  /** Creates every table or structure; running it twice changes nothing. */
  setup(): Promise<void>;
  /** Deletes every row, keeps the structures. */
  truncate(): Promise<void>;
  /** Removes every table or structure. */
  drop(): Promise<void>;
}

/** A configured database: memory, PostgreSQL, ... */
export interface DatabaseProvider extends Partial<SchemaOperations> {
  /** The provider's name in domain.toml, e.g. `memory`. */
  readonly provider: string;
  /** Connects (a no-op for memory). */
  start(): Promise<void>;
  /** Releases connections and resources. */
  close(): Promise<void>;
  /**
   * Resolves when the database answers; rejects with the reason otherwise (readiness checks).
   * Bounded in time by the adapter, so a hung server cannot hang the caller.
   */
  ping(): Promise<void>;
  /** Reads and single writes outside any transaction, for the kind named like `bookshelf.book`. */
  records(kind: string): RecordStore;
  /** Opens a transaction. */
  begin(): Promise<DatabaseSession>;
  /** Told, before `start()`, every kind the domain stores (SQL adapters derive tables from it). */
  declare?(kinds: readonly KindSchema[]): void;
}
