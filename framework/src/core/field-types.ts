import { fail, makeField, pass, received } from './fields.js';
import type { CommonOptions, Field, FieldResult, PresenceOf } from './fields.js';

/** Options of `field.string()`. */
export interface StringOptions extends CommonOptions<string> {
  minLength?: number;
  maxLength?: number;
  /** Exact length, e.g. 3 for a currency code. */
  length?: number;
  pattern?: RegExp;
}

/** Options of `field.integer()` and `field.number()`. */
export interface NumberOptions extends CommonOptions<number> {
  min?: number;
  max?: number;
}

function checkString(value: unknown, options: StringOptions): FieldResult<string> {
  if (typeof value !== 'string') return fail(`must be a string, received ${received(value)}`);
  const errors: string[] = [];
  const { minLength, maxLength, length, pattern } = options;
  if (minLength !== undefined && value.length < minLength)
    errors.push(`must be at least ${minLength} characters long`);
  if (maxLength !== undefined && value.length > maxLength)
    errors.push(`must be at most ${maxLength} characters long`);
  if (length !== undefined && value.length !== length)
    errors.push(`must be exactly ${length} characters long`);
  if (pattern && !pattern.test(value))
    errors.push(`must match ${String(pattern)}, received ${received(value)}`);
  if (options.required && value.trim() === '') errors.push('is required');
  return errors.length ? fail(...errors) : pass(value);
}

function checkNumber(
  value: unknown,
  options: NumberOptions,
  integer: boolean,
): FieldResult<number> {
  if (typeof value !== 'number' || !Number.isFinite(value))
    return fail(`must be a finite number, received ${received(value)}`);
  if (integer && !Number.isInteger(value)) return fail(`must be an integer, received ${value}`);
  const errors: string[] = [];
  if (options.min !== undefined && value < options.min) errors.push(`must be >= ${options.min}`);
  if (options.max !== undefined && value > options.max) errors.push(`must be <= ${options.max}`);
  return errors.length ? fail(...errors) : pass(value);
}

function checkDateTime(value: unknown): FieldResult<Date> {
  const date =
    value instanceof Date ? value : typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime()))
    return fail(`must be a date, received ${received(value)}`);
  return pass(new Date(date.getTime()));
}

/** A calendar date: the day of the given time in UTC, at midnight UTC. */
function checkDate(value: unknown): FieldResult<Date> {
  const result = checkDateTime(value);
  if (!result.ok) return result;
  const day = result.value;
  return pass(new Date(Date.UTC(day.getUTCFullYear(), day.getUTCMonth(), day.getUTCDate())));
}

/** Scalar field helpers: each returns a declaration whose options shape the inferred type. */
export const scalarFields = {
  /** A string, checked for length and pattern. */
  string<const O extends StringOptions>(options?: O): Field<string, PresenceOf<O>> {
    return makeField('string', options, (value) => checkString(value, options ?? {}));
  },
  /** Long free text: a string without a length limit by default. */
  text<const O extends StringOptions>(options?: O): Field<string, PresenceOf<O>> {
    return makeField('text', options, (value) => checkString(value, options ?? {}));
  },
  /** A whole number. */
  integer<const O extends NumberOptions>(options?: O): Field<number, PresenceOf<O>> {
    return makeField('integer', options, (value) => checkNumber(value, options ?? {}, true));
  },
  /** Any finite or fractional number. */
  number<const O extends NumberOptions>(options?: O): Field<number, PresenceOf<O>> {
    return makeField('number', options, (value) => checkNumber(value, options ?? {}, false));
  },
  /** `true` or `false`. */
  boolean<const O extends CommonOptions<boolean>>(options?: O): Field<boolean, PresenceOf<O>> {
    return makeField('boolean', options, (value) =>
      typeof value === 'boolean'
        ? pass(value)
        : fail(`must be true or false, received ${received(value)}`),
    );
  },
  /** A calendar date: a `Date` at midnight UTC (ISO strings are accepted; the time is dropped). */
  date<const O extends CommonOptions<Date>>(
    options?: O,
  ): Field<Date, PresenceOf<O>, Date | string> {
    return makeField<Date, O, Date | string>('date', options, checkDate);
  },
  /** A point in time (a `Date`; ISO strings are accepted and converted). */
  datetime<const O extends CommonOptions<Date>>(
    options?: O,
  ): Field<Date, PresenceOf<O>, Date | string> {
    return makeField<Date, O, Date | string>('datetime', options, checkDateTime);
  },
  /** One of a fixed list of literals; the type is their union. */
  choice<const C extends readonly [string, ...string[]], const O extends CommonOptions<C[number]>>(
    choices: C,
    options?: O,
  ): Field<C[number], PresenceOf<O>> {
    return makeField('choice', options, (value) =>
      choices.includes(value as string)
        ? pass(value as C[number])
        : fail(`must be one of ${choices.join(', ')}, received ${received(value)}`),
    );
  },
  /** An identity value (a non-empty string), such as another aggregate's id. */
  identifier<const O extends CommonOptions<string>>(options?: O): Field<string, PresenceOf<O>> {
    return makeField('identifier', options, (value) =>
      typeof value === 'string' && value !== ''
        ? pass(value)
        : fail(`must be a non-empty string identifier, received ${received(value)}`),
    );
  },
};
