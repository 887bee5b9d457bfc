/**
 * `Query` -> SQL, with the memory adapter's semantics: `ne` matches records without the value,
 * `in: []` matches nothing, `contains` is literal and case-sensitive, no value sorts last
 * ascending and first descending, ties go by id. Only names from the table's schema reach the SQL
 * text (quoted); every value, field names of document tables included, is a parameter.
 */
import { IncorrectUsageError } from '../../core/errors.js';
import { COMPARISON_OPERATORS } from '../../ports/database.js';
import type { Comparison, OrderBy, Query, Where } from '../../ports/database.js';
import { quoteIdentifier } from './identifiers.js';
import type { ColumnType, TableSchema } from './schema.js';
import { CASTS, encodeValue, fits, isMissing } from './sql-values.js';

/** The parameters of one statement; `add()` answers the placeholder of a value. */
export class Params {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/**
 * What a field name means in SQL: an expression on the row `t`, and its type. `sql` is read only
 * when the expression is used, because reading it may add a parameter (which PostgreSQL refuses
 * when no placeholder refers to it).
 */
interface Target {
  readonly sql: string;
  readonly type: ColumnType;
}

/** A target whose expression is built on first use, then reused. */
function lazyTarget(type: ColumnType, build: () => string): Target {
  let sql: string | undefined;
  return {
    type,
    get sql() {
      return (sql ??= build());
    },
  };
}

const OPERATORS = new Set<string>(COMPARISON_OPERATORS);
const ORDERED = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;
const ID: Target = { sql: 't."id"', type: 'text' };

function isComparison(value: unknown): value is Comparison {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date)
    return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => OPERATORS.has(key));
}

/** The expression of a field: its column, or its key in the `data` of a document table. */
function targetOf(table: TableSchema, field: string, params: Params): Target {
  if (field === 'id' || field === table.idField) return ID;
  if (table.layout === 'document') {
    // JSON null and a missing key are both "no value", as in the memory adapter.
    return lazyTarget(
      'jsonb',
      () => `NULLIF(t."data" -> ${params.add(field)}::text, 'null'::jsonb)`,
    );
  }
  const column = table.columns.find((candidate) => candidate.field === field);
  if (column) return { sql: `t.${quoteIdentifier(column.name)}`, type: column.type };
  const child = table.children.find((candidate) => candidate.field === field);
  const why = child
    ? `holds entities (table "${child.name}"), which cannot be filtered or sorted on`
    : 'is not one of its fields';
  throw new IncorrectUsageError(`${table.element}.${field} ${why}`);
}

/** A value as a typed parameter; a fraction compared with an integer column stays a fraction. */
function bound(target: Target, value: unknown, params: Params): string {
  const cast = target.type === 'bigint' && !Number.isInteger(value) ? 'float8' : CASTS[target.type];
  return `${params.add(encodeValue(target.type, value))}::${cast}`;
}

function inList(target: Target, candidates: unknown, params: Params): string {
  if (!Array.isArray(candidates))
    throw new IncorrectUsageError(`"in" expects a list, received ${typeof candidates}`);
  const present = candidates.filter((value) => !isMissing(value) && fits(target.type, value));
  const parts: string[] = [];
  if (present.length > 0) {
    const fraction = target.type === 'bigint' && present.some((v) => !Number.isInteger(v));
    const cast = fraction ? 'float8' : CASTS[target.type];
    const encoded = present.map((value) => encodeValue(target.type, value));
    parts.push(`${target.sql} = ANY(${params.add(encoded)}::${cast}[])`);
  }
  if (candidates.some(isMissing)) parts.push(`${target.sql} IS NULL`);
  return parts.length > 0 ? `(${parts.join(' OR ')})` : 'FALSE';
}

function contains(target: Target, text: unknown, params: Params): string {
  if (target.type !== 'text' && target.type !== 'jsonb') return 'FALSE';
  const column = target.type === 'text' ? target.sql : `${target.sql} #>> '{}'`;
  const found = `strpos(${column}, ${params.add(String(text))}::text) > 0`;
  return target.type === 'text' ? found : `(jsonb_typeof(${target.sql}) = 'string' AND ${found})`;
}

function compare(target: Target, op: string, value: unknown, params: Params): string {
  const comparable = !isMissing(value) && fits(target.type, value);
  switch (op) {
    case 'eq':
      if (isMissing(value)) return `${target.sql} IS NULL`;
      return comparable ? `${target.sql} = ${bound(target, value, params)}` : 'FALSE';
    case 'ne':
      if (isMissing(value)) return `${target.sql} IS NOT NULL`;
      return comparable ? `${target.sql} IS DISTINCT FROM ${bound(target, value, params)}` : 'TRUE';
    case 'in':
      return inList(target, value, params);
    case 'contains':
      return contains(target, value, params);
    default: {
      const symbol = ORDERED[op as keyof typeof ORDERED];
      return comparable ? `${target.sql} ${symbol} ${bound(target, value, params)}` : 'FALSE';
    }
  }
}

/** `WHERE ...` for the conditions (empty when there are none). */
export function whereSql(table: TableSchema, where: Where | undefined, params: Params): string {
  const parts = Object.entries(where ?? {}).flatMap(([field, condition]) => {
    const target = targetOf(table, field, params);
    if (!isComparison(condition)) return [compare(target, 'eq', condition, params)];
    return Object.entries(condition).map(([op, value]) => compare(target, op, value, params));
  });
  return parts.length > 0 ? `WHERE ${parts.join(' AND ')}` : '';
}

/** `ORDER BY ...`: the requested keys (no value last ascending, first descending), then id. */
function orderSql(table: TableSchema, orderBy: OrderBy | undefined, params: Params): string {
  const keys = Object.entries(orderBy ?? {}).map(([field, direction]) => {
    const { sql } = targetOf(table, field, params);
    return `${sql} ${direction === 'desc' ? 'DESC NULLS FIRST' : 'ASC NULLS LAST'}`;
  });
  return `ORDER BY ${[...keys, `${ID.sql} ASC`].join(', ')}`;
}

function pageSql(query: Query, params: Params): string {
  const parts: string[] = [];
  for (const key of ['limit', 'offset'] as const) {
    const value = query[key];
    if (value === undefined) continue;
    if (!Number.isInteger(value) || value < 0)
      throw new IncorrectUsageError(`${key} must be a whole number >= 0, received ${value}`);
    parts.push(`${key.toUpperCase()} ${params.add(value)}::bigint`);
  }
  return parts.join(' ');
}

/** The clauses after `FROM <table> t` of a query: where, order, limit and offset. */
export function querySql(table: TableSchema, query: Query, params: Params): string {
  return [
    whereSql(table, query.where, params),
    orderSql(table, query.orderBy, params),
    pageSql(query, params),
  ]
    .filter((part) => part !== '')
    .join(' ');
}
