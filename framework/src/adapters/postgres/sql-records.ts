/**
 * The RecordStore of one kind in SQL. The same code serves autocommit access and sessions: only
 * the `Executor` (which connection, which transaction) differs.
 */
import { ExpectedVersionError, ValidationError } from '../../core/errors.js';
import type { Query, RecordStore, StoredRecord, Where } from '../../ports/database.js';
import type { Queryable } from './pool.js';
import type { TableSchema } from './schema.js';
import { Params, querySql, whereSql } from './sql-query.js';
import { rowPlaceholders, statementsOf } from './sql-statements.js';
import type { ChildStatements, TableStatements } from './sql-statements.js';
import { childItems, childParams, recordOf, rowParams } from './sql-values.js';

/** Runs record operations on a connection: the session's, or one of the pool's. */
export interface Executor {
  /**
   * Runs `work` and turns driver failures into protean-ts errors naming `operation`. `atomic`
   * asks for a transaction around `work` when the executor is not already in one.
   */
  run<T>(operation: string, work: (db: Queryable) => Promise<T>, atomic?: boolean): Promise<T>;
}

/** What a record store needs besides its executor. */
export interface RecordsContext {
  readonly table: TableSchema;
  /** Resolves once the table can be used (a document table is created on first use). */
  readonly ready: () => Promise<void>;
  /** The committed version of a record, read outside any transaction (after a lock wait failed). */
  readonly committedVersion: (id: string) => Promise<number>;
}

/** SQLSTATEs of a write that lost to a concurrent transaction: lock timeout, deadlock. */
const LOST_RACE = new Set(['55P03', '40P01']);
const UNIQUE_VIOLATION = '23505';
/** Stays well below PostgreSQL's 65535 parameters per statement. */
const MAX_PARAMS = 30_000;

const stateOf = (error: unknown) => (error as { code?: unknown } | undefined)?.code;

/** Records of one kind, read and written with SQL through an executor. */
export class SqlRecords implements RecordStore {
  readonly #context: RecordsContext;
  readonly #executor: Executor;
  readonly #sql: TableStatements;

  constructor(context: RecordsContext, executor: Executor) {
    this.#context = context;
    this.#executor = executor;
    this.#sql = statementsOf(context.table);
  }

  get #kind(): string {
    return this.#context.table.kind;
  }

  async #run<T>(operation: string, work: (db: Queryable) => Promise<T>, atomic = false) {
    return this.#executor.run(
      operation,
      async (db) => {
        await this.#context.ready();
        return work(db);
      },
      atomic,
    );
  }

  async get(id: string): Promise<StoredRecord | undefined> {
    return this.#run(`get of ${this.#kind} '${id}'`, async (db) => {
      const { rows } = await db.query(`${this.#sql.select} WHERE t."id" = $1`, [id]);
      const [row] = rows as Record<string, unknown>[];
      return row ? recordOf(this.#context.table, row) : undefined;
    });
  }

  async save(id: string, values: Record<string, unknown>, expectedVersion: number) {
    const table = this.#context.table;
    const params = rowParams(table, values);
    const atomic = table.children.length > 0;
    return this.#run(
      `save of ${this.#kind} '${id}'`,
      async (db) => {
        const version = await this.#writeRow(db, id, params, expectedVersion).catch(
          async (error: unknown) => {
            throw await this.#saveFailure(error, id, values, expectedVersion);
          },
        );
        for (const child of this.#sql.children) await writeChildren(db, child, id, values, table);
        return version;
      },
      atomic,
    );
  }

  async remove(id: string): Promise<boolean> {
    return this.#run(`remove of ${this.#kind} '${id}'`, async (db) => {
      const { rowCount } = await db.query(this.#sql.remove, [id]);
      return (rowCount ?? 0) > 0;
    });
  }

  async find(query: Query = {}): Promise<StoredRecord[]> {
    return this.#run(`find on ${this.#kind}`, async (db) => {
      const params = new Params();
      const clauses = querySql(this.#context.table, query, params);
      const { rows } = await db.query(`${this.#sql.select} ${clauses}`, params.values);
      return (rows as Record<string, unknown>[]).map((row) => recordOf(this.#context.table, row));
    });
  }

  async count(where?: Where): Promise<number> {
    return this.#run(`count on ${this.#kind}`, async (db) => {
      const params = new Params();
      const clause = whereSql(this.#context.table, where, params);
      const { rows } = await db.query(`${this.#sql.count} ${clause}`, params.values);
      return (rows[0] as { count: number }).count;
    });
  }

  /** INSERT for a new record, versioned UPDATE otherwise; a lost race reads the actual version. */
  async #writeRow(db: Queryable, id: string, params: unknown[], expected: number) {
    const { rows } =
      expected === 0
        ? await db.query(this.#sql.insert, [id, ...params])
        : await db.query(this.#sql.update, [id, expected, ...params]);
    const written = rows[0] as { version: number } | undefined;
    if (written) return written.version;
    const current = await db.query(this.#sql.version, [id]);
    const actual = (current.rows[0] as { version: number } | undefined)?.version ?? 0;
    throw new ExpectedVersionError(`${this.#kind} '${id}'`, expected, actual);
  }

  /** A save refused by PostgreSQL, as the error the domain expects where there is one. */
  async #saveFailure(
    error: unknown,
    id: string,
    values: Record<string, unknown>,
    expected: number,
  ) {
    const state = stateOf(error);
    if (typeof state === 'string' && LOST_RACE.has(state)) {
      const actual = await this.#context.committedVersion(id).catch(() => expected);
      const subject = `${this.#kind} '${id}' (locked by another unit of work, which won)`;
      return new ExpectedVersionError(subject, expected, actual);
    }
    const field = this.#context.table.uniqueIndexes.get(
      String((error as { constraint?: unknown }).constraint),
    );
    if (state === UNIQUE_VIOLATION && field) {
      const element = this.#context.table.element;
      const taken = `must be unique: ${JSON.stringify(values[field])} is already used by another ${element}`;
      return new ValidationError(element, { [field]: [taken] });
    }
    return error;
  }
}

/** Replaces the child rows of one entity field of a record, keeping the list order. */
async function writeChildren(
  db: Queryable,
  child: ChildStatements,
  parentId: string,
  values: Record<string, unknown>,
  table: TableSchema,
): Promise<void> {
  await db.query(child.clear, [parentId]);
  const rows = childItems(child.table, values).map((item, position) => [
    parentId,
    position,
    ...childParams(child.table, table.element, item),
  ]);
  const perStatement = Math.max(1, Math.floor(MAX_PARAMS / child.width));
  for (let start = 0; start < rows.length; start += perStatement) {
    const batch = rows.slice(start, start + perStatement);
    const tuples = batch.map((_, index) => rowPlaceholders(child.casts, index * child.width + 1));
    await db.query(`${child.insertPrefix}${tuples.join(', ')}`, batch.flat());
  }
}
