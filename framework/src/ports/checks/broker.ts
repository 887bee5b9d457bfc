/**
 * Argument checks shared by every broker adapter, so all of them refuse bad input with the same
 * messages.
 */
import type { BrokerPayload } from '../broker.js';
import { mustBe, refuse } from './usage.js';

/** The payload as JSON text; refuses what is not a JSON object, as every broker does. */
export function encodePayload(stream: string, payload: BrokerPayload): string {
  const kind = Array.isArray(payload) ? 'an array' : payload === null ? 'null' : typeof payload;
  if (kind !== 'object') {
    const expected = 'a JSON object (an envelope or a plain object)';
    refuse(`publish('${stream}') expects ${expected}; received ${kind}.`);
  }
  try {
    return JSON.stringify(payload);
  } catch (error) {
    const reason = (error as Error).message;
    return refuse(`publish('${stream}'): the payload is not JSON (${reason}).`);
  }
}

/** `value` when it is a whole number > 0, else an `IncorrectUsageError` naming `name`. */
export function positiveInteger(name: string, value: number): number {
  if (Number.isInteger(value) && value > 0) return value;
  return mustBe(name, 'a positive integer', value);
}

/**
 * `value` when it is a finite number (a whole one if `integer`) >= 0, else an
 * `IncorrectUsageError` naming `name`.
 */
export function nonNegative(name: string, value: number, integer = false): number {
  if ((integer ? Number.isInteger(value) : Number.isFinite(value)) && value >= 0) return value;
  return mustBe(name, `${integer ? 'an integer' : 'a finite number'} >= 0`, value);
}

/**
 * `value` when it looks like an entry id (`<ms>-<seq>` or `<ms>`), else an `IncorrectUsageError`.
 */
export function entryId(name: string, value: string): string {
  if (/^\d+(-\d+)?$/.test(value)) return value;
  return mustBe(name, `an entry id like '1718000000000-0'`, value);
}

/**
 * `value` when it is a bound of `Broker.range()`: `'-'`, `'+'`, or an entry id, optionally
 * prefixed with `(` to exclude it; else an `IncorrectUsageError` naming `name`.
 */
export function rangeBound(name: string, value: string): string {
  if (value === '-' || value === '+' || /^\(?\d+(-\d+)?$/.test(value)) return value;
  return mustBe(
    name,
    `'-', '+' or an entry id like '1718000000000-0' (prefixed with '(' to exclude it)`,
    value,
  );
}
