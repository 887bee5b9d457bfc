import { checkInvariants, declareElement, Element, internals } from './element.js';
import type { ElementMeta, Invariant, PlainData } from './element.js';
import type { Fields, InputOf, PlainValuesOf, ValuesOf } from './fields.js';

/** Options of `domain.valueObject()`. */
export interface ValueObjectOptions<F extends Fields> {
  /** Rules over the whole value; checked when it is built. */
  invariants?: Record<string, Invariant<Readonly<ValuesOf<F>>>>;
}

/**
 * A value object: defined by its values, not by an identity; immutable; equal when its values are.
 * Make one with `domain.valueObject()`.
 */
export abstract class ValueObject extends Element {
  constructor(input: Record<string, unknown> = {}) {
    super(input, []);
    const meta = (new.target as unknown as typeof ValueObject).meta;
    checkInvariants(meta.name, meta.invariants, this);
    Object.freeze(internals(this).values);
  }

  /** Whether `other` is a value object of the same kind with the same values. */
  equals(other: unknown): boolean {
    return (
      other instanceof ValueObject &&
      other.constructor === this.constructor &&
      JSON.stringify(other.toJSON()) === JSON.stringify(this.toJSON())
    );
  }

  /** A copy with some values replaced (value objects are never changed in place). */
  with(changes: Record<string, unknown>): this {
    const Same = this.constructor as new (input: Record<string, unknown>) => this;
    return new Same({ ...internals(this).values, ...changes });
  }
}

/** An instance of a value object declared with fields `F`. */
export type ValueObjectOf<F extends Fields> = Omit<ValueObject, 'with' | 'toJSON'> &
  Readonly<ValuesOf<F>> & {
    /** A copy with some values replaced, of the same class as the original. */
    with<V>(this: V, changes: Partial<InputOf<F>>): V;
  } & PlainData<PlainValuesOf<F>>;

/** The class `domain.valueObject()` returns. */
export interface ValueObjectClass<F extends Fields = Fields> {
  new (input: InputOf<F>): ValueObjectOf<F>;
  readonly meta: ElementMeta<F>;
}

/** Declares a value object class; the domain calls this and registers the result. */
export function defineValueObject<F extends Fields>(
  domain: string,
  name: string,
  fields: F,
  options: ValueObjectOptions<F> = {},
): ValueObjectClass<F> {
  const meta: ElementMeta<F> = {
    kind: 'value_object',
    name,
    domain,
    fields,
    invariants: (options.invariants ?? {}) as ElementMeta['invariants'],
  };
  return declareElement({
    base: ValueObject,
    meta,
    mutability: 'immutable',
  }) as unknown as ValueObjectClass<F>;
}
