import { buildValues, checkDeclaration, defineAccessors, STATE } from './element.js';
import type { Fields, InputOf, ValuesOf } from './fields.js';

/** What protean-ts knows about an aggregate class. */
export interface AggregateMeta<F extends Fields = Fields> {
  readonly kind: 'aggregate';
  /** The element name, e.g. `Book`. */
  readonly name: string;
  /** The owning domain's name, e.g. `bookshelf`. */
  readonly domain: string;
  readonly fields: F;
  /** Makes a new identity (the domain's identity strategy). */
  readonly newId: () => string;
}

let setVersion: (aggregate: AggregateRoot, version: number) => void;

/**
 * The root of a consistency boundary. Subclass the class returned by `domain.aggregate()`
 * rather than this one; it gives you typed fields, identity and version.
 */
export abstract class AggregateRoot {
  static readonly meta: AggregateMeta;
  /** @internal field values */
  readonly [STATE]: Record<string, unknown>;
  #id: string;
  #version = 0;

  static {
    setVersion = (aggregate, version) => {
      aggregate.#version = version;
    };
  }

  constructor(input: Record<string, unknown> = {}) {
    const meta = (new.target as unknown as typeof AggregateRoot).meta;
    this[STATE] = buildValues(meta.name, meta.fields, input);
    this.#id = typeof input['id'] === 'string' && input['id'] !== '' ? input['id'] : meta.newId();
  }

  /** This aggregate's identity. */
  get id(): string {
    return this.#id;
  }

  /** The version last stored (0 before the first save); used for optimistic concurrency. */
  get _version(): number {
    return this.#version;
  }

  /** A plain copy of the identity and field values. */
  toJSON(): Record<string, unknown> {
    return { id: this.#id, ...this[STATE] };
  }
}

/** An instance of an aggregate declared with fields `F`. */
export type Aggregate<F extends Fields = Fields> = AggregateRoot & ValuesOf<F>;

/** The class `domain.aggregate()` returns: extend it to add behaviour. */
export interface AggregateClass<F extends Fields = Fields> {
  new (input: InputOf<F> & { id?: string }): Aggregate<F>;
  readonly meta: AggregateMeta<F>;
}

/** A class of some aggregate, as accepted by `domain.repository()`. */
export type AnyAggregateClass<T extends AggregateRoot = AggregateRoot> = (abstract new (
  input: never,
) => T) & { readonly meta: AggregateMeta };

/** Declares an aggregate class; the domain calls this and registers the result. */
export function defineAggregate<F extends Fields>(
  domain: string,
  name: string,
  fields: F,
  newId: () => string,
): AggregateClass<F> {
  checkDeclaration('Aggregate', name, fields);
  const meta: AggregateMeta<F> = Object.freeze({ kind: 'aggregate', name, domain, fields, newId });
  const Declared = class extends AggregateRoot {
    static override readonly meta = meta;
  };
  Object.defineProperty(Declared, 'name', { value: name });
  defineAccessors(Declared.prototype, name, fields);
  return Declared as unknown as AggregateClass<F>;
}

/** Rebuilds an aggregate from stored values at a stored version (repositories use this). */
export function rehydrate<T extends AggregateRoot>(
  cls: AnyAggregateClass<T>,
  id: string,
  version: number,
  values: Record<string, unknown>,
): T {
  const Concrete = cls as unknown as new (input: Record<string, unknown>) => T;
  const aggregate = new Concrete({ ...values, id });
  setVersion(aggregate, version);
  return aggregate;
}

/** Records the version an aggregate was stored at. */
export function markStored(aggregate: AggregateRoot, version: number): void {
  setVersion(aggregate, version);
}
