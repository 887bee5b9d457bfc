/**
 * Commands, events and value objects read like the data they hold: spreading, `Object.keys`,
 * `JSON.stringify` and `structuredClone` give their fields, at run time and in their types.
 * `npm run typecheck` compiles the type assertions below.
 */
import { describe, expect, expectTypeOf, it } from 'vitest';
import { Domain, field, IncorrectUsageError } from '../../src/index.js';

const domain = new Domain({ name: 'shop' });
const Money = domain.valueObject('Money', {
  amount: field.number({ required: true, min: 0 }),
  currency: field.string({ length: 3, default: 'EUR' }),
});
class Customer extends domain.aggregate('Customer', {
  email: field.string({ required: true }),
  name: field.string({ required: true }),
  credit: field.valueObject(Money),
}) {
  static register(details: { email: string; name: string; credit?: InstanceType<typeof Money> }) {
    const customer = new Customer(details);
    customer.raise(CustomerRegistered, { customerId: customer.id, email: details.email });
    return customer;
  }
}
const RegisterCustomer = domain.command(
  'RegisterCustomer',
  {
    email: field.string({ required: true }),
    name: field.string({ required: true }),
    credit: field.valueObject(Money),
  },
  { partOf: Customer },
);
const CustomerRegistered = domain.event(
  'CustomerRegistered',
  { customerId: field.identifier({ required: true }), email: field.string({ required: true }) },
  { partOf: Customer },
);

const command = new RegisterCustomer({
  email: 'ada@example.com',
  name: 'Ada',
  credit: { amount: 10 },
});

describe('commands and events read like data', () => {
  it('spread into their fields', () => {
    const fields = { ...command };
    expect(fields).toEqual({
      email: 'ada@example.com',
      name: 'Ada',
      credit: new Money({ amount: 10, currency: 'EUR' }),
    });
    expect(Object.keys(command)).toEqual(['email', 'name', 'credit']);
  });

  it('pass their fields to an aggregate factory, typed', () => {
    // #region spread-command
    const customer = Customer.register({ ...command });
    // #endregion spread-command
    expect(customer.toJSON()).toMatchObject({ email: 'ada@example.com', name: 'Ada' });
    expectTypeOf({ ...command }).toEqualTypeOf<{
      email: string;
      name: string;
      credit: InstanceType<typeof Money> | undefined;
    }>();
  });

  it('give typed plain data from toJSON()', () => {
    const plain = command.toJSON();
    expect(plain).toEqual({
      email: 'ada@example.com',
      name: 'Ada',
      credit: { amount: 10, currency: 'EUR' },
    });
    expectTypeOf(plain).toEqualTypeOf<{
      email: string;
      name: string;
      credit: { amount: number; currency: string } | undefined;
    }>();
  });

  it('stringify and clone as their fields', () => {
    const expected = {
      email: 'ada@example.com',
      name: 'Ada',
      credit: { amount: 10, currency: 'EUR' },
    };
    expect(JSON.parse(JSON.stringify(command))).toEqual(expected);
    expect(structuredClone(command)).toEqual(expected);
  });

  it('stay immutable: an assignment is refused with a clear error', () => {
    const write = () => Object.assign(command, { name: 'Grace' });
    expect(write).toThrow(IncorrectUsageError);
    expect(write).toThrow('RegisterCustomer.name cannot be changed: a command is immutable');
  });
});

describe('value objects read like data', () => {
  const price = new Money({ amount: 5 });

  it('spread, list and clone their fields', () => {
    expect({ ...price }).toEqual({ amount: 5, currency: 'EUR' });
    expect(Object.keys(price)).toEqual(['amount', 'currency']);
    expect(structuredClone(price)).toEqual({ amount: 5, currency: 'EUR' });
    expectTypeOf(price.toJSON()).toEqualTypeOf<{ amount: number; currency: string }>();
  });

  it('compare by value in deep equality, as they do with equals()', () => {
    expect(new Money({ amount: 5 })).toEqual(price);
    expect(new Money({ amount: 6 })).not.toEqual(price);
  });
});

describe('aggregates list their identity and fields', () => {
  it('spread into id and fields', () => {
    const customer = new Customer({ email: 'ada@example.com', name: 'Ada' });
    expect(Object.keys(customer)).toEqual(['id', 'email', 'name', 'credit']);
    expect({ ...customer }).toEqual({
      id: customer.id,
      email: 'ada@example.com',
      name: 'Ada',
      credit: undefined,
    });
  });
});
