/**
 * The given/when/then helper covers how an aggregate is created (a static factory and the events
 * it raises) and compares value objects by value, with diffs that show only what was asked for.
 */
import { AssertionError } from 'node:assert';
import { describe, expect, it } from 'vitest';
import { Domain, EventDispatchError, field, InvariantViolation } from '../../src/index.js';
import { given } from '../../src/testing/index.js';

const domain = new Domain({ name: 'shop' });
const Money = domain.valueObject('Money', {
  amount: field.number({ required: true, min: 0 }),
  currency: field.string({ length: 3, default: 'EUR' }),
});
const CustomerRegistered = domain.event(
  'CustomerRegistered',
  { customerId: field.identifier({ required: true }), email: field.string({ required: true }) },
  { partOf: 'Customer' },
);

// #region factory
const CREDIT_LIMIT = 100;

class Customer extends domain.aggregate(
  'Customer',
  {
    email: field.string({ required: true }),
    credit: field.valueObject(Money, { required: true }),
  },
  {
    invariants: {
      creditLimit: (customer) => {
        if (customer.credit.amount > CREDIT_LIMIT)
          throw new InvariantViolation(`credit is at most ${CREDIT_LIMIT}`);
      },
    },
  },
) {
  static register(email: string, credit: InstanceType<typeof Money>): Customer {
    if (!email.includes('@')) throw new InvariantViolation(`"${email}" is not an email address`);
    const customer = new Customer({ email, credit });
    customer.raise(CustomerRegistered, { customerId: customer.id, email });
    return customer;
  }

  grant(extra: InstanceType<typeof Money>): void {
    this.credit = this.credit.with({ amount: this.credit.amount + extra.amount });
  }
}
// #endregion factory

describe('given(AggregateClass): creation', () => {
  it('checks the events a static factory raised and the state it created', () => {
    // #region factory-scenario
    given(Customer)
      .when(() => Customer.register('ada@example.com', new Money({ amount: 10 })))
      .thenEvents(CustomerRegistered)
      .thenRaised(CustomerRegistered, { email: 'ada@example.com' })
      .thenState({ email: 'ada@example.com', credit: new Money({ amount: 10 }) });
    // #endregion factory-scenario
  });

  it('records a factory that refuses to create', () => {
    const outcome = given(Customer)
      .when(() => Customer.register('not-an-email', new Money({ amount: 10 })))
      .thenFails(InvariantViolation, 'is not an email address');
    expect(outcome.subject).toBeUndefined();
    expect(() => outcome.thenState({ email: 'x' })).toThrow(
      /there is no state to compare: nothing was created, it threw InvariantViolation/,
    );
  });

  it('says so when the function does not return the aggregate', () => {
    const scenario = given(Customer);
    expect(() => scenario.when(() => 'oops' as unknown as Customer)).toThrow(
      'given(Customer).when() expects a function that returns a new Customer; it returned oops.',
    );
  });
});

describe('value objects in expectations', () => {
  const customer = () => new Customer({ email: 'ada@example.com', credit: { amount: 10 } });

  it('compares value objects by value in thenState', () => {
    given(customer())
      .when((c) => c.grant(new Money({ amount: 5 })))
      .thenState({ credit: new Money({ amount: 15, currency: 'EUR' }) });
  });

  it('shows a readable diff of only the fields asked for', () => {
    const outcome = given(customer()).when((c) => c.grant(new Money({ amount: 5 })));
    let failure: unknown;
    try {
      outcome.thenState({ credit: new Money({ amount: 16 }) });
    } catch (error) {
      failure = error;
    }
    expect(failure).toBeInstanceOf(AssertionError);
    expect(failure).toMatchObject({
      message: 'the state differs',
      actual: { credit: { amount: 15, currency: 'EUR' } },
      expected: { credit: { amount: 16, currency: 'EUR' } },
    });
  });

  it('compares value objects by value in thenRaised', () => {
    given(Customer)
      .when(() => Customer.register('ada@example.com', new Money({ amount: 10 })))
      .thenRaised(CustomerRegistered, { email: 'ada@example.com' });
    const outcome = given(Customer).when(() =>
      Customer.register('ada@example.com', new Money({ amount: 10 })),
    );
    expect(() => outcome.thenRaised(CustomerRegistered, { email: 'grace@example.com' })).toThrow(
      'no CustomerRegistered with the expected data',
    );
  });

  it('names the error of a behaviour that threw when the state then differs', () => {
    const outcome = given(customer()).when((c) => c.grant(new Money({ amount: 95 })));
    expect(() => outcome.thenState({ credit: new Money({ amount: 105 }) })).toThrow(
      'the state differs (the behaviour threw InvariantViolation: ',
    );
  });

  it('checks what a refused behaviour left: the state before it', () => {
    given(customer())
      .when((c) => c.grant(new Money({ amount: 95 })))
      .thenFails(InvariantViolation, 'credit is at most 100')
      .thenState({ credit: new Money({ amount: 10 }) });
  });
});

describe('given(domain).when([event, aggregateId]): a delivered event', () => {
  const shop = new Domain({ name: 'deliveries' });
  const OrderPlaced = shop.event(
    'OrderPlaced',
    { orderId: field.identifier({ required: true }), total: field.number({ required: true }) },
    { partOf: 'Order' },
  );
  shop.aggregate('Order', { total: field.number() });
  const OrderBoard = shop.projection('OrderBoard', {
    orderId: field.identifier({ identifier: true }),
    total: field.number({ required: true }),
  });
  shop
    .projector('OrderBoardProjector', { projections: [OrderBoard] })
    .on(OrderPlaced, async (event, { repository }) => {
      if (event.total < 0) throw new InvariantViolation('a total is never negative');
      await repository(OrderBoard).add(new OrderBoard({ ...event }));
    });

  it('delivers the event to its projectors and records the outcome', async () => {
    // #region when-delivered
    const outcome = await given(shop).when([new OrderPlaced({ orderId: 'o-1', total: 12 }), 'o-1']);
    outcome.thenSucceeds();
    expect((await shop.view(OrderBoard).get('o-1')).total).toBe(12);
    // #endregion when-delivered
  });

  it('records a reaction that fails, for thenFails', async () => {
    const outcome = await given(shop).when([new OrderPlaced({ orderId: 'o-2', total: -1 }), 'o-2']);
    outcome.thenFails(
      EventDispatchError,
      'OrderBoardProjector on Deliveries.OrderPlaced.v1: a total is never negative',
    );
    expect(await shop.view(OrderBoard).count()).toBe(1);
  });
});
