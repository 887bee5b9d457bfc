/**
 * given / when / then for aggregates and command flows. Runner-agnostic: failed expectations throw
 * `AssertionError` from `node:assert`, which vitest, jest and node's test runner all report.
 */
import { AggregateRoot, pullEvents } from '../core/aggregate.js';
import type { AnyAggregateClass } from '../core/aggregate.js';
import type { IdentifiedElement } from '../core/entity.js';
import type { Envelope } from '../core/envelope.js';
import type { CommandMessage, EventMessage } from '../core/message.js';
import type { Domain } from '../domain/domain.js';
import { messageOutcome, Outcome } from './outcome.js';

/** Aggregate scenario: an aggregate in a given state, one behaviour, its outcome. */
export class AggregateScenario<A extends AggregateRoot> {
  readonly #aggregate: A;

  constructor(aggregate: A) {
    this.#aggregate = aggregate;
    pullEvents(aggregate);
  }

  /** Runs `behaviour` on the aggregate and records what it raised, returned or threw. */
  when<R>(behaviour: (aggregate: A) => R): Outcome<A, R> {
    try {
      const result = behaviour(this.#aggregate);
      return new Outcome(this.#aggregate, result, undefined, pullEvents(this.#aggregate));
    } catch (error) {
      pullEvents(this.#aggregate);
      return new Outcome<A, R>(this.#aggregate, undefined, error, []);
    }
  }
}

/**
 * Factory scenario: how an aggregate comes into being (a static factory such as
 * `Customer.register()`, or its constructor), the events that raised, and the state it starts in.
 */
export class FactoryScenario<A extends AggregateRoot> {
  readonly #cls: AnyAggregateClass<A>;

  constructor(cls: AnyAggregateClass<A>) {
    this.#cls = cls;
  }

  /** Runs `create` and records the aggregate it made (the outcome's subject) and its events. */
  when(create: () => A): Outcome<A | undefined, A> {
    let created: A;
    try {
      created = create();
    } catch (error) {
      return new Outcome<A | undefined, A>(undefined, undefined, error, []);
    }
    if (!(created instanceof this.#cls)) {
      throw new TypeError(
        `given(${this.#cls.meta.name}).when() expects a function that returns a new ${this.#cls.meta.name}; ` +
          `it returned ${describeValue(created)}.`,
      );
    }
    return new Outcome<A | undefined, A>(created, created, undefined, pullEvents(created));
  }
}

function describeValue(value: unknown): string {
  if (value === null || typeof value !== 'object') return String(value);
  return `a ${value.constructor.name}`;
}

/** Command-flow scenario: a domain with given state and events, one command, its outcome. */
export class DomainScenario {
  readonly #domain: Domain;
  readonly #steps: (() => Promise<void>)[] = [];

  constructor(domain: Domain) {
    this.#domain = domain;
  }

  /** Stores these aggregates or projections as they are (through their repositories). */
  state(...elements: IdentifiedElement[]): this {
    this.#steps.push(() =>
      this.#domain.unitOfWork(async () => {
        for (const element of elements) {
          const cls = element.constructor as Parameters<Domain['repository']>[0];
          await (
            this.#domain.repository(cls) as { add(e: IdentifiedElement): Promise<unknown> }
          ).add(element);
        }
      }),
    );
    return this;
  }

  /**
   * Appends these events to their aggregates' streams and delivers them to every handler and
   * projector, as if they had happened. Each needs the id of its aggregate: `[event, aggregateId]`.
   */
  events(...events: readonly Delivery[]): this {
    this.#steps.push(async () => {
      for (const delivery of events) await this.#deliver(delivery);
    });
    return this;
  }

  /**
   * Initializes the domain if needed, applies the givens, then processes `command`, or delivers
   * an event (`[event, aggregateId]`) to its handlers and projectors; records the outcome.
   */
  async when<R = unknown>(command: CommandMessage): Promise<Outcome<Domain, R>>;
  async when(event: Delivery): Promise<Outcome<Domain, undefined>>;
  async when<R = unknown>(message: CommandMessage | Delivery): Promise<Outcome<Domain, R>> {
    if (!this.#domain.initialized) await this.#domain.init();
    for (const step of this.#steps.splice(0)) await step();
    const committed: Envelope[] = [];
    const stop = this.#domain.observe((notice) => committed.push(...notice.events));
    try {
      const result = Array.isArray(message)
        ? ((await this.#deliver(message as Delivery)) as R)
        : await this.#domain.process<R>(message as CommandMessage);
      return messageOutcome(this.#domain, this.#domain, result, undefined, committed);
    } catch (error) {
      return messageOutcome<Domain, R>(this.#domain, this.#domain, undefined, error, committed);
    } finally {
      stop();
    }
  }

  async #deliver([event, aggregateId]: Delivery): Promise<undefined> {
    const envelope = this.#domain.envelope(event, aggregateId);
    await this.#domain.eventStore.append(envelope.stream, [envelope]);
    await this.#domain.handleMessage(envelope);
    return undefined;
  }
}

/** An event with the id of the aggregate it happened to. */
export type Delivery = readonly [event: EventMessage, aggregateId: string];

/**
 * Starts a scenario: `given(aggregate)` for one aggregate's behaviour, `given(AggregateClass)` for
 * how one is created, `given(domain)` for a command flow through handlers, events and projections.
 *
 * @example
 * given(order).when((o) => o.confirm()).thenRaised(OrderConfirmed, { total: 19.98 });
 *
 * @example
 * given(Customer).when(() => Customer.register(details)).thenRaised(CustomerRegistered);
 *
 * @example
 * const placeOrder = new PlaceOrder({ customer: 'ada', bookId: book.id });
 * const outcome = await given(domain).state(book).when(placeOrder);
 * outcome.thenRaised(OrderPlaced);
 */
export function given<A extends AggregateRoot>(aggregate: A): AggregateScenario<A>;
export function given<A extends AggregateRoot>(cls: AnyAggregateClass<A>): FactoryScenario<A>;
export function given(domain: Domain): DomainScenario;
export function given(
  subject: AggregateRoot | AnyAggregateClass | Domain,
): AggregateScenario<AggregateRoot> | FactoryScenario<AggregateRoot> | DomainScenario {
  if (subject instanceof AggregateRoot) return new AggregateScenario(subject);
  if (typeof subject === 'function') return new FactoryScenario(subject);
  return new DomainScenario(subject);
}
