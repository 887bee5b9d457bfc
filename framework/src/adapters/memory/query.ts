import { COMPARISON_OPERATORS } from '../../ports/database.js';
import type { Comparison, OrderBy, Query, StoredRecord, Where } from '../../ports/database.js';

const OPERATORS = new Set<string>(COMPARISON_OPERATORS);

/** Whether a where-value is a comparison object rather than a value to compare for equality. */
export function isComparison(value: unknown): value is Comparison {
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Date)
    return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((key) => OPERATORS.has(key));
}

function comparable(value: unknown): unknown {
  return value instanceof Date ? value.getTime() : value;
}

function equal(a: unknown, b: unknown): boolean {
  const [x, y] = [comparable(a), comparable(b)];
  if (typeof x === 'object' && x !== null) return JSON.stringify(x) === JSON.stringify(y);
  return x === y;
}

const isMissing = (value: unknown) => value === undefined || value === null;

/** Orders two values like SQL does for one column: missing values sort last. */
export function compareValues(a: unknown, b: unknown): number {
  const [x, y] = [comparable(a), comparable(b)];
  if (x === y || (isMissing(x) && isMissing(y))) return 0;
  if (x === undefined || x === null) return 1;
  if (y === undefined || y === null) return -1;
  return (x as number | string) < (y as number | string) ? -1 : 1;
}

function ordered(actual: unknown, bound: unknown, accept: (order: number) => boolean): boolean {
  return actual !== undefined && actual !== null && accept(compareValues(actual, bound));
}

function satisfies(actual: unknown, comparison: Comparison): boolean {
  const checks: Record<keyof Comparison, (bound: never) => boolean> = {
    eq: (bound) => equal(actual, bound),
    ne: (bound) => !equal(actual, bound),
    gt: (bound) => ordered(actual, bound, (o) => o > 0),
    gte: (bound) => ordered(actual, bound, (o) => o >= 0),
    lt: (bound) => ordered(actual, bound, (o) => o < 0),
    lte: (bound) => ordered(actual, bound, (o) => o <= 0),
    in: (bound: readonly unknown[]) => bound.some((candidate) => equal(actual, candidate)),
    contains: (bound: string) => typeof actual === 'string' && actual.includes(bound),
  };
  return Object.entries(comparison).every(([op, bound]) =>
    checks[op as keyof Comparison](bound as never),
  );
}

/** Whether a record's values satisfy every condition. */
export function matches(record: StoredRecord, where: Where = {}): boolean {
  return Object.entries(where).every(([field, condition]) => {
    const actual = field === 'id' ? record.id : record.values[field];
    return isComparison(condition) ? satisfies(actual, condition) : equal(actual, condition);
  });
}

const fieldOf = (record: StoredRecord, field: string) =>
  field === 'id' ? record.id : record.values[field];

function sorter(orderBy: OrderBy): (a: StoredRecord, b: StoredRecord) => number {
  const keys = Object.entries(orderBy);
  return (a, b) => {
    for (const [field, direction] of keys) {
      const order = compareValues(fieldOf(a, field), fieldOf(b, field));
      if (order !== 0) return direction === 'desc' ? -order : order;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  };
}

/** Applies a query to records: filter, sort (by id last, for a stable order), paginate. */
export function runQuery(records: Iterable<StoredRecord>, query: Query = {}): StoredRecord[] {
  const found = [...records]
    .filter((record) => matches(record, query.where))
    .sort(sorter(query.orderBy ?? {}));
  const start = query.offset ?? 0;
  return found.slice(start, query.limit === undefined ? undefined : start + query.limit);
}
