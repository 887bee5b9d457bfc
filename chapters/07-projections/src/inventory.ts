import { field, InvariantViolation } from 'protean-ts';
import { domain } from './domain.js';

// #region stock-reserved
/** Copies of a book were set aside for an order. */
export const StockReserved = domain.event(
  'StockReserved',
  {
    bookId: field.identifier({ required: true }),
    quantity: field.integer({ required: true, min: 1 }),
    available: field.integer({ required: true, min: 0 }),
  },
  { partOf: 'Inventory' },
);
// #endregion stock-reserved

// #region inventory
/** The copies of one book in the warehouse, and how many of them are promised to orders. */
export class Inventory extends domain.aggregate('Inventory', {
  bookId: field.reference('Book', { required: true, identifier: true }),
  onHand: field.integer({ default: 0, min: 0 }),
  reserved: field.integer({ default: 0, min: 0 }),
}) {
  /** Starts keeping stock of a book that joined the catalogue. */
  static stock(bookId: string, copies: number): Inventory {
    return new Inventory({ bookId, onHand: copies });
  }

  /** The copies not yet promised to an order. */
  get available(): number {
    return this.onHand - this.reserved;
  }

  // #region reserve
  /** Sets copies aside for an order; there must be enough of them left. */
  reserve(quantity: number): void {
    if (quantity > this.available) {
      throw new InvariantViolation(
        `only ${this.available} copies of book ${this.bookId} are available, ${quantity} asked for`,
      );
    }
    this.reserved += quantity;
    this.raise(StockReserved, { bookId: this.bookId, quantity, available: this.available });
  }
  // #endregion reserve
}
// #endregion inventory
