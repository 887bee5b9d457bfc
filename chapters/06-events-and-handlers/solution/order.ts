import { field, InvariantViolation } from 'protean-ts';
import { domain } from './domain.js';
import { Address, Money, OrderLine } from './values.js';

// #region order-item
/** One line of an order: a book, how many copies, and the price of one copy. */
export class OrderItem extends domain.entity('OrderItem', {
  bookId: field.reference('Book', { required: true }),
  quantity: field.integer({ required: true, min: 1 }),
  unitPrice: field.valueObject(Money, { required: true }),
}) {
  subtotal(): Money {
    return this.unitPrice.times(this.quantity);
  }
}
// #endregion order-item

/** A book to put in a new order: how many copies, at what price. */
export interface NewItem {
  readonly bookId: string;
  readonly quantity: number;
  readonly unitPrice: Money;
}

// #region order-confirmed
/** The customer confirmed an order: these books, in these quantities, for this total. */
export const OrderConfirmed = domain.event(
  'OrderConfirmed',
  {
    orderId: field.identifier({ required: true }),
    customer: field.string({ required: true }),
    lines: field.list(field.valueObject(OrderLine), { required: true }),
    total: field.valueObject(Money, { required: true }),
  },
  { partOf: 'Order' },
);
// #endregion order-confirmed

// #region order-cancelled
/** A confirmed order was cancelled: the copies set aside for its lines are free again. */
export const OrderCancelled = domain.event(
  'OrderCancelled',
  {
    orderId: field.identifier({ required: true }),
    lines: field.list(field.valueObject(OrderLine), { required: true }),
  },
  { partOf: 'Order' },
);
// #endregion order-cancelled

// #region order
export class Order extends domain.aggregate(
  'Order',
  {
    customer: field.string({ required: true, maxLength: 100 }),
    items: field.hasMany(OrderItem),
    shippingAddress: field.valueObject(Address, { required: true }),
    // #region status
    status: field.choice(['pending', 'confirmed', 'shipped', 'cancelled'], { default: 'pending' }),
    // #endregion status
  },
  {
    // #region invariants
    invariants: {
      confirmedOrderHasItems: (order) => {
        const confirmed = order.status === 'confirmed' || order.status === 'shipped';
        if (confirmed && order.items.length === 0) {
          throw new InvariantViolation('an order needs at least one item to be confirmed');
        }
      },
    },
    // #endregion invariants
    // #region preconditions
    preconditions: {
      shippedOrderCannotChange: (order) => {
        if (order.status === 'shipped') {
          throw new InvariantViolation('a shipped order cannot change');
        }
      },
    },
    // #endregion preconditions
  },
) {
  // #region place
  /** Places an order: who buys, where it goes, and at least one book at the price it costs now. */
  static place(customer: string, shippingAddress: Address, items: readonly NewItem[]): Order {
    if (items.length === 0) {
      throw new InvariantViolation('an order is placed with at least one book');
    }
    const order = new Order({ customer, shippingAddress });
    for (const { bookId, quantity, unitPrice } of items) {
      order.addItem(bookId, quantity, unitPrice);
    }
    return order;
  }
  // #endregion place

  // #region add-item
  /** Adds copies of a book while the order is pending; a book already in it gets more copies. */
  addItem(bookId: string, quantity: number, unitPrice: Money): void {
    if (this.status !== 'pending') {
      throw new InvariantViolation(
        `items can only be added while an order is pending; this one is ${this.status}`,
      );
    }
    const added = new OrderItem({ bookId, quantity, unitPrice });
    const currency = this.items[0]?.unitPrice.currency ?? unitPrice.currency;
    if (unitPrice.currency !== currency) {
      throw new InvariantViolation(
        `an order is paid in one currency: this one is in ${currency}, the book costs ${unitPrice}`,
      );
    }
    const line = this.items.find((item) => item.bookId === bookId);
    if (line) line.quantity += added.quantity;
    else this.items.push(added);
  }
  // #endregion add-item

  // #region confirm
  /** The customer confirms what they ordered: the items are settled, and the stock is to be reserved. */
  confirm(): void {
    if (this.status !== 'pending') {
      throw new InvariantViolation(
        `only a pending order can be confirmed; this one is ${this.status}`,
      );
    }
    this.status = 'confirmed';
    this.raise(OrderConfirmed, {
      orderId: this.id,
      customer: this.customer,
      lines: this.items.map(({ bookId, quantity }) => ({ bookId, quantity })),
      total: this.total,
    });
  }
  // #endregion confirm

  // #region cancel
  /** The customer changes their mind before the books leave: what was reserved is released. */
  cancel(): void {
    if (this.status !== 'confirmed') {
      throw new InvariantViolation(
        `only a confirmed order can be cancelled; this one is ${this.status}`,
      );
    }
    this.status = 'cancelled';
    this.raise(OrderCancelled, {
      orderId: this.id,
      lines: this.items.map(({ bookId, quantity }) => ({ bookId, quantity })),
    });
  }
  // #endregion cancel

  // #region ship
  /** The books leave the warehouse. */
  ship(): void {
    if (this.status !== 'confirmed') {
      throw new InvariantViolation(
        `only a confirmed order can be shipped; this one is ${this.status}`,
      );
    }
    this.status = 'shipped';
  }
  // #endregion ship

  // #region ship-to
  /** Sends the order somewhere else: the new address replaces the old one whole. */
  shipTo(address: Address): void {
    this.shippingAddress = address;
  }
  // #endregion ship-to

  // #region total
  /** What the order costs: the sum of its lines (nothing, for an empty order). */
  get total(): Money {
    const [first, ...rest] = this.items;
    if (!first) return new Money({ amount: 0 });
    return rest.reduce((sum, item) => sum.add(item.subtotal()), first.subtotal());
  }
  // #endregion total
}
// #endregion order
