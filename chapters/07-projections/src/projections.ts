import { field } from 'protean-ts';
import { domain } from './domain.js';

// #region book-catalog
/** One row per book, shaped for the catalogue page: what it is, what it costs, whether it is in. */
export class BookCatalog extends domain.projection('BookCatalog', {
  bookId: field.identifier({ identifier: true }),
  title: field.string({ required: true }),
  author: field.string({ required: true }),
  price: field.number({ required: true, min: 0 }),
  currency: field.string({ required: true }),
  available: field.integer({ required: true, min: 0 }),
}) {}
// #endregion book-catalog

// #region order-summary
/** One row per order, shaped for a list of orders: who, how many books, how much, how far along. */
export class OrderSummary extends domain.projection('OrderSummary', {
  orderId: field.identifier({ identifier: true }),
  customer: field.string({ required: true }),
  books: field.integer({ required: true, min: 1 }),
  total: field.number({ required: true, min: 0 }),
  currency: field.string({ required: true }),
  status: field.choice(['pending', 'confirmed'], { required: true }),
}) {}
// #endregion order-summary
