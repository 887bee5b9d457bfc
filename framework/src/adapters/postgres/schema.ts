/**
 * Tables derived from the kinds a domain declares: one table per aggregate or projection, one
 * column per field, and one child table per field holding entities. Every name is validated here,
 * once, so the SQL builders only ever see names from a checked schema.
 */
import { IncorrectUsageError } from '../../core/errors.js';
import type { AnyField, Fields } from '../../core/fields.js';
import type { KindSchema } from '../../ports/database.js';
import { columnNameOf, derivedName, identifierProblem, tableNameOf } from './identifiers.js';

/** The column types fields map to. */
export type ColumnType =
  'text' | 'bigint' | 'double precision' | 'boolean' | 'date' | 'timestamptz' | 'jsonb';

/** One field stored in one column. */
export interface Column {
  readonly field: string;
  readonly name: string;
  readonly type: ColumnType;
  readonly required: boolean;
  readonly unique: boolean;
}

/** The columns of a table (or child table) and the field stored in its `id` column, if any. */
export interface ColumnSet {
  readonly columns: readonly Column[];
  /** A declared identity field named `id`: it lives in the `id` column, not in one of its own. */
  readonly idField: string | undefined;
}

/** Entities of one `has_many` / `has_one` field, one row each, in their owner's order. */
export interface ChildTable extends ColumnSet {
  readonly field: string;
  readonly name: string;
  readonly many: boolean;
  /** The entity's declared identity field; without one its plain data carries `id`. */
  readonly identityField: string | undefined;
}

/** How one kind is stored. */
export interface TableSchema extends ColumnSet {
  readonly kind: string;
  /** The element name for messages, e.g. `Book`. */
  readonly element: string;
  readonly name: string;
  /** `typed`: a column per field; `document`: every value in one jsonb column (undeclared kinds). */
  readonly layout: 'typed' | 'document';
  readonly children: readonly ChildTable[];
  /** Unique index name -> field, to report a violated index as a validation error. */
  readonly uniqueIndexes: ReadonlyMap<string, string>;
}

const SCALAR_TYPES: Readonly<Record<string, ColumnType>> = {
  string: 'text',
  text: 'text',
  choice: 'text',
  identifier: 'text',
  reference: 'text',
  integer: 'bigint',
  number: 'double precision',
  boolean: 'boolean',
  date: 'date',
  datetime: 'timestamptz',
};

/** Column names protean-ts uses itself, per kind of table. */
const ROOT_RESERVED = ['id', 'version'];
const CHILD_RESERVED = ['id', 'parent_id', 'position'];

interface NestedMeta {
  readonly kind?: string;
  readonly fields?: Fields;
  readonly identityField?: string;
}

/** The meta of the entity class a field holds, when it holds entities. */
function entityMetaOf(field: AnyField): NestedMeta | undefined {
  if (field.kind !== 'has_many' && field.kind !== 'has_one') return undefined;
  const meta = (field.target as { meta?: NestedMeta } | undefined)?.meta;
  return meta?.kind === 'entity' && meta.fields ? meta : undefined;
}

/** Collects the problems of one kind's names, prefixed with where they come from. */
class Problems {
  readonly list: string[] = [];
  name(name: string, where: string): void {
    const problem = identifierProblem(name);
    if (problem) this.list.push(`${where}: ${problem}`);
  }
  add(problem: string): void {
    this.list.push(problem);
  }
}

/** The columns of `fields`, entities excluded when `entities` collects them apart. */
function columnsOf(
  owner: string,
  fields: Fields,
  identityField: string | undefined,
  reserved: readonly string[],
  problems: Problems,
): ColumnSet {
  const columns: Column[] = [];
  const taken = new Map<string, string>();
  let idField: string | undefined;
  for (const [field, declared] of Object.entries(fields)) {
    const name = columnNameOf(field);
    if (name === 'id' && field === identityField) {
      idField = field;
      continue;
    }
    problems.name(name, `${owner}.${field} (column)`);
    if (reserved.includes(name))
      problems.add(`${owner}.${field}: its column "${name}" is reserved by protean-ts; rename it`);
    const clash = taken.get(name);
    if (clash) problems.add(`${owner}.${field} and ${owner}.${clash} both map to column "${name}"`);
    taken.set(name, field);
    const { required = false, unique = false } = declared.options;
    columns.push({ field, name, type: SCALAR_TYPES[declared.kind] ?? 'jsonb', required, unique });
  }
  return { columns, idField };
}

function childTableOf(
  table: string,
  owner: string,
  field: string,
  declared: AnyField,
  meta: NestedMeta,
  problems: Problems,
): ChildTable {
  const name = derivedName(table, columnNameOf(field));
  problems.name(name, `${owner}.${field} (child table)`);
  const where = `${owner}.${field}`;
  const set = columnsOf(where, meta.fields ?? {}, meta.identityField, CHILD_RESERVED, problems);
  const many = declared.kind === 'has_many';
  return { ...set, field, name, many, identityField: meta.identityField };
}

function tableOf(declared: KindSchema, problems: Problems): TableSchema {
  const name = tableNameOf(declared.kind);
  const owner = declared.name;
  problems.name(name, `${owner} (table of kind "${declared.kind}")`);
  const scalar: Fields = {};
  const children: ChildTable[] = [];
  for (const [field, spec] of Object.entries(declared.fields)) {
    const meta = entityMetaOf(spec);
    if (meta) children.push(childTableOf(name, owner, field, spec, meta, problems));
    else scalar[field] = spec;
  }
  const set = columnsOf(owner, scalar, declared.identityField, ROOT_RESERVED, problems);
  const uniqueIndexes = new Map(
    set.columns
      .filter((column) => column.unique)
      .map((column) => [derivedName(name, column.name, 'key'), column.field] as const),
  );
  const base = { kind: declared.kind, element: owner, name, layout: 'typed' as const };
  return { ...base, ...set, children, uniqueIndexes };
}

/**
 * Derives the tables of the declared kinds; throws one `IncorrectUsageError` listing every name
 * that cannot be a table or column.
 */
export function deriveTables(kinds: readonly KindSchema[]): Map<string, TableSchema> {
  const problems = new Problems();
  const tables = new Map<string, TableSchema>();
  const owners = new Map<string, string>();
  for (const declared of kinds) {
    const table = tableOf(declared, problems);
    for (const name of [table.name, ...table.children.map((child) => child.name)]) {
      const other = owners.get(name);
      if (other && other !== declared.kind)
        problems.add(`kinds "${other}" and "${declared.kind}" both map to table "${name}"`);
      owners.set(name, declared.kind);
    }
    tables.set(declared.kind, table);
  }
  if (problems.list.length > 0) {
    const list = problems.list.map((problem) => `  - ${problem}`).join('\n');
    throw new IncorrectUsageError(
      `these elements cannot be stored in PostgreSQL; rename them:\n${list}`,
    );
  }
  return tables;
}

/**
 * The table of a kind nobody declared, when the provider accepts those: id, version and every
 * value in one jsonb column `data`.
 */
export function documentTable(kind: string): TableSchema {
  const name = tableNameOf(kind);
  const problem = identifierProblem(name);
  if (problem) throw new IncorrectUsageError(`kind "${kind}" cannot name a table: ${problem}`);
  const base = { kind, element: kind, name, layout: 'document' as const, idField: undefined };
  return { ...base, columns: [], children: [], uniqueIndexes: new Map() };
}
