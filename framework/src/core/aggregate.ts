import { checkInvariants, declareElement, internals } from './element.js';
import type { Element, Invariant } from './element.js';
import { captureState, IdentifiedElement, identifiedDeclaration, identityMeta } from './entity.js';
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

/** How deep in its own methods each aggregate is: checks run around the outermost call only. */
const depth = new WeakMap<AggregateRoot, number>();
const guardedPrototypes = new WeakSet<object>();
/** Classes whose instances were found to carry no behaviour outside their prototype. */
const methodsChecked = new WeakSet<object>();

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
   * class Book extends domain.aggregate('Book', { title: field.string({ required: true }) }) {
   *   checkOut(memberId: string) {
   *     this.raise(BookCheckedOut, { bookId: this.id, memberId });
   *   }
   * }
   * const BookCheckedOut = domain.event(
   *   'BookCheckedOut',
   *   { bookId: field.identifier({ required: true }), memberId: field.string({ required: true }) },
   *   { partOf: Book },
   * );
   */
  raise<F extends Fields>(event: EventClass<F>, data: InputOf<F>): MessageOf<F, EventMessage> {
    const meta = (this.constructor as typeof AggregateRoot).meta;
    if (event.meta.kind !== 'event' || event.meta.partOf !== meta.name) {
      throw new IncorrectUsageError(
        `${meta.name} cannot raise ${event.meta.name}: declare it with domain.event('${event.meta.name}', ..., { partOf: '${meta.name}' }).`,
      );
    }
    if (!depth.get(this)) requireMethodsOnPrototype(this);
    const raised = new event(data);
    internals(this).events.push(raised);
    return raised;
  }
}

/** The events raised since the aggregate was last saved, removed from it. */
export function pullEvents(aggregate: AggregateRoot): EventMessage[] {
  return internals(aggregate).events.splice(0) as EventMessage[];
}

/**
 * Wraps the methods and setters of a concrete aggregate class once, so that every call checks
 * the rules and is undone when it fails. Getters only read, so they are left as they are.
 */
function guardMethods(prototype: object): void {
  for (
    let proto = prototype;
    proto !== AggregateRoot.prototype;
    proto = Object.getPrototypeOf(proto) as object
  ) {
    if (guardedPrototypes.has(proto)) return;
    guardedPrototypes.add(proto);
    for (const [name, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(proto))) {
      if (name === 'constructor') continue;
      const { value, set } = descriptor;
      if (typeof value === 'function') {
        Object.defineProperty(proto, name, { ...descriptor, value: guarded(value as Method) });
      } else if (set) {
        Object.defineProperty(proto, name, { ...descriptor, set: guarded(set as Method) });
      }
    }
  }
}

type Method = (this: AggregateRoot, ...args: unknown[]) => unknown;

/**
 * Makes a method atomic: preconditions before, invariants after the outermost call on an
 * aggregate, and the aggregate's fields and pending events put back as they were when the method
 * (or an invariant after it) throws. An async method is settled the same way when it resolves.
 */
function guarded(method: Method): Method {
  return function (this: AggregateRoot, ...args) {
    if (depth.get(this)) return method.apply(this, args);
    requireMethodsOnPrototype(this);
    checkPreconditions(this);
    const restore = captureState(this);
    const settle = (value: unknown) => {
      depth.delete(this);
      try {
        this.checkRules();
      } catch (error) {
        restore();
        throw error;
      }
      return value;
    };
    const undo = (error: unknown): never => {
      depth.delete(this);
      restore();
      throw error;
    };
    depth.set(this, 1);
    let result: unknown;
    try {
      result = method.apply(this, args);
    } catch (error) {
      return undo(error);
    }
    return result instanceof Promise ? result.then(settle, undo) : settle(result);
  };
}

/**
 * Refuses behaviour written as arrow-function fields (`rename = (title) => { ... }`): they live on
 * each instance, out of reach of the wrapping above, so their changes would go unchecked and could
 * not be undone. Checked once per class, at the first change or method call of an instance.
 */
function requireMethodsOnPrototype(aggregate: AggregateRoot): void {
  const cls = aggregate.constructor;
  if (methodsChecked.has(cls)) return;
  const arrows = Object.entries(Object.getOwnPropertyDescriptors(aggregate))
    .filter(([, descriptor]) => typeof descriptor.value === 'function')
    .map(([name]) => name);
  if (arrows.length > 0) {
    const [first] = arrows;
    throw new IncorrectUsageError(
      `${cls.name} declares ${arrows.join(', ')} as arrow-function field(s); write ${arrows.length > 1 ? 'them' : 'it'} as ` +
        `method(s), e.g. ${first}(...) { ... }, so that ${cls.name}'s invariants are checked after each call and a call that fails is undone.`,
    );
  }
  methodsChecked.add(cls);
}

function checkPreconditions(aggregate: AggregateRoot): void {
  const meta = (aggregate.constructor as typeof AggregateRoot).meta;
  checkInvariants(meta.name, meta.preconditions, aggregate);
}

/** Guards an assignment made outside the aggregate's methods (see `requireMethodsOnPrototype`). */
function beforeAssign(element: Element): void {
  const aggregate = element as AggregateRoot;
  if (!depth.get(aggregate)) requireMethodsOnPrototype(aggregate);
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
  return declareElement(
    identifiedDeclaration(AggregateRoot, meta, beforeAssign),
  ) as unknown as AggregateClass<F>;
}

/** Records the version an aggregate was stored at. */
export function markStored(aggregate: AggregateRoot, version: number): void {
  internals(aggregate).version = version;
}
