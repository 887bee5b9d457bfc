import { AssertionError } from 'node:assert';
import { isDeepStrictEqual } from 'node:util';
import { toPlain } from '../core/element.js';
import type { Envelope } from '../core/envelope.js';
import type { EventMessage, MessageClass } from '../core/message.js';
import type { Domain } from '../domain/domain.js';

type ErrorClass = abstract new (...args: never[]) => Error;

function fail(message: string, actual?: unknown, expected?: unknown): never {
  throw new AssertionError({ message, actual, expected, operator: 'then' });
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * What a `when` did: its result, the error it threw, and the events it raised. The `then...`
 * methods assert on it and return the outcome, so they chain.
 */
export class Outcome<S, R = unknown> {
  /** The aggregate (aggregate scenarios) or domain (command flows) the scenario ran on. */
  readonly subject: S;
  /** What the behaviour or handler returned (undefined when it threw). */
  readonly result: R | undefined;
  /** What it threw, if anything. */
  readonly error: unknown;
  /** The events raised (aggregate scenarios) or committed (command flows), in order. */
  readonly events: readonly EventMessage[];

  constructor(subject: S, result: R | undefined, error: unknown, events: readonly EventMessage[]) {
    this.subject = subject;
    this.result = result;
    this.error = error;
    this.events = events;
  }

  /** Asserts that it did not throw. */
  thenSucceeds(): this {
    if (this.error !== undefined)
      fail(`expected success, but it threw ${describeError(this.error)}`);
    return this;
  }

  /** Asserts that it threw an instance of `errorClass`, with a message matching `message` if given. */
  thenFails(errorClass: ErrorClass, message?: string | RegExp): this {
    if (this.error === undefined) fail(`expected ${errorClass.name}, but it succeeded`);
    if (!(this.error instanceof errorClass))
      fail(`expected ${errorClass.name}, but it threw ${describeError(this.error)}`);
    const text = (this.error as Error).message;
    const matches =
      message === undefined ||
      (typeof message === 'string' ? text.includes(message) : message.test(text));
    if (!matches) fail(`expected a ${errorClass.name} saying ${String(message)}`, text, message);
    return this;
  }

  /**
   * Asserts that an event of this class was raised, whose data includes `data` if given. Value
   * objects in `data` compare by value.
   */
  thenRaised(event: MessageClass<EventMessage>, data?: Record<string, unknown>): this {
    this.thenSucceeds();
    const candidates = this.events.filter((e) => e instanceof event);
    if (candidates.length === 0)
      fail(`expected ${event.meta.name} to be raised; raised: ${this.#names()}`);
    if (data && !candidates.some((e) => includes(e.toJSON(), data))) {
      const expected = plain(data);
      fail(
        `no ${event.meta.name} with the expected data`,
        candidates.map((e) => pick(e.toJSON(), expected)),
        expected,
      );
    }
    return this;
  }

  /** Asserts exactly these event classes were raised, in this order. */
  thenEvents(...events: MessageClass<EventMessage>[]): this {
    this.thenSucceeds();
    const actual = this.events.map((e) => (e.constructor as MessageClass<EventMessage>).meta.name);
    const expected = events.map((e) => e.meta.name);
    if (!isDeepStrictEqual(actual, expected)) fail('the events raised differ', actual, expected);
    return this;
  }

  /**
   * Asserts that the subject's values include `values` (aggregate and factory scenarios). Value
   * objects and entities in `values` compare by value; the diff shows only the fields asked for.
   * After a failed behaviour it checks what the aggregate was left with.
   */
  thenState(values: Record<string, unknown>): this {
    const subject = this.subject as { toJSON?: () => Record<string, unknown> } | undefined;
    if (subject === undefined)
      fail(
        `there is no state to compare: nothing was created, it threw ${describeError(this.error)}`,
      );
    if (typeof subject.toJSON !== 'function')
      fail('thenState() applies to aggregate scenarios; read repositories for command flows');
    const state = subject.toJSON();
    if (!includes(state, values)) {
      const expected = plain(values);
      const threw =
        this.error === undefined ? '' : ` (the behaviour threw ${describeError(this.error)})`;
      fail(`the state differs${threw}`, pick(state, expected), expected);
    }
    return this;
  }

  #names(): string {
    return (
      this.events.map((e) => (e.constructor as MessageClass<EventMessage>).meta.name).join(', ') ||
      'none'
    );
  }
}

/** Whether plain `actual` holds every value of `expected` (elements in it compare as data). */
function includes(actual: Record<string, unknown>, expected: Record<string, unknown>): boolean {
  return Object.entries(plain(expected)).every(([key, value]) =>
    isDeepStrictEqual(actual[key], value),
  );
}

function plain(values: Record<string, unknown>): Record<string, unknown> {
  return toPlain(values) as Record<string, unknown>;
}

/** The entries of `actual` that `expected` names, so that a diff shows only what was asked. */
function pick(actual: Record<string, unknown>, expected: Record<string, unknown>) {
  return Object.fromEntries(Object.keys(expected).map((key) => [key, actual[key]]));
}

/** An outcome whose events are the envelopes a domain committed, turned back into messages. */
export function messageOutcome<S, R>(
  domain: Domain,
  subject: S,
  result: R | undefined,
  error: unknown,
  committed: readonly Envelope[],
): Outcome<S, R> {
  const events = committed
    .filter((e) => e.kind === 'EVENT')
    .map((e) => domain.messageOf(e) as EventMessage);
  return new Outcome(subject, result, error, events);
}
