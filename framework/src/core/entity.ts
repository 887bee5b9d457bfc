import { checkInvariants, declareElement, Element, internals } from './element.js';
import type { BeforeAssign, Declaration, ElementMeta, Invariant } from './element.js';
import type { Fields, InputOf, ValuesOf } from './fields.js';

/** What protean-ts knows about an element with identity. */
export interface IdentityMeta<F extends Fields = Fields> extends ElementMeta<F> {
  /** The field that holds the identity, when one is declared with `identifier: true`. */
  readonly identityField: string | undefined;
  /** Makes a new identity (the domain's identity strategy). */
  readonly newId: () => string;
}

/** Options of `domain.entity()`. */
export interface EntityOptions<F extends Fields> {
  /** Rules that must hold whenever the owning aggregate is checked. */
  invariants?: Record<string, Invariant<ValuesOf<F> & { readonly id: string }>>;
}

/** The field declared as identity, if any. */
export function identityFieldOf(fields: Fields): string | undefined {
  return Object.entries(fields).find(([, f]) => f.options.identifier)?.[0];
}

/**
 * An element with an identity that stays the same while its values change: the base of
 * entities, aggregates and projections.
 */
export abstract class IdentifiedElement extends Element {
  declare static readonly meta: IdentityMeta;

  constructor(input: Record<string, unknown> = {}) {
    const meta = (new.target as unknown as typeof IdentifiedElement).meta;
    const idField = meta.identityField;
    const given = idField ? input[idField] : input['id'];
    const id = typeof given === 'string' && given !== '' ? given : meta.newId();
    super(idField ? { ...input, [idField]: id } : input, idField ? [] : ['id']);
    internals(this).id = id;
  }

  /** This element's identity. */
  get id(): string {
    return internals(this).id;
  }

  /** Plain data, identity included. */
  override toJSON(): Record<string, unknown> {
    const plain = super.toJSON();
    return (this.constructor as typeof IdentifiedElement).meta.identityField
      ? plain
      : { id: this.id, ...plain };
  }

  /** Checks this element's invariants and those of the entities it owns. */
  checkRules(): void {
    const meta = (this.constructor as typeof IdentifiedElement).meta;
    checkInvariants(meta.name, meta.invariants, this);
    for (const value of Object.values(internals(this).values)) {
      const owned = Array.isArray(value) ? value : [value];
      for (const item of owned) if (item instanceof Entity) item.checkRules();
    }
  }
}

/**
 * Records an element's state so that it can be put back: its values, its pending events and, in
 * turn, those of the entities it owns. Lists, dates and plain objects are copied (methods change
 * them in place); value objects are immutable and kept as they are.
 *
 * @returns a function that restores what was recorded.
 */
export function captureState(element: IdentifiedElement): () => void {
  const record = internals(element);
  const owned: (() => void)[] = [];
  const copy = (value: unknown): unknown => {
    if (value instanceof Entity) {
      owned.push(captureState(value));
      return value;
    }
    if (Array.isArray(value)) return value.map(copy);
    if (value instanceof Date) return new Date(value.getTime());
    return isPlainObject(value) ? structuredClone(value) : value;
  };
  const values: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record.values)) values[name] = copy(value);
  const eventCount = record.events.length;
  return () => {
    record.values = values;
    record.events.length = eventCount;
    for (const restore of owned) restore();
  };
}

function isPlainObject(value: unknown): value is object {
  if (typeof value !== 'object' || value === null) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** An object with identity that lives inside an aggregate. Make one with `domain.entity()`. */
export abstract class Entity extends IdentifiedElement {}

/** An instance of an entity declared with fields `F`. */
export type EntityOf<F extends Fields> = Entity & ValuesOf<F>;

/** The class `domain.entity()` returns: extend it to add behaviour. */
export interface EntityClass<F extends Fields = Fields> {
  new (input: InputOf<F> & { id?: string }): EntityOf<F>;
  readonly meta: IdentityMeta<F>;
}

/** A generated identity reads like a field: `{ ...book }` and `Object.keys(book)` include `id`. */
const ID_ACCESSOR: PropertyDescriptor = {
  enumerable: true,
  configurable: false,
  get(this: IdentifiedElement) {
    return internals(this).id;
  },
};

/** How a mutable element with identity is declared: its `id` leads, unless a field is the identity. */
export function identifiedDeclaration<C>(
  base: C,
  meta: IdentityMeta,
  beforeAssign?: BeforeAssign,
): Declaration<C> {
  return {
    base,
    meta,
    mutability: 'mutable',
    ...(meta.identityField ? {} : { leading: { id: ID_ACCESSOR } }),
    ...(beforeAssign ? { beforeAssign } : {}),
  };
}

/** Builds the identity part of an element's meta. */
export function identityMeta<F extends Fields>(
  base: Omit<IdentityMeta<F>, 'identityField' | 'invariants'> & { invariants?: object | undefined },
): IdentityMeta<F> {
  return {
    ...base,
    invariants: (base.invariants ?? {}) as IdentityMeta['invariants'],
    identityField: identityFieldOf(base.fields),
  };
}

/** Declares an entity class; the domain calls this and registers the result. */
export function defineEntity<F extends Fields>(
  domain: string,
  name: string,
  fields: F,
  newId: () => string,
  options: EntityOptions<F> = {},
): EntityClass<F> {
  const meta = identityMeta({
    kind: 'entity',
    name,
    domain,
    fields,
    newId,
    invariants: options.invariants,
  });
  return declareElement(identifiedDeclaration(Entity, meta)) as unknown as EntityClass<F>;
}

/** The values an identified element is stored with (its generated `id` is stored apart). */
export function storedValues(element: IdentifiedElement): Record<string, unknown> {
  const plain = element.toJSON();
  if (!(element.constructor as typeof IdentifiedElement).meta.identityField) delete plain['id'];
  return plain;
}

/** Rebuilds an identified element from its stored id and values. */
export function fromStored<T extends IdentifiedElement>(
  cls: abstract new (input: never) => T,
  id: string,
  values: Record<string, unknown>,
): T {
  const meta = (cls as unknown as typeof IdentifiedElement).meta;
  const Concrete = cls as unknown as new (input: Record<string, unknown>) => T;
  return new Concrete(meta.identityField ? values : { ...values, id });
}
