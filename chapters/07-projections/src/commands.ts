import { field } from 'protean-ts';
import { Book } from './book.js';
import { domain } from './domain.js';
import { Order } from './order.js';
import type { NewItem } from './order.js';
import { Address, Isbn, Money, OrderLine } from './values.js';

// #region add-book
/** Asks for a book to be added to the catalogue. */
export const AddBook = domain.command(
  'AddBook',
  {
    title: field.string({ required: true, maxLength: 200 }),
    author: field.string({ required: true }),
    isbn: field.valueObject(Isbn, { required: true }),
    price: field.valueObject(Money, { required: true }),
    format: field.choice(['hardcover', 'paperback', 'ebook'], { default: 'paperback' }),
    genres: field.list(field.string({ maxLength: 30 })),
    publishedOn: field.date(),
    copies: field.integer({ default: 1, min: 0 }),
  },
  { partOf: Book },
);
// #endregion add-book

// #region add-book-handler
domain.handle(AddBook, async (command, { repository }) => {
  const { copies, ...details } = command;
  const book = Book.add(details, copies);
  await repository(Book).add(book);
  return book.id;
});
// #endregion add-book-handler

// #region place-order
/** Asks for an order to be placed for these books, shipped to this address. */
export const PlaceOrder = domain.command(
  'PlaceOrder',
  {
    customer: field.string({ required: true, maxLength: 100 }),
    shippingAddress: field.valueObject(Address, { required: true }),
    lines: field.list(field.valueObject(OrderLine)),
  },
  { partOf: Order },
);
// #endregion place-order

// #region place-order-handler
domain.handle(PlaceOrder, async ({ customer, shippingAddress, lines }, { repository }) => {
  const items: NewItem[] = [];
  for (const { bookId, quantity } of lines) {
    const book = await repository(Book).get(bookId);
    items.push({ bookId, quantity, unitPrice: book.price });
  }
  const order = Order.place(customer, shippingAddress, items);
  await repository(Order).add(order);
  return order.id;
});
// #endregion place-order-handler

// #region confirm-order
/** Asks for a pending order to be confirmed. */
export const ConfirmOrder = domain.command(
  'ConfirmOrder',
  { orderId: field.identifier({ required: true, identifier: true }) },
  { partOf: Order },
);
// #endregion confirm-order

// #region confirm-order-handler
domain.handle(ConfirmOrder, async ({ orderId }, { repository }) => {
  const order = await repository(Order).get(orderId);
  order.confirm();
  await repository(Order).add(order);
});
// #endregion confirm-order-handler
