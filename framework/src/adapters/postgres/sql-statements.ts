/**
 * The fixed SQL text of a table's record operations, built once per table from its checked
 * schema. Values are always placeholders.
 */
import { quoteIdentifier as q } from './identifiers.js';
import type { ChildTable, TableSchema } from './schema.js';
import { CASTS } from './sql-values.js';

/** The statements of one table. */
export interface TableStatements {
  /** `SELECT to_json(t) AS row, <entities of child i> AS c<i> FROM <table> t`. */
  readonly select: string;
  /** $1 id, then the stored columns; returns the version, or no row when the id exists. */
  readonly insert: string;
  /** $1 id, $2 expected version, then the stored columns; no row on a version mismatch. */
  readonly update: string;
  /** $1 id. */
  readonly version: string;
  /** $1 id; the child rows go with it (ON DELETE CASCADE). */
  readonly remove: string;
  readonly count: string;
  readonly children: readonly ChildStatements[];
}

/** The statements of one child table. */
export interface ChildStatements {
  readonly table: ChildTable;
  /** $1 parent id. */
  readonly clear: string;
  /** `INSERT ... VALUES` without its rows: append `rowPlaceholders()` per row. */
  readonly insertPrefix: string;
  /** Parameters per row: parent id, position, id, columns. */
  readonly width: number;
  /** The cast of each parameter of a row. */
  readonly casts: readonly string[];
}

/** The stored columns with their casts: every field column, or `data` for a document table. */
function storedColumns(table: TableSchema): { name: string; cast: string }[] {
  if (table.layout === 'document') return [{ name: 'data', cast: 'jsonb' }];
  return table.columns.map((column) => ({ name: column.name, cast: CASTS[column.type] }));
}

function childStatements(child: ChildTable): ChildStatements {
  const names = ['parent_id', 'position', 'id', ...child.columns.map((column) => column.name)];
  const casts = ['text', 'integer', 'text', ...child.columns.map((column) => CASTS[column.type])];
  return {
    table: child,
    clear: `DELETE FROM ${q(child.name)} WHERE "parent_id" = $1`,
    insertPrefix: `INSERT INTO ${q(child.name)} (${names.map(q).join(', ')}) VALUES `,
    width: names.length,
    casts,
  };
}

function childSelect(child: ChildTable, index: number): string {
  const rows = `json_agg(to_json(c.*) ORDER BY c."position")`;
  return (
    `(SELECT coalesce(${rows}, '[]'::json) FROM ${q(child.name)} c ` +
    `WHERE c."parent_id" = t."id") AS "c${index}"`
  );
}

function build(table: TableSchema): TableStatements {
  const name = q(table.name);
  const columns = storedColumns(table);
  const placeholders = (from: number) =>
    columns.map((column, index) => `$${from + index}::${column.cast}`);
  const list = columns.map((column) => q(column.name));
  const sets = list.map((column, index) => `${column} = ${placeholders(3)[index]}`);
  const insertColumns = ['"id"', '"version"', ...list].join(', ');
  const insertValues = ['$1', '1', ...placeholders(2)].join(', ');
  return {
    select:
      ['SELECT to_json(t.*) AS "row"', ...table.children.map(childSelect)].join(', ') +
      ` FROM ${name} t`,
    insert:
      `INSERT INTO ${name} (${insertColumns}) VALUES (${insertValues}) ` +
      'ON CONFLICT ("id") DO NOTHING RETURNING "version"',
    update:
      `UPDATE ${name} SET ${['"version" = "version" + 1', ...sets].join(', ')} ` +
      'WHERE "id" = $1 AND "version" = $2 RETURNING "version"',
    version: `SELECT "version" FROM ${name} WHERE "id" = $1`,
    remove: `DELETE FROM ${name} WHERE "id" = $1`,
    count: `SELECT count(*)::integer AS "count" FROM ${name} t`,
    children: table.children.map(childStatements),
  };
}

const cache = new WeakMap<TableSchema, TableStatements>();

/** The statements of a table (built on first use, then cached). */
export function statementsOf(table: TableSchema): TableStatements {
  let statements = cache.get(table);
  if (!statements) cache.set(table, (statements = build(table)));
  return statements;
}

/** `($n::text, $n+1::integer, ...)` for the row that starts at parameter `from`. */
export function rowPlaceholders(casts: readonly string[], from: number): string {
  return `(${casts.map((cast, index) => `$${from + index}::${cast}`).join(', ')})`;
}
