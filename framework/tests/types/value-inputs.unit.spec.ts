/**
 * Types of value inputs: date fields take ISO strings as the run time does, and a value object's
 * `with()` returns the caller's own class. `npm run typecheck` compiles this file.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Domain, field } from '../../src/index.js';

const domain = new Domain({ name: 'types' });

class Money extends domain.valueObject('Money', {
  amount: field.number({ required: true }),
  currency: field.string({ length: 3, default: 'EUR' }),
}) {
  doubled(): Money {
    return this.with({ amount: this.amount * 2 });
  }
}

const Release = domain.event(
  'Released',
  { on: field.date({ required: true }), at: field.datetime() },
  { partOf: 'Book' },
);

describe('value inputs', () => {
  it('accepts ISO strings for date fields and gives back dates', () => {
    const released = new Release({ on: '1965-08-01', at: '1965-08-01T09:30:00Z' });
    expectTypeOf(released.on).toEqualTypeOf<Date>();
    expect(released.on.toISOString()).toBe('1965-08-01T00:00:00.000Z');
    // @ts-expect-error a number is not a date
    expectTypeOf(() => new Release({ on: 1965 })).toBeFunction();
  });

  it('keeps the subclass of a value object through with()', () => {
    const price = new Money({ amount: 5 });
    const copy = price.with({ currency: 'USD' });
    expectTypeOf(copy).toEqualTypeOf<Money>();
    expect(copy).toBeInstanceOf(Money);
    expect(copy.doubled().toJSON()).toEqual({ amount: 10, currency: 'USD' });
  });
});
