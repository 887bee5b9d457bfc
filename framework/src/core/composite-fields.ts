import { InvariantViolation, ValidationError } from './errors.js';
import type { FieldErrors } from './errors.js';
import { fail, failNested, makeField, pass, received, resolveField } from './fields.js';
import type { AnyField, CommonOptions, Field, FieldResult, PresenceOf } from './fields.js';

/** A class of nested elements (value objects, entities) as fields see it. */
export interface NestedClass<T = unknown> {
  new (input: never): T;
  readonly meta: { readonly name: string; readonly kind: string };
}

/** The declared type of the items of a list field, and what callers may pass for them. */
type ItemOf<F> = F extends Field<infer T, infer _P, infer _I> ? T : never;
type ItemInputOf<F> = F extends Field<infer _T, infer _P, infer I> ? I : never;

/** A nested element, or the plain data to build one. */
type NestedInput<C extends NestedClass> = InstanceType<C> | ConstructorParameters<C>[0];

/** Builds a nested element from an instance or plain data, turning its errors into field errors. */
export function checkNested<T>(cls: NestedClass<T>, value: unknown): FieldResult<T> {
  if (value instanceof cls) return pass(value);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail(`must be a ${cls.meta.name} or its data as an object, received ${received(value)}`);
  }
  try {
    return pass(new (cls as unknown as new (input: unknown) => T)(value));
  } catch (error) {
    if (error instanceof ValidationError) return failNested(error.errors);
    if (error instanceof InvariantViolation) return fail(error.message);
    throw error;
  }
}

/** Checks every item of an array with `check`, reporting problems by index. */
function checkItems<T>(value: unknown, check: (item: unknown) => FieldResult<T>): FieldResult<T[]> {
  if (!Array.isArray(value)) return fail(`must be a list, received ${received(value)}`);
  const items: T[] = [];
  const errors: FieldErrors = {};
  value.forEach((item, index) => {
    const result = check(item);
    if (result.ok) items.push(result.value);
    else errors[String(index)] = result.errors;
  });
  return Object.keys(errors).length ? failNested(errors) : pass(items);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

function isJson(value: unknown): boolean {
  if (value === null || ['string', 'boolean'].includes(typeof value)) return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJson);
  return isPlainObject(value) && Object.values(value).every(isJson);
}

/** Composite field helpers: lists, JSON, value objects, entities and references. */
export const compositeFields = {
  /**
   * A list of values of one field type; defaults to an empty list.
   *
   * @example
   * class Book extends domain.aggregate('Book', {
   *   tags: field.list(field.string({ maxLength: 20 })),
   * }) {}
   * const tags: string[] = new Book({}).tags; // []
   */
  list<const F extends AnyField, const O extends CommonOptions<ItemOf<F>[]>>(
    of: F,
    options?: O,
  ): Field<ItemOf<F>[], PresenceOf<O & { default: [] }>, ItemInputOf<F>[]> {
    const withDefault = { default: () => [], ...options };
    return makeField('list', withDefault, (value) =>
      checkItems(value, (item) => {
        const result = resolveField(of, item);
        return result.ok && result.value === undefined ? fail('must not be empty') : result;
      }),
    ) as Field<ItemOf<F>[], PresenceOf<O & { default: [] }>, ItemInputOf<F>[]>;
  },
  /** A JSON object with string keys (a free-form dictionary). */
  dict<const O extends CommonOptions<Record<string, unknown>>>(
    options?: O,
  ): Field<Record<string, unknown>, PresenceOf<O>> {
    return makeField('dict', options, (value) =>
      isPlainObject(value) && isJson(value)
        ? pass(structuredClone(value))
        : fail(`must be a JSON object, received ${received(value)}`),
    );
  },
  /** Any JSON value: object, array, string, number, boolean or null. */
  json<const O extends CommonOptions<unknown>>(options?: O): Field<unknown, PresenceOf<O>> {
    return makeField('json', options, (value) =>
      isJson(value)
        ? pass(structuredClone(value))
        : fail(`must be JSON data, received ${received(value)}`),
    );
  },
  /**
   * A value object, embedded in its owner. Plain data is accepted and turned into the value object.
   *
   * @example
   * class Book extends domain.aggregate('Book', {
   *   price: field.valueObject(Money, { required: true }),
   * }) {}
   * const price = new Book({ price: { amount: 9.99 } }).price; // a Money, built from the plain data
   */
  valueObject<C extends NestedClass, const O extends CommonOptions<InstanceType<C>>>(
    cls: C,
    options?: O,
  ): Field<InstanceType<C>, PresenceOf<O>, NestedInput<C>> {
    const declared = makeField('value_object', options, (value) => checkNested(cls, value));
    return { ...declared, target: cls } as Field<InstanceType<C>, PresenceOf<O>, NestedInput<C>>;
  },
  /**
   * Entities owned by an aggregate (or another entity); defaults to an empty list.
   *
   * @example
   * class Order extends domain.aggregate('Order', { items: field.hasMany(OrderItem) }) {}
   * const order = new Order({});
   * order.items.push(new OrderItem({ bookId: '42', quantity: 1, unitPrice: { amount: 9.99 } }));
   */
  hasMany<C extends NestedClass, const O extends CommonOptions<InstanceType<C>[]>>(
    cls: C,
    options?: O,
  ): Field<InstanceType<C>[], PresenceOf<O & { default: [] }>, NestedInput<C>[]> {
    const withDefault = { default: () => [], ...options };
    const declared = makeField('has_many', withDefault, (value) =>
      checkItems(value, (item) => checkNested(cls, item)),
    );
    return { ...declared, target: cls } as Field<
      InstanceType<C>[],
      PresenceOf<O & { default: [] }>,
      NestedInput<C>[]
    >;
  },
  /** One entity owned by an aggregate (or another entity). */
  hasOne<C extends NestedClass, const O extends CommonOptions<InstanceType<C>>>(
    cls: C,
    options?: O,
  ): Field<InstanceType<C>, PresenceOf<O>, NestedInput<C>> {
    const declared = makeField('has_one', options, (value) => checkNested(cls, value));
    return { ...declared, target: cls } as Field<InstanceType<C>, PresenceOf<O>, NestedInput<C>>;
  },
  /**
   * The identity of another aggregate, by its name; `domain.init()` checks that it exists.
   *
   * @example
   * class Loan extends domain.aggregate('Loan', {
   *   bookId: field.reference('Book', { required: true }),
   * }) {}
   * const bookId: string = new Loan({ bookId: book.id }).bookId;
   */
  reference<const O extends CommonOptions<string>>(
    aggregate: string,
    options?: O,
  ): Field<string, PresenceOf<O>> {
    const declared = makeField('reference', options, (value) =>
      typeof value === 'string' && value !== ''
        ? pass(value)
        : fail(`must be the id of a ${aggregate}, received ${received(value)}`),
    );
    return { ...declared, target: aggregate };
  },
};
