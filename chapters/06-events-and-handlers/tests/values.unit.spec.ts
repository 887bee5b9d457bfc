import { describe, expect, it } from 'vitest';
import { IncorrectUsageError, InvariantViolation, ValidationError } from 'protean-ts';
import { Isbn, Money } from '../src/values.js';

describe('chapter 6: Money', () => {
  it('is equal to another Money with the same amount and currency', () => {
    expect(new Money({ amount: 9.99 }).equals(new Money({ amount: 9.99, currency: 'USD' }))).toBe(
      true,
    );
    expect(new Money({ amount: 9.99 }).equals(new Money({ amount: 9.99, currency: 'EUR' }))).toBe(
      false,
    );
  });

  it('cannot be changed; with() makes a new Money instead', () => {
    const price = new Money({ amount: 9.99 });
    expect(() => Object.assign(price, { amount: 1 })).toThrow(IncorrectUsageError);

    const discounted = price.with({ amount: 7.99 });
    expect(discounted.amount).toBe(7.99);
    expect(price.amount).toBe(9.99);
  });

  it('keeps amounts in whole cents', () => {
    expect(() => new Money({ amount: 9.999 })).toThrow(InvariantViolation);
    expect(() => new Money({ amount: 9.999 })).toThrow(/amountIsWholeCents/);
    expect(new Money({ amount: 0.1 + 0.2 }).amount).toBeCloseTo(0.3);
  });

  it('refuses a negative amount and a currency that is not three capital letters', () => {
    expect(() => new Money({ amount: -1, currency: 'usd' })).toThrow(ValidationError);
    try {
      new Money({ amount: -1, currency: 'usd' });
    } catch (error) {
      expect((error as ValidationError).errors).toEqual({
        amount: ['must be >= 0'],
        currency: ['must match /^[A-Z]{3}$/, received "usd"'],
      });
    }
  });

  it('reads as an amount and a currency', () => {
    expect(String(new Money({ amount: 12.5, currency: 'EUR' }))).toBe('12.50 EUR');
  });
});

describe('chapter 6: Isbn', () => {
  it('accepts a 13-digit ISBN whose check digit is right', () => {
    expect(String(new Isbn({ value: '9780441172719' }))).toBe('9780441172719');
    expect(String(new Isbn({ value: '9780547928227' }))).toBe('9780547928227');
  });

  it('refuses a wrong check digit, naming the rule', () => {
    expect(() => new Isbn({ value: '9780441172710' })).toThrow(
      'Isbn breaks its rules: checkDigitIsCorrect: the check digit of 9780441172710 should be 9',
    );
  });

  it('refuses anything that is not 13 digits starting 978 or 979', () => {
    expect(() => new Isbn({ value: '0441172717' })).toThrow(ValidationError);
  });
});
