import { describe, expect, it } from 'vitest';
import { field } from '../../src/core/field.js';
import { resolveField } from '../../src/core/fields.js';
import type { AnyField } from '../../src/core/fields.js';

const check = (f: AnyField, value: unknown) => resolveField(f, value);

describe('fields', () => {
  it('checks string length and pattern, reporting every problem', () => {
    const code = field.string({ minLength: 4, maxLength: 5, pattern: /^[A-Z]+$/ });
    expect(check(code, 'ABCD')).toEqual({ ok: true, value: 'ABCD' });
    expect(check(code, 'ab')).toEqual({
      ok: false,
      errors: ['must be at least 4 characters long', 'must match /^[A-Z]+$/, received "ab"'],
    });
    expect(check(field.string({ length: 3 }), 'EURO')).toEqual({
      ok: false,
      errors: ['must be exactly 3 characters long'],
    });
    expect(check(field.string(), 42)).toEqual({
      ok: false,
      errors: ['must be a string, received 42'],
    });
  });

  it('treats a blank required string as missing', () => {
    expect(check(field.string({ required: true }), '   ')).toEqual({
      ok: false,
      errors: ['is required'],
    });
  });

  it('checks numbers, integers and their bounds', () => {
    expect(check(field.number({ min: 0 }), -1)).toEqual({ ok: false, errors: ['must be >= 0'] });
    expect(check(field.number({ max: 10 }), 10.5)).toEqual({
      ok: false,
      errors: ['must be <= 10'],
    });
    expect(check(field.integer(), 1.5)).toEqual({
      ok: false,
      errors: ['must be an integer, received 1.5'],
    });
    expect(check(field.number(), Number.NaN)).toEqual({
      ok: false,
      errors: ['must be a finite number, received NaN'],
    });
    expect(check(field.number(), Infinity)).toEqual({
      ok: false,
      errors: ['must be a finite number, received Infinity'],
    });
    expect(check(field.integer({ min: 1 }), 3)).toEqual({ ok: true, value: 3 });
  });

  it('accepts booleans only', () => {
    expect(check(field.boolean(), false)).toEqual({ ok: true, value: false });
    expect(check(field.boolean(), 'yes')).toEqual({
      ok: false,
      errors: ['must be true or false, received "yes"'],
    });
  });

  it('converts ISO strings to dates and rejects nonsense', () => {
    const result = check(field.datetime(), '2026-01-02T03:04:05.000Z');
    expect(result.ok && (result.value as Date).toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(check(field.date(), 'not a date')).toEqual({
      ok: false,
      errors: ['must be a date, received "not a date"'],
    });
  });

  it('keeps only the calendar day of a date, and the full time of a datetime', () => {
    const day = check(field.date(), '2026-03-04T22:30:00.000Z');
    expect(day.ok && (day.value as Date).toISOString()).toBe('2026-03-04T00:00:00.000Z');
    const moment = check(field.datetime(), '2026-03-04T22:30:00.000Z');
    expect(moment.ok && (moment.value as Date).toISOString()).toBe('2026-03-04T22:30:00.000Z');
  });

  it('copies a given date so the caller cannot change it afterwards', () => {
    const given = new Date('2026-01-01');
    const result = check(field.date(), given);
    expect(result.ok && result.value).not.toBe(given);
  });

  it('accepts only the listed choices', () => {
    const status = field.choice(['available', 'checked_out']);
    expect(check(status, 'available')).toEqual({ ok: true, value: 'available' });
    expect(check(status, 'lost')).toEqual({
      ok: false,
      errors: ['must be one of available, checked_out, received "lost"'],
    });
  });

  it('requires a non-empty identifier', () => {
    expect(check(field.identifier(), '')).toEqual({
      ok: false,
      errors: ['must be a non-empty string identifier, received ""'],
    });
  });

  it('fills defaults, calling a default function each time', () => {
    let calls = 0;
    const stamped = field.integer({ default: () => ++calls });
    expect(check(stamped, undefined)).toEqual({ ok: true, value: 1 });
    expect(check(stamped, null)).toEqual({ ok: true, value: 2 });
    expect(check(field.string({ default: 'USD' }), undefined)).toEqual({ ok: true, value: 'USD' });
  });

  it('leaves an optional missing value undefined and reports a required one', () => {
    expect(check(field.string(), undefined)).toEqual({ ok: true, value: undefined });
    expect(check(field.string({ required: true }), undefined)).toEqual({
      ok: false,
      errors: ['is required'],
    });
  });
});
