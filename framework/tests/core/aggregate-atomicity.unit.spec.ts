/**
 * An aggregate's methods are atomic: invariants are checked after each outermost call, and a call
 * that throws (or breaks an invariant) leaves the fields, the owned entities and the pending events
 * as they were. Behaviour written as arrow-function fields is refused, because it could not be.
 */
import { describe, expect, it } from 'vitest';
import { Domain, field, IncorrectUsageError, InvariantViolation } from '../../src/index.js';
import { pullEvents } from '../../src/core/aggregate.js';

const domain = new Domain({ name: 'shop' });
const OrderLine = domain.entity('OrderLine', {
  sku: field.string({ required: true }),
  quantity: field.integer({ required: true, min: 1 }),
});
const LineAdded = domain.event(
  'LineAdded',
  { sku: field.string({ required: true }) },
  { partOf: 'Order' },
);
const MAX_LINES = 2;

class Order extends domain.aggregate(
  'Order',
  {
    status: field.choice(['open', 'placed'], { default: 'open' }),
    note: field.string(),
    lines: field.hasMany(OrderLine),
    tags: field.dict({ default: () => ({}) }),
  },
  {
    invariants: {
      lineLimit: (order) => {
        if (order.lines.length > MAX_LINES)
          throw new InvariantViolation(`an order holds at most ${MAX_LINES} lines`);
      },
    },
  },
) {
  addLine(sku: string, quantity: number) {
    this.lines.push(new OrderLine({ sku, quantity }));
    this.raise(LineAdded, { sku });
  }

  // #region atomic-method
  /** Changes a line, raises, then fails: nothing of it may remain. */
  bumpThenFail(sku: string) {
    const line = this.lines.find((l) => l.sku === sku);
    if (line) line.quantity += 1;
    this.note = 'bumped';
    this.tags['bumped'] = true;
    this.raise(LineAdded, { sku });
    throw new Error('payment service said no');
  }
  // #endregion atomic-method

  async addLineLater(sku: string, fail: boolean) {
    this.note = 'adding';
    await Promise.resolve();
    this.addLine(sku, 1);
    if (fail) throw new Error('stock service said no');
  }

  set label(text: string) {
    this.note = text;
    if (text === '') throw new Error('a label cannot be empty');
  }
}

function orderWithOneLine(): Order {
  const order = new Order({ lines: [{ sku: 'DUNE', quantity: 1 }] });
  pullEvents(order);
  return order;
}

const stateOf = (order: Order) => ({ ...order.toJSON(), events: pullEvents(order).length });

describe('aggregate methods are atomic', () => {
  it('keeps what a method did when it succeeds', () => {
    const order = orderWithOneLine();
    order.addLine('EMMA', 2);
    expect(order.lines.map((l) => l.sku)).toEqual(['DUNE', 'EMMA']);
    expect(pullEvents(order)).toHaveLength(1);
  });

  it('undoes a method that throws: fields, owned entities, dicts and events', () => {
    // #region atomic
    const order = orderWithOneLine();
    const before = stateOf(order);
    expect(() => order.bumpThenFail('DUNE')).toThrow('payment service said no');
    expect(stateOf(order)).toEqual(before);
    // #endregion atomic
  });

  it('undoes a method that breaks an invariant, and says which', () => {
    const order = orderWithOneLine();
    order.addLine('EMMA', 1);
    pullEvents(order);
    const before = stateOf(order);
    expect(() => order.addLine('ODYSSEY', 1)).toThrow(/lineLimit: an order holds at most 2 lines/);
    expect(stateOf(order)).toEqual(before);
  });

  it('undoes an async method that rejects, and keeps one that resolves', async () => {
    const order = orderWithOneLine();
    const before = stateOf(order);
    await expect(order.addLineLater('EMMA', true)).rejects.toThrow('stock service said no');
    expect(stateOf(order)).toEqual(before);
    await order.addLineLater('EMMA', false);
    expect(order.lines).toHaveLength(2);
  });

  it('checks and undoes setters like methods', () => {
    const order = orderWithOneLine();
    order.label = 'gift';
    expect(order.note).toBe('gift');
    expect(() => (order.label = '')).toThrow('a label cannot be empty');
    expect(order.note).toBe('gift');
  });

  it('checks rules once, after the outermost call, when methods call each other', () => {
    const order = orderWithOneLine();
    order.addLine('EMMA', 1);
    pullEvents(order);
    // addLineLater calls addLine; the limit is checked when the outer call settles.
    return expect(order.addLineLater('ODYSSEY', false)).rejects.toThrow(/lineLimit/);
  });
});

describe('behaviour written as arrow-function fields', () => {
  class Basket extends domain.aggregate('Basket', { note: field.string() }) {
    rename = (note: string) => {
      this.note = note;
    };
  }

  it('is refused at its first change, before anything changes, naming the fix', () => {
    const basket = new Basket({ note: 'first' });
    expect(() => basket.rename('second')).toThrow(IncorrectUsageError);
    expect(() => basket.rename('second')).toThrow(
      /Basket declares rename as arrow-function field\(s\); write it as method\(s\), e\.g\. rename\(\.\.\.\) \{ \.\.\. \}/,
    );
    expect(basket.note).toBe('first');
  });
});
