/**
 * SQL identifiers derived from element names: validated, then double-quoted. Values never go
 * through here; they are always query parameters.
 */
import { createHash } from 'node:crypto';
import { IncorrectUsageError } from '../../core/errors.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;
/** PostgreSQL truncates longer names silently (NAMEDATALEN - 1); we refuse them instead. */
const MAX_IDENTIFIER_LENGTH = 63;

/** Why `name` cannot be a PostgreSQL identifier, or `undefined` when it can. */
export function identifierProblem(name: string): string | undefined {
  if (name.length > MAX_IDENTIFIER_LENGTH)
    return `${JSON.stringify(name)} is longer than ${MAX_IDENTIFIER_LENGTH} characters`;
  if (!IDENTIFIER.test(name))
    return (
      `${JSON.stringify(name)} is not a plain identifier: use lower-case letters, digits and ` +
      'underscores, not starting with a digit'
    );
  return undefined;
}

/**
 * Checks that `name` is a plain lower-case identifier (at most 63 characters) and returns it
 * double-quoted, ready to go into SQL text.
 */
export function quoteIdentifier(name: string): string {
  const problem = identifierProblem(name);
  if (problem) throw new IncorrectUsageError(`invalid SQL identifier: ${problem}`);
  return `"${name}"`;
}

/**
 * The table name of a record kind: its parts in snake_case joined by `_`, hyphens as `_`
 * (`bookshelf.book` -> `bookshelf_book`, `My-Shop.orderLine` -> `my_shop_order_line`). Not
 * validated here: the schema builder validates every name it derives and reports all problems
 * at once.
 */
export function tableNameOf(kind: string): string {
  return kind.split('.').map(columnNameOf).join('_').replaceAll('-', '_');
}

/** The column name of a field: camelCase becomes snake_case (`unitPrice` -> `unit_price`). */
export function columnNameOf(field: string): string {
  return field
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * A derived name (index, child table) that fits in 63 characters: kept as is when short enough,
 * otherwise cut and suffixed with a hash of the full name so that it stays unique.
 */
export function derivedName(base: string, part: string, suffix = ''): string {
  const full = `${base}__${part}${suffix ? `_${suffix}` : ''}`;
  if (full.length <= MAX_IDENTIFIER_LENGTH) return full;
  const hash = createHash('sha256').update(full).digest('hex').slice(0, 8);
  return `${full.slice(0, MAX_IDENTIFIER_LENGTH - hash.length - 1)}_${hash}`;
}
