/**
 * The DDL of derived tables: `CREATE TABLE IF NOT EXISTS` (so setup runs twice safely), unique
 * indexes, and the table lists truncate and drop work on. Text columns use the "C" collation, so
 * strings sort by code point exactly as the memory adapter sorts them, whatever the database's
 * locale.
 */
import { quoteIdentifier as q } from './identifiers.js';
import type { ChildTable, Column, ColumnType, TableSchema } from './schema.js';

const TEXT = 'text COLLATE "C"';

function typeSql(type: ColumnType): string {
  return type === 'text' ? TEXT : type;
}

function columnSql(column: Column): string {
  return `${q(column.name)} ${typeSql(column.type)}${column.required ? ' NOT NULL' : ''}`;
}

function rootSql(table: TableSchema): string {
  const columns =
    table.layout === 'document'
      ? ['"data" jsonb NOT NULL']
      : table.columns.map((column) => columnSql(column));
  const body = [`"id" ${TEXT} PRIMARY KEY`, '"version" integer NOT NULL', ...columns];
  return `CREATE TABLE IF NOT EXISTS ${q(table.name)} (${body.join(', ')})`;
}

function childSql(table: TableSchema, child: ChildTable): string {
  const body = [
    `"parent_id" ${TEXT} NOT NULL REFERENCES ${q(table.name)} ("id") ON DELETE CASCADE`,
    '"position" integer NOT NULL',
    `"id" ${TEXT} NOT NULL`,
    ...child.columns.map((column) => columnSql(column)),
    'PRIMARY KEY ("parent_id", "position")',
  ];
  return `CREATE TABLE IF NOT EXISTS ${q(child.name)} (${body.join(', ')})`;
}

function uniqueIndexSql(table: TableSchema): string[] {
  return [...table.uniqueIndexes].map(([index, field]) => {
    const column = table.columns.find((candidate) => candidate.field === field);
    return `CREATE UNIQUE INDEX IF NOT EXISTS ${q(index)} ON ${q(table.name)} (${q(column?.name ?? field)})`;
  });
}

/** The statements that create a table, its child tables and its unique indexes, in order. */
export function createSql(table: TableSchema): string[] {
  return [
    rootSql(table),
    ...table.children.map((child) => childSql(table, child)),
    ...uniqueIndexSql(table),
  ];
}

/** Every table name of these schemas, child tables before their parents (the order drop needs). */
export function tableNames(tables: Iterable<TableSchema>): string[] {
  return [...tables].flatMap((table) => [...table.children.map((child) => child.name), table.name]);
}

/**
 * `TRUNCATE` of the given tables in one statement (parents and children together, so no
 * CASCADE reaches tables protean-ts does not own); `undefined` when there are none.
 */
export function truncateSql(names: readonly string[]): string | undefined {
  return names.length > 0 ? `TRUNCATE TABLE ${names.map(q).join(', ')}` : undefined;
}

/** `DROP TABLE IF EXISTS` of the given tables in one statement, without CASCADE. */
export function dropSql(names: readonly string[]): string | undefined {
  return names.length > 0 ? `DROP TABLE IF EXISTS ${names.map(q).join(', ')}` : undefined;
}
