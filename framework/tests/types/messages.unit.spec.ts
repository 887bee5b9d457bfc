/**
 * Types of commands, events, handlers, value objects and entities. `npm run typecheck` compiles
 * this file: every `@ts-expect-error` below must stay an error, or the typecheck fails.
 */
import { describe, expectTypeOf, it } from 'vitest';
import { Domain, field } from '../../src/index.js';
import type { Repository } from '../../src/index.js';

const domain = new Domain({ name: 'types', config: {} });
const Money = domain.valueObject('Money', {
  amount: field.number({ required: true }),
  currency: field.string({ default: 'USD' }),
});
const Line = domain.entity('Line', {
  sku: field.string({ required: true }),
  price: field.valueObject(Money),
});
class Cart extends domain.aggregate('Cart', {
  owner: field.string({ required: true }),
  lines: field.hasMany(Line),
  total: field.valueObject(Money),
}) {
  checkOut() {
    this.raise(CheckedOut, { cartId: this.id, total: 3 });
    // @ts-expect-error an event's data is typed: total must be a number
    this.raise(CheckedOut, { cartId: this.id, total: 'three' });
    // @ts-expect-error an event's required fields must be given
    this.raise(CheckedOut, { total: 3 });
  }
}
const AddLine = domain.command(
  'AddLine',
  { cartId: field.identifier({ required: true }), sku: field.string({ required: true }) },
  { partOf: Cart },
);
const CheckedOut = domain.event(
  'CheckedOut',
  { cartId: field.identifier({ required: true }), total: field.number({ required: true }) },
  { partOf: Cart },
);
const CartView = domain.projection('CartView', {
  cartId: field.identifier({ identifier: true }),
  lines: field.integer({ default: 0 }),
});

describe('message and handler types', () => {
  it('types command and event payloads', () => {
    const command = new AddLine({ cartId: 'c1', sku: 'book-1' });
    expectTypeOf(command.sku).toEqualTypeOf<string>();
    // @ts-expect-error commands are immutable
    expectTypeOf(() => (command.sku = 'x')).toBeFunction();
    // @ts-expect-error unknown field on a command
    expectTypeOf(() => new AddLine({ cartId: 'c1', sku: 'b', quantity: 2 })).toBeFunction();
  });

  it('types handler payloads by the message they handle', () => {
    domain.handle(AddLine, async (command, { repository }) => {
      expectTypeOf(command.cartId).toEqualTypeOf<string>();
      expectTypeOf(repository(Cart)).toEqualTypeOf<Repository<Cart>>();
      // @ts-expect-error AddLine has no field total
      void command.total;
    });
    domain.eventHandler('Audit').on(CheckedOut, (event) => {
      expectTypeOf(event.total).toEqualTypeOf<number>();
      // @ts-expect-error CheckedOut has no field sku
      void event.sku;
    });
    domain
      .projector('CartProjector', { projections: [CartView] })
      .on(CheckedOut, async (event, { repository }) => {
        const view = await repository(CartView).get(event.cartId);
        expectTypeOf(view.lines).toEqualTypeOf<number>();
      });
  });

  it('accepts value objects and entities or their plain data, and exposes instances', () => {
    const cart = new Cart({
      owner: 'ada',
      lines: [{ sku: 'b', price: { amount: 2 } }],
      total: new Money({ amount: 2 }),
    });
    expectTypeOf(cart.total).toEqualTypeOf<InstanceType<typeof Money> | undefined>();
    expectTypeOf(cart.lines[0]!.sku).toEqualTypeOf<string>();
    // @ts-expect-error a value object's data is checked too
    expectTypeOf(() => new Cart({ owner: 'ada', total: { amount: 'two' } })).toBeFunction();
    // @ts-expect-error value objects are immutable
    expectTypeOf(() => (new Money({ amount: 1 }).amount = 2)).toBeFunction();
  });
});
