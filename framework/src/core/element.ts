import { IncorrectUsageError, InvariantViolation, ValidationError } from './errors.js';
import type { FieldErrors } from './errors.js';
import { resolveField } from './fields.js';
import type { Fields } from './fields.js';

/**
 * What the framework keeps for each element instance, outside the instance itself so that it is
 * neither enumerable nor part of any public type: field values, identity, version, raised events.
 */
export interface Internals {
  values: Record<string, unknown>;
  id: string;
  version: number;
  events: unknown[];
}

const internalsOf = new WeakMap<object, Internals>();

/** The framework's record of an element instance. */
export function internals(element: object): Internals {
  const found = internalsOf.get(element);
  if (!found)
    throw new IncorrectUsageError(
      'not an element built by protean-ts (was its constructor skipped?)',
    );
  return found;
}

/** The kinds of element a domain registers. */
export type ElementKind =
  'aggregate' | 'entity' | 'value_object' | 'command' | 'event' | 'projection';

/** A named rule over an element's values: throw `InvariantViolation` when it does not hold. */
export type Invariant<V> = (self: V) => void;

/** What protean-ts knows about an element class. */
export interface ElementMeta<F extends Fields = Fields> {
  readonly kind: ElementKind;
  /** The element name, e.g. `Book`. */
  readonly name: string;
  /** The owning domain's name, e.g. `bookshelf`. */
  readonly domain: string;
  readonly fields: F;
  /** Rules that must hold after every change. */
  readonly invariants: Readonly<Record<string, Invariant<never>>>;
}

/** Names an element may not use for a field, because the framework gives them a meaning. */
const RESERVED = new Set(['id', '_version', 'raise', 'toJSON', 'equals', 'constructor', 'meta']);

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;

/** Checks an element's name and field names once, where the element is declared. */
export function checkDeclaration(kind: string, name: string, fields: Fields): void {
  if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) {
    throw new IncorrectUsageError(
      `${kind} name ${JSON.stringify(name)} is not valid: use PascalCase letters and digits, such as "Book" or "OrderItem".`,
    );
  }
  for (const fieldName of Object.keys(fields)) {
    if (!FIELD_NAME.test(fieldName)) {
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
  extraKeys: readonly string[] = ['id'],
): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  for (const [name, field] of Object.entries(fields)) {
    const result = resolveField(field, input[name]);
    if (result.ok) values[name] = result.value;
    else errors[name] = result.errors;
  }
  for (const name of Object.keys(input)) {
    if (!(name in fields) && !extraKeys.includes(name))
      errors[name] = [`is not a field of ${element}`];
  }
  if (Object.keys(errors).length > 0) throw new ValidationError(element, errors);
  return values;
}

/** Runs every invariant and throws one `InvariantViolation` naming all that failed. */
export function checkInvariants(
  element: string,
  invariants: Readonly<Record<string, Invariant<never>>>,
  self: unknown,
): void {
  const violations: Record<string, string> = {};
  for (const [name, invariant] of Object.entries(invariants)) {
    try {
      (invariant as Invariant<unknown>)(self);
    } catch (error) {
      if (!(error instanceof InvariantViolation)) throw error;
      violations[name] = error.message;
    }
  }
  if (Object.keys(violations).length > 0) throw InvariantViolation.of(element, violations);
}

/** Turns element values into plain data: nested elements become objects, lists are copied. */
export function toPlain(value: unknown): unknown {
  if (value instanceof Element) return value.toJSON();
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Date) return new Date(value.getTime());
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toPlain(v)]));
  }
  return value;
}

/** How an element's field assignments behave. */
export type Mutability = 'mutable' | 'immutable';

/**
 * The base of every element class: holds checked field values and turns them into plain data.
 * Element classes are made by the domain (`domain.aggregate()`, `domain.valueObject()`, ...).
 *
 * Each field is an own, enumerable accessor of the instance, so an element reads like data:
 * `{ ...command }`, `Object.keys(event)` and `structuredClone(money)` give its fields.
 */
export abstract class Element {
  declare static readonly meta: ElementMeta;

  constructor(input: Record<string, unknown> = {}, extraKeys?: readonly string[]) {
    const meta = (new.target as unknown as typeof Element).meta;
    if (typeof input !== 'object' || input === null) {
      throw new ValidationError(meta.name, {
        _: [`expected an object of field values, received ${String(input)}`],
      });
    }
    internalsOf.set(this, {
      values: buildValues(meta.name, meta.fields, input, extraKeys),
      id: '',
      version: 0,
      events: [],
    });
    const accessors = accessorsOf.get(meta);
    if (accessors) Object.defineProperties(this, accessors);
  }

  /** Plain data: field values, with nested elements as plain objects. */
  toJSON(): Record<string, unknown> {
    return toPlain(internals(this).values) as Record<string, unknown>;
  }
}

/**
 * A type only (nothing of it exists at run time): element types made from fields get a
 * `toJSON()` typed with their values through it. It is a class so that, as at run time, the
 * spread of an element (`{ ...command }`) leaves `toJSON` out of its type.
 */
export declare abstract class PlainData<P> {
  /** The element's fields as plain data. */
  toJSON(): P;
}

/** The own accessors each instance of an element class gets, made once per class. */
const accessorsOf = new WeakMap<ElementMeta, PropertyDescriptorMap>();

/** Called before a field of a mutable element is assigned (aggregates use it to guard changes). */
export type BeforeAssign = (element: Element, field: string) => void;

/** The accessors of an element's fields: assignments are checked like construction is. */
function fieldAccessors(
  meta: ElementMeta,
  mutability: Mutability,
  beforeAssign: BeforeAssign | undefined,
): PropertyDescriptorMap {
  const accessors: PropertyDescriptorMap = {};
  for (const [name, field] of Object.entries(meta.fields)) {
    accessors[name] = {
      enumerable: true,
      configurable: false,
      get(this: Element) {
        return internals(this).values[name];
      },
      set(this: Element, value: unknown) {
        if (mutability === 'immutable') {
          throw new IncorrectUsageError(
            `${meta.name}.${name} cannot be changed: a ${meta.kind.replace('_', ' ')} is immutable; create a new one instead.`,
          );
        }
        beforeAssign?.(this, name);
        const result = resolveField(field, value);
        if (!result.ok) throw new ValidationError(meta.name, { [name]: result.errors });
        internals(this).values[name] = result.value;
      },
    };
  }
  return accessors;
}

/** How an element class is declared: its base, what it is, and how its fields behave. */
export interface Declaration<C> {
  readonly base: C;
  readonly meta: ElementMeta;
  readonly mutability: Mutability;
  /** Own accessors defined before the fields (identity, for elements with a generated `id`). */
  readonly leading?: PropertyDescriptorMap;
  readonly beforeAssign?: BeforeAssign;
}

/** Declares an element class: a subclass of its base with `meta` and field accessors. */
export function declareElement<C extends abstract new (...args: never[]) => Element>(
  declaration: Declaration<C>,
): C {
  const { base, meta, mutability, leading, beforeAssign } = declaration;
  checkDeclaration(kindLabel(meta.kind), meta.name, meta.fields);
  const frozen = Object.freeze(meta);
  const Declared = class extends (base as unknown as new (...args: never[]) => Element) {
    static readonly meta = frozen;
  };
  Object.defineProperty(Declared, 'name', { value: meta.name });
  accessorsOf.set(frozen, { ...leading, ...fieldAccessors(frozen, mutability, beforeAssign) });
  return Declared as unknown as C;
}

function kindLabel(kind: ElementKind): string {
  const label = kind.replace('_', ' ');
  return label.charAt(0).toUpperCase() + label.slice(1);
}
