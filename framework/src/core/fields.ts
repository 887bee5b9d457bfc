/**
 * Field declarations. A field knows how to check and normalise one value, and carries its
 * TypeScript type so that element types are inferred from declarations (nothing written twice).
 */

/** Whether a value must be given, falls back to a default, or may be left out. */
export type Presence = 'required' | 'defaulted' | 'optional';

import type { FieldErrors } from './errors.js';

/**
 * The outcome of checking one value: the normalised value, or every problem found. Nested values
 * (value objects, entities, lists) report a map of their own fields' problems.
 */
export type FieldResult<T> = { ok: true; value: T } | { ok: false; errors: string[] | FieldErrors };

/** Options every field accepts. */
export interface CommonOptions<T> {
  /** The value must be present (not `undefined` or `null`). */
  required?: boolean;
  /** Used when no value is given: a value, or a function called each time. */
  default?: T | (() => T);
  /** This field is the element's identity (instead of the generated `id`). */
  identifier?: boolean;
  /** No two elements of the same kind may share this value. */
  unique?: boolean;
  /** Shown in generated docs and error reports. */
  description?: string;
}

/**
 * A declared field. `T` is the value's type, `P` whether it must be given, `I` what callers may
 * pass for it (for a value object: the object or its plain data). Build fields with the `field`
 * helpers rather than by hand.
 */
export interface Field<T = unknown, P extends Presence = Presence, I = T> {
  readonly kind: string;
  readonly options: CommonOptions<T>;
  /** Checks and normalises a present value (never `undefined` or `null`). */
  check(value: unknown): FieldResult<T>;
  /** What a composite field refers to: a nested element class, or an aggregate's name. */
  readonly target?: unknown;
  /** Phantom members: they exist only for type inference. */
  readonly __type?: T;
  readonly __presence?: P;
  readonly __input?: I;
}

/** Any field, whatever its value type. */
// `any` here lets a record of differently typed fields satisfy one constraint.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyField = Field<any, Presence, any>;

/** An element's field declarations, by name. */
export type Fields = Record<string, AnyField>;

/** Presence inferred from the options literal given to a field helper. */
export type PresenceOf<O> = O extends { required: true }
  ? 'required'
  : O extends { default: unknown }
    ? 'defaulted'
    : 'optional';

/** The type of a field's value once the element is built. */
export type ValueOf<F> =
  F extends Field<infer T, infer P, infer _I> ? (P extends 'optional' ? T | undefined : T) : never;

/** What a caller may pass for a field. */
export type InputValueOf<F> = F extends Field<infer _T, infer _P, infer I> ? I : never;

/** The values of an element, as its instances expose them. */
export type ValuesOf<F extends Fields> = { -readonly [K in keyof F]: ValueOf<F[K]> };

/**
 * A value as plain data, the way `toJSON()` gives it: an element becomes its own plain data, a
 * list is mapped, anything else (dates included) stays as it is.
 */
export type PlainOf<T> = T extends Date
  ? T
  : T extends { toJSON(): infer P }
    ? P
    : T extends readonly (infer U)[]
      ? PlainOf<U>[]
      : T;

/** An element's values as plain data: what its `toJSON()` returns. */
export type PlainValuesOf<F extends Fields> = { -readonly [K in keyof F]: PlainOf<ValueOf<F[K]>> };

type KeysWhere<F extends Fields, P extends Presence> = {
  [K in keyof F]: F[K] extends Field<unknown, infer Q, unknown> ? (Q extends P ? K : never) : never;
}[keyof F];

type Simplify<T> = { [K in keyof T]: T[K] } & {};

/** What a caller passes to build an element: required fields must be given, the rest may be. */
export type InputOf<F extends Fields> = Simplify<
  { [K in KeysWhere<F, 'required'>]: InputValueOf<F[K]> } & {
    [K in Exclude<keyof F, KeysWhere<F, 'required'>>]?: InputValueOf<F[K]> | null | undefined;
  }
>;

/** Fills in the default of a field, or reports a missing required value. */
export function resolveField<T>(field: Field<T>, value: unknown): FieldResult<T | undefined> {
  if (value === undefined || value === null) {
    const fallback = field.options.default;
    if (fallback !== undefined) {
      return {
        ok: true,
        value: typeof fallback === 'function' ? (fallback as () => T)() : fallback,
      };
    }
    return field.options.required
      ? { ok: false, errors: ['is required'] }
      : { ok: true, value: undefined };
  }
  return field.check(value);
}

/** Makes a field from its kind, options and checker. */
export function makeField<T, O extends CommonOptions<T>, I = T>(
  kind: string,
  options: O | undefined,
  check: (value: unknown) => FieldResult<T>,
): Field<T, PresenceOf<O>, I> {
  return { kind, options: options ?? {}, check };
}

/** Shorthand for a passing and a failing check. */
export const pass = <T>(value: T): FieldResult<T> => ({ ok: true, value });
export const fail = (...errors: string[]): FieldResult<never> => ({ ok: false, errors });
export const failNested = (errors: FieldErrors): FieldResult<never> => ({ ok: false, errors });

/** Describes a received value in an error message without dumping large objects. */
export function received(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value instanceof Date)
    return `Date(${Number.isNaN(value.getTime()) ? 'invalid' : value.toISOString()})`;
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object') return 'an object';
  return String(value);
}
