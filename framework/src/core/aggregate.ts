import { checkInvariants, declareElement, internals } from './element.js';
import type { Invariant } from './element.js';
import { IdentifiedElement, identityMeta } from './entity.js';
import type { IdentityMeta } from './entity.js';
import { IncorrectUsageError } from './errors.js';
import type { Fields, InputOf, ValuesOf } from './fields.js';
import type { EventClass, EventMessage, MessageOf } from './message.js';

/** What protean-ts knows about an aggregate class. */
export interface AggregateMeta<F extends Fields = Fields> extends IdentityMeta<F> {
  readonly kind: 'aggregate';
  /** Rules checked before each of the aggregate's methods runs. */
  readonly preconditions: Readonly<Record<string, Invariant<never>>>;
}

/** Options of `domain.aggregate()`. */
export interface AggregateOptions<F extends Fields> {
  /** Rules that must hold after every method call and whenever the aggregate is saved. */
  invariants?: Record<string, Invariant<ValuesOf<F> & { readonly id: string }>>;
  /** Rules that must hold before any of the aggregate's methods runs. */
  preconditions?: Record<string, Invariant<ValuesOf<F> & { readonly id: string }>>;
}

const depth = new WeakMap<AggregateRoot, number>();
const guardedPrototypes = new WeakSet<object>();

/**
 * The root of a consistency boundary. Subclass the class returned by `domain.aggregate()`
 * rather than this one; it gives you typed fields, identity, version, invariants and events.
 */
export abstract class AggregateRoot extends IdentifiedElement {
  declare static readonly meta: AggregateMeta;
  constructor(input: Record<string, unknown> = {}) {
    super(input);
    this.checkRules();
    guardMethods(new.target.prototype);
  }

  /** The version last stored (0 before the first save); used for optimistic concurrency. */
  get _version(): number {
    return internals(this).version;
  }

  /**
   * Records that something happened to this aggregate. The event is stored and dispatched when
   * the unit of work that saves the aggregate commits, never before.
   *
   * @example
   * this.raise(BookCheckedOut, { bookId: this.id, memberId });
   */
  raise<F extends Fields>(event: EventClass<F>, data: InputOf<F>): MessageOf<F, EventMessage> {
    const meta = (this.constructor as typeof AggregateRoot).meta;
    if (event.meta.kind !== 'event' || event.meta.partOf !== meta.name) {
      throw new IncorrectUsageError(
        `${meta.name} cannot raise ${event.meta.name}: declare it with domain.event('${event.meta.name}', ..., { partOf: '${meta.name}' }).`,
      );
    }
    const raised = new event(data);
    internals(this).events.push(raised);
    return raised;
  }
}

/** The events raised since the aggregate was last saved, removed from it. */
export function pullEvents(aggregate: AggregateRoot): EventMessage[] {
  return internals(aggregate).events.splice(0) as EventMessage[];
}

/** Wraps the methods of a concrete aggregate class once, so every call checks the rules. */
function guardMethods(prototype: object): void {
  for (
    let proto = prototype;
    proto !== AggregateRoot.prototype;
    proto = Object.getPrototypeOf(proto) as object
  ) {
    if (guardedPrototypes.has(proto)) return;
    guardedPrototypes.add(proto);
    for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (name === 'constructor' || typeof descriptor.value !== 'function') continue;
      Object.defineProperty(proto, name, {
        ...descriptor,
        value: guarded(descriptor.value as Method),
      });
    }
  }
}

type Method = (this: AggregateRoot, ...args: unknown[]) => unknown;

/** Runs preconditions before and invariants after the outermost method call on an aggregate. */
function guarded(method: Method): Method {
  return function (this: AggregateRoot, ...args) {
    const level = depth.get(this) ?? 0;
    if (level === 0) checkPreconditions(this);
    depth.set(this, level + 1);
    let result: unknown;
    try {
      result = method.apply(this, args);
    } finally {
      depth.set(this, level);
    }
    if (level > 0) return result;
    if (result instanceof Promise)
      return result.then((value: unknown) => (this.checkRules(), value));
    this.checkRules();
    return result;
  };
}

function checkPreconditions(aggregate: AggregateRoot): void {
  const meta = (aggregate.constructor as typeof AggregateRoot).meta;
  checkInvariants(meta.name, meta.preconditions, aggregate);
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
) => T) & {
  readonly meta: AggregateMeta;
};

/** Declares an aggregate class; the domain calls this and registers the result. */
export function defineAggregate<F extends Fields>(
  domain: string,
  name: string,
  fields: F,
  newId: () => string,
  options: AggregateOptions<F> = {},
): AggregateClass<F> {
  const meta: AggregateMeta<F> = {
    ...identityMeta({
      kind: 'aggregate',
      name,
      domain,
      fields,
      newId,
      invariants: options.invariants,
    }),
    kind: 'aggregate',
    preconditions: (options.preconditions ?? {}) as AggregateMeta['preconditions'],
  };
  return declareElement(AggregateRoot, meta, 'mutable') as unknown as AggregateClass<F>;
}

/** Records the version an aggregate was stored at. */
export function markStored(aggregate: AggregateRoot, version: number): void {
  internals(aggregate).version = version;
}
