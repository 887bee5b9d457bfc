/**
 * Values between plain record data and SQL: parameters going in, JSON rows coming out. Rows are
 * read as `to_json(row)`, so numbers arrive as JS numbers (never the strings `pg` makes of
 * bigint) and dates as ISO strings turned back into `Date`s, without touching `pg`'s type parsers.
 */
import { IncorrectUsageError } from '../../core/errors.js';
import type { StoredRecord } from '../../ports/database.js';
import type { ChildTable, ColumnSet, ColumnType, TableSchema } from './schema.js';

/** The SQL type a parameter is cast to, per column type. */
export const CASTS: Readonly<Record<ColumnType, string>> = {
  text: 'text',
  bigint: 'bigint',
  'double precision': 'float8',
  boolean: 'boolean',
  date: 'date',
  timestamptz: 'timestamptz',
  jsonb: 'jsonb',
};

export const isMissing = (value: unknown): value is null | undefined =>
  value === undefined || value === null;

function asDate(value: unknown): Date | undefined {
  const date =
    value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  return date && !Number.isNaN(date.getTime()) ? date : undefined;
}

/**
 * Whether a value can be compared with a column of this type at all; when it cannot, no stored
 * value equals it (a number never equals its text), and PostgreSQL never sees a bad cast.
 */
export function fits(type: ColumnType, value: unknown): boolean {
  switch (type) {
    case 'text':
      return typeof value === 'string';
    case 'bigint':
    case 'double precision':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'date':
    case 'timestamptz':
      return asDate(value) !== undefined;
    case 'jsonb':
      return value !== undefined;
  }
}

/** A value as the parameter of a column of `type` (`null` for no value). */
export function encodeValue(type: ColumnType, value: unknown): unknown {
  if (isMissing(value)) return null;
  if (type === 'jsonb') return JSON.stringify(value);
  if (type === 'date' || type === 'timestamptz') {
    const date = asDate(value);
    if (!date) return value; // PostgreSQL reports the bad value
    return type === 'date' ? date.toISOString().slice(0, 10) : date.toISOString();
  }
  return value;
}

/** A column's value read from `to_json()`, or `undefined` for SQL NULL. */
function decodeValue(type: ColumnType, raw: unknown): unknown {
  if (isMissing(raw)) return undefined;
  // to_json() writes a date as 'YYYY-MM-DD' (parsed as UTC midnight) and a timestamptz with offset.
  if (type === 'date' || type === 'timestamptz') return new Date(raw as string);
  return raw;
}

type Json = Record<string, unknown>;

/** The field values of one row (main or child) of a column set. */
function valuesOf(set: ColumnSet, row: Json): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  if (set.idField) values[set.idField] = row['id'];
  for (const column of set.columns) {
    const value = decodeValue(column.type, row[column.name]);
    if (value !== undefined) values[column.field] = value;
  }
  return values;
}

function entityOf(child: ChildTable, row: Json): Record<string, unknown> {
  const values = valuesOf(child, row);
  return child.identityField ? values : { id: row['id'], ...values };
}

/** A stored record from the row of `SELECT to_json(t.*) AS row, <child lists> AS c0, c1 ...`. */
export function recordOf(table: TableSchema, result: Json): StoredRecord {
  const row = result['row'] as Json;
  const id = row['id'] as string;
  const version = row['version'] as number;
  if (table.layout === 'document') return { id, version, values: row['data'] as Json };
  const values = valuesOf(table, row);
  table.children.forEach((child, index) => {
    const items = ((result[`c${index}`] ?? []) as Json[]).map((item) => entityOf(child, item));
    if (child.many) values[child.field] = items;
    else if (items[0]) values[child.field] = items[0];
  });
  return { id, version, values };
}

/** Refuses values for fields the table does not have: they would be lost silently. */
function checkKnown(owner: string, set: ColumnSet, values: Json, more: readonly string[]): void {
  const known = new Set([...set.columns.map((c) => c.field), ...more]);
  if (set.idField) known.add(set.idField);
  const unknown = Object.keys(values).filter((key) => values[key] !== undefined && !known.has(key));
  if (unknown.length > 0) {
    throw new IncorrectUsageError(
      `${owner} has no field ${unknown.map((key) => JSON.stringify(key)).join(', ')}; the ` +
        'values stored must match its declared fields (declare them, or leave them out)',
    );
  }
}

/**
 * The parameters of a record's stored columns, in column order: each field of a typed table, or
 * the whole values as JSON for a document table.
 */
export function rowParams(table: TableSchema, values: Json): unknown[] {
  if (table.layout === 'document') return [JSON.stringify(values)];
  checkKnown(
    table.element,
    table,
    values,
    table.children.map((child) => child.field),
  );
  return table.columns.map((column) => encodeValue(column.type, values[column.field]));
}

/** The entities a child table holds for these values, in order (none for an absent has_one). */
export function childItems(child: ChildTable, values: Json): Json[] {
  const value = values[child.field];
  if (isMissing(value)) return [];
  const items = child.many ? value : [value];
  if (!Array.isArray(items))
    throw new IncorrectUsageError(`${child.field} must be a list of entities to be stored`);
  return items as Json[];
}

/** The parameters of one child row after `parent_id` and `position`: its id, then its columns. */
export function childParams(child: ChildTable, owner: string, item: Json): unknown[] {
  const where = `${owner}.${child.field}`;
  const id = item[child.identityField ?? 'id'];
  if (typeof id !== 'string' || id === '')
    throw new IncorrectUsageError(`${where}: an entity is stored without an id`);
  const rest = child.identityField
    ? item
    : Object.fromEntries(Object.entries(item).filter(([key]) => key !== 'id'));
  checkKnown(where, child, rest, []);
  return [id, ...child.columns.map((column) => encodeValue(column.type, item[column.field]))];
}
