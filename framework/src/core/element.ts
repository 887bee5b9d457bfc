import { IncorrectUsageError, ValidationError } from './errors.js';
import type { FieldErrors } from './errors.js';
import { resolveField } from './fields.js';
import type { Fields } from './fields.js';

/** Where an element instance keeps its field values (not enumerable, not part of the public API). */
export const STATE: unique symbol = Symbol('protean.state');

/** Names an element may not use for a field, because the framework gives them a meaning. */
const RESERVED = new Set(['id', '_version', 'raise', 'toJSON', 'constructor', 'meta']);

const IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Checks an element's name and field names once, where the element is declared. */
export function checkDeclaration(kind: string, name: string, fields: Fields): void {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    throw new IncorrectUsageError(
      `${kind} name ${JSON.stringify(name)} is not valid: use PascalCase letters and digits, such as "Book" or "OrderItem".`,
    );
  }
  for (const fieldName of Object.keys(fields)) {
    if (!IDENTIFIER.test(fieldName)) {
      throw new IncorrectUsageError(
        `${kind} ${name}: field name ${JSON.stringify(fieldName)} is not valid: start with a letter and use letters, digits and _ only.`,
      );
    }
    if (RESERVED.has(fieldName)) {
      throw new IncorrectUsageError(
        `${kind} ${name}: field name "${fieldName}" is reserved by protean-ts; choose another name.`,
      );
    }
  }
}

/** Builds an element's values from input, reporting every bad field at once. */
export function buildValues(
  element: string,
  fields: Fields,
  input: Record<string, unknown>,
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  for (const [name, field] of Object.entries(fields)) {
    const result = resolveField(field, input[name]);
    if (result.ok) values[name] = result.value;
    else errors[name] = result.errors;
  }
  for (const name of Object.keys(input)) {
    if (!(name in fields) && name !== 'id') errors[name] = [`is not a field of ${element}`];
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(element, errors);
  return values;
}

interface HasState {
  [STATE]: Record<string, unknown>;
}

/** Defines one accessor per field; assignments are checked like construction is. */
export function defineAccessors(prototype: object, element: string, fields: Fields): void {
  for (const [name, field] of Object.entries(fields)) {
    Object.defineProperty(prototype, name, {
      enumerable: true,
      configurable: false,
      get(this: HasState) {
        return this[STATE][name];
      },
      set(this: HasState, value: unknown) {
        const result = resolveField(field, value);
        if (!result.ok) throw new ValidationError(element, { [name]: result.errors });
        this[STATE][name] = result.value;
      },
    });
  }
}
