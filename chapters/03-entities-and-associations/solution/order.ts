import { field, InvariantViolation } from 'protean-ts';
import { domain } from './domain.js';
import { Address, Money } from './values.js';

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

// #region order
export class Order extends domain.aggregate('Order', {
  customer: field.string({ required: true, maxLength: 100 }),
  items: field.hasMany(OrderItem),
  shippingAddress: field.valueObject(Address, { required: true }),
}) {
  // #region add-item
  /** Adds copies of a book; a book already in the order gets more copies on its line. */
  addItem(bookId: string, quantity: number, unitPrice: Money): void {
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

  // #region remove-item
  /** Takes a book's line out of the order. */
  removeItem(bookId: string): void {
    if (!this.items.some((item) => item.bookId === bookId)) {
      throw new InvariantViolation(`book ${bookId} is not in this order`);
    }
    this.items = this.items.filter((item) => item.bookId !== bookId);
  }
  // #endregion remove-item

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
