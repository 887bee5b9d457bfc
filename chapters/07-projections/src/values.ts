import { field, InvariantViolation } from 'protean-ts';
import { domain } from './domain.js';

// #region money
/** An amount of money in one currency, such as 9.99 USD. */
export class Money extends domain.valueObject(
  'Money',
  {
    amount: field.number({ required: true, min: 0 }),
    currency: field.string({ pattern: /^[A-Z]{3}$/, default: 'USD' }),
  },
  {
    invariants: {
      amountIsWholeCents: (money) => {
        const cents = money.amount * 100;
        if (Math.abs(cents - Math.round(cents)) > 1e-6) {
          throw new InvariantViolation(`an amount is whole cents, received ${money.amount}`);
        }
      },
    },
  },
) {
  // #region money-arithmetic
  /** This amount plus `other`, which must be in the same currency. */
  add(other: Money): Money {
    if (other.currency !== this.currency) {
      throw new InvariantViolation(`cannot add ${other} to ${this}: the currencies differ`);
    }
    return new Money({ amount: toCents(this.amount + other.amount), currency: this.currency });
  }

  /** This amount multiplied by a whole number, such as a quantity. */
  times(factor: number): Money {
    return new Money({ amount: toCents(this.amount * factor), currency: this.currency });
  }
  // #endregion money-arithmetic

  override toString(): string {
    return `${this.amount.toFixed(2)} ${this.currency}`;
  }
}

/** Rounds away the binary noise of floating-point sums: 0.1 + 0.2 is 0.3 again. */
function toCents(amount: number): number {
  return Math.round(amount * 100) / 100;
}
// #endregion money

// #region isbn
/** A 13-digit ISBN, such as 9780441172719, whose last digit checks the other twelve. */
export class Isbn extends domain.valueObject(
  'Isbn',
  { value: field.string({ required: true, pattern: /^97[89]\d{10}$/ }) },
  {
    invariants: {
      checkDigitIsCorrect: (isbn) => {
        const expected = checkDigit(isbn.value);
        if (isbn.value.at(-1) !== expected) {
          throw new InvariantViolation(`the check digit of ${isbn.value} should be ${expected}`);
        }
      },
    },
  },
) {
  override toString(): string {
    return this.value;
  }
}

/** ISBN-13: the first twelve digits weighted 1, 3, 1, 3, ...; the check digit tops the sum up to a multiple of 10. */
function checkDigit(isbn: string): string {
  const sum = [...isbn.slice(0, 12)].reduce(
    (total, digit, index) => total + Number(digit) * (index % 2 === 0 ? 1 : 3),
    0,
  );
  return String((10 - (sum % 10)) % 10);
}
// #endregion isbn

// #region address
/** Where an order is shipped. Two addresses with the same lines are the same address. */
export class Address extends domain.valueObject('Address', {
  street: field.string({ required: true, maxLength: 100 }),
  city: field.string({ required: true, maxLength: 60 }),
  postcode: field.string({ required: true, maxLength: 10 }),
  country: field.string({ required: true, pattern: /^[A-Z]{2}$/ }),
}) {
  override toString(): string {
    return `${this.street}, ${this.postcode} ${this.city}, ${this.country}`;
  }
}
// #endregion address

// #region order-line
/** A book, by its id, and how many copies of it: a line of an order, as messages carry it. */
export class OrderLine extends domain.valueObject('OrderLine', {
  bookId: field.reference('Book', { required: true }),
  quantity: field.integer({ required: true, min: 1 }),
}) {}
// #endregion order-line
