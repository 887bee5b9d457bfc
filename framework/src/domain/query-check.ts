import { IncorrectUsageError } from '../core/errors.js';
import type { Fields } from '../core/fields.js';
import { COMPARISON_OPERATORS } from '../ports/database.js';
import type { Query } from '../ports/database.js';

const OPERATORS = new Set<string>(COMPARISON_OPERATORS);

function isOperatorObject(value: unknown): value is Record<string, unknown> {
  return (
    typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
  );
}

/**
 * Checks a query against an element's fields before any adapter sees it, so every adapter gets
 * only known fields and operators (and SQL adapters never see an unchecked name).
 */
export function checkQuery(element: string, fields: Fields, query: Query): void {
  const known = (name: string) => name === 'id' || name in fields;
  const problems: string[] = [];
  for (const [name, condition] of Object.entries(query.where ?? {})) {
    if (!known(name)) problems.push(`where: ${element} has no field "${name}"`);
    if (isOperatorObject(condition) && Object.keys(condition).some((op) => OPERATORS.has(op))) {
      const unknown = Object.keys(condition).filter((op) => !OPERATORS.has(op));
      if (unknown.length) {
        problems.push(
          `where.${name}: unknown operator ${unknown.join(', ')}; use ${COMPARISON_OPERATORS.join(', ')}`,
        );
      }
    }
  }
  for (const [name, direction] of Object.entries(query.orderBy ?? {})) {
    if (!known(name)) problems.push(`orderBy: ${element} has no field "${name}"`);
    if (direction !== 'asc' && direction !== 'desc') {
      problems.push(
        `orderBy.${name}: expected "asc" or "desc", received ${JSON.stringify(direction)}`,
      );
    }
  }
  for (const key of ['limit', 'offset'] as const) {
    const value = query[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 0)) {
      problems.push(`${key}: expected a whole number >= 0, received ${String(value)}`);
    }
  }
  if (problems.length)
    throw new IncorrectUsageError(`invalid query on ${element}: ${problems.join('; ')}`);
}
