/**
 * How every port's argument checks refuse input: one `IncorrectUsageError`, worded the same way by
 * every adapter of the port, so the port's contract suite can hold them all to it.
 */
import { IncorrectUsageError } from '../../core/errors.js';

/** Throws an `IncorrectUsageError` with `message`. */
export function refuse(message: string): never {
  throw new IncorrectUsageError(message);
}

/**
 * A refusal in the words of one port: `expects('The outbox')('an owner, received ...')` throws
 * "The outbox expects an owner, received ....".
 */
export function expects(subject: string): (expectation: string) => never {
  return (expectation) => refuse(`${subject} expects ${expectation}.`);
}

/** Refuses one named argument: "`name` must be `what`; received `value`.". */
export function mustBe(name: string, what: string, value: unknown): never {
  return refuse(`${name} must be ${what}; received ${show(value)}.`);
}

/**
 * A received value as a message shows it: strings quoted, anything else as `String()` writes it.
 */
export function show(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}
