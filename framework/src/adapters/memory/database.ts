import { ExpectedVersionError, IncorrectUsageError } from '../../core/errors.js';
import type {
  DatabaseProvider,
  DatabaseSession,
  MemoryTransactionHandle,
  Query,
  RecordStore,
  StoredRecord,
  TransactionLink,
  Where,
} from '../../ports/database.js';
import { matches, runQuery } from './query.js';

type Rows = Map<string, StoredRecord>;
/** A session's staged rows of one kind: a row to write, or `null` to remove. */
type Staged = Map<string, StoredRecord | null>;

const copy = <T>(value: T): T => structuredClone(value);

/** The version a save creates, if the stored version is the expected one. */
function nextVersion(kind: string, id: string, actual: number, expected: number): number {
  if (actual !== expected) throw new ExpectedVersionError(`${kind} '${id}'`, expected, actual);
  return actual + 1;
}

function countMatching(rows: Iterable<StoredRecord>, where: Where | undefined): number {
  let count = 0;
  for (const row of rows) if (matches(row, where)) count += 1;
  return count;
}

/** Committed rows of every kind, and which session holds a write lock on which row. */
class Tables {
  readonly #kinds = new Map<string, Rows>();
  readonly #locks = new Map<string, Map<string, object>>();

  rows(kind: string): Rows {
    let rows = this.#kinds.get(kind);
    if (!rows) this.#kinds.set(kind, (rows = new Map()));
    return rows;
  }

  /** Takes the write lock on a row for `owner`; fails at once if another session holds it. */
  lock(kind: string, id: string, owner: object | undefined): void {
    let locks = this.#locks.get(kind);
    const holder = locks?.get(id);
    if (holder && holder !== owner) {
      const actual = this.rows(kind).get(id)?.version ?? 0;
      const subject = `${kind} '${id}' (being changed by another unit of work)`;
      throw new ExpectedVersionError(subject, actual, actual);
    }
    if (!owner) return;
    if (!locks) this.#locks.set(kind, (locks = new Map()));
    locks.set(id, owner);
  }

  unlock(kind: string, id: string): void {
    this.#locks.get(kind)?.delete(id);
  }

  clear(): void {
    this.#kinds.clear();
    this.#locks.clear();
  }
}

/** Reads and writes straight to the committed rows (no transaction). */
class AutocommitRecords implements RecordStore {
  readonly #tables: Tables;
  readonly #kind: string;
  readonly #rows: Rows;

  constructor(tables: Tables, kind: string) {
    this.#tables = tables;
    this.#kind = kind;
    this.#rows = tables.rows(kind);
  }

  async get(id: string) {
    return copy(this.#rows.get(id));
  }

  async save(id: string, values: Record<string, unknown>, expectedVersion: number) {
    this.#tables.lock(this.#kind, id, undefined);
    const version = nextVersion(this.#kind, id, this.#rows.get(id)?.version ?? 0, expectedVersion);
    this.#rows.set(id, copy({ id, version, values }));
    return version;
  }

  async remove(id: string) {
    this.#tables.lock(this.#kind, id, undefined);
    return this.#rows.delete(id);
  }

  async find(query?: Query) {
    return copy(runQuery(this.#rows.values(), query));
  }

  async count(where?: Where) {
    return countMatching(this.#rows.values(), where);
  }
}

/** One kind's records as a session sees them: its own staged writes over the committed rows. */
class SessionRecords implements RecordStore {
  readonly #tables: Tables;
  readonly #kind: string;
  readonly #session: MemorySession;
  readonly #rows: Rows;
  readonly #locked = new Set<string>();
  readonly staged: Staged = new Map();

  constructor(tables: Tables, kind: string, session: MemorySession) {
    this.#tables = tables;
    this.#kind = kind;
    this.#session = session;
    this.#rows = tables.rows(kind);
  }

  #lookup(id: string): StoredRecord | undefined {
    return this.staged.has(id) ? (this.staged.get(id) ?? undefined) : this.#rows.get(id);
  }

  /** Every visible row; copies the committed rows only when this session staged some. */
  #visible(): Iterable<StoredRecord> {
    if (this.staged.size === 0) return this.#rows.values();
    const rows = new Map(this.#rows);
    for (const [id, row] of this.staged) applyRow(rows, id, row);
    return rows.values();
  }

  #lock(id: string): void {
    this.#tables.lock(this.#kind, id, this.#session);
    this.#locked.add(id);
  }

  async get(id: string) {
    this.#session.requireOpen('get');
    return copy(this.#lookup(id));
  }

  async save(id: string, values: Record<string, unknown>, expectedVersion: number) {
    this.#session.requireOpen('save');
    this.#lock(id);
    const version = nextVersion(this.#kind, id, this.#lookup(id)?.version ?? 0, expectedVersion);
    this.staged.set(id, copy({ id, version, values }));
    return version;
  }

  async remove(id: string) {
    this.#session.requireOpen('remove');
    this.#lock(id);
    const existed = this.#lookup(id) !== undefined;
    this.staged.set(id, null);
    return existed;
  }

  async find(query?: Query) {
    this.#session.requireOpen('find');
    return copy(runQuery(this.#visible(), query));
  }

  async count(where?: Where) {
    this.#session.requireOpen('count');
    return countMatching(this.#visible(), where);
  }

  /** Applies the staged rows to the committed ones, or just forgets them; releases the locks. */
  finish(apply: boolean): void {
    if (apply) for (const [id, row] of this.staged) applyRow(this.#rows, id, row);
    for (const id of this.#locked) this.#tables.unlock(this.#kind, id);
    this.#locked.clear();
    this.staged.clear();
  }
}

/** A transaction over the memory tables: staged writes, row locks taken at write time. */
class MemorySession implements DatabaseSession {
  readonly #tables: Tables;
  readonly #kinds = new Map<string, SessionRecords>();
  readonly #afterCommit: (() => void)[] = [];
  #ended: 'commit' | 'rollback' | undefined;
  readonly link: TransactionLink;

  constructor(tables: Tables) {
    this.#tables = tables;
    const handle: MemoryTransactionHandle = { afterCommit: (step) => this.#afterCommit.push(step) };
    this.link = { technology: 'memory', resource: 'memory', handle };
  }

  records(kind: string): SessionRecords {
    let records = this.#kinds.get(kind);
    if (!records) this.#kinds.set(kind, (records = new SessionRecords(this.#tables, kind, this)));
    return records;
  }

  /** Refuses any use once the session has ended, as a released PostgreSQL connection would. */
  requireOpen(action: string): void {
    if (this.#ended)
      throw new IncorrectUsageError(
        `this database session has ended (${this.#ended}()); ${action}() needs a new one: begin()`,
      );
  }

  async commit() {
    this.requireOpen('commit');
    this.#ended = 'commit';
    for (const records of this.#kinds.values()) records.finish(true);
    for (const step of this.#afterCommit.splice(0)) step();
  }

  async rollback() {
    if (this.#ended) return;
    this.#ended = 'rollback';
    this.#afterCommit.length = 0;
    for (const records of this.#kinds.values()) records.finish(false);
  }
}

/** Writes a staged row, or deletes it when it was staged as removed (`null`). */
function applyRow(rows: Rows, id: string, row: StoredRecord | null): void {
  if (row) rows.set(id, row);
  else rows.delete(id);
}

/** Where the database is in its lifecycle: `ping()` answers only between start() and close(). */
type Lifecycle = 'created' | 'started' | 'closed';

/** What `ping()` says outside start() ... close(): the database would not answer a real call. */
function requireStarted(state: Lifecycle): void {
  if (state === 'started') return;
  const why =
    state === 'closed' ? 'is closed: ping() was called after close()' : 'has not been started';
  throw new IncorrectUsageError(`the memory database ${why}; call start() first.`);
}

/**
 * The embedded database: records live in maps inside the process and are copied in and out, so
 * an aggregate changed in memory is not stored until it is saved, exactly as with a real
 * database. Sessions give all-or-nothing commits and row locks like PostgreSQL's. `ping()`
 * resolves between `start()` and `close()` only, as a real database answers only once connected.
 *
 * @example
 * const db = createMemoryDatabase();
 * const session = await db.begin();
 * await session.records('bookshelf.book').save('42', { title: 'Dune' }, 0);
 * await session.commit();
 */
export function createMemoryDatabase(): DatabaseProvider {
  const tables = new Tables();
  let state: Lifecycle = 'created';
  return {
    provider: 'memory',
    async start() {
      state = 'started';
    },
    async close() {
      state = 'closed';
      tables.clear();
    },
    async ping() {
      requireStarted(state);
    },
    async truncate() {
      tables.clear();
    },
    records: (kind) => new AutocommitRecords(tables, kind),
    begin: async () => new MemorySession(tables),
  };
}
