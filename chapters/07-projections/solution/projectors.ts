import { BookAdded } from './book.js';
import { domain } from './domain.js';
import { StockReserved } from './inventory.js';
import { OrderConfirmed, OrderPlaced } from './order.js';
import { AuthorShelf, BookCatalog, OrderSummary } from './projections.js';

// #region catalog-projector
/** Keeps the BookCatalog: a row when a book is added, its availability when stock is reserved. */
domain
  .projector('CatalogProjector', { projections: [BookCatalog] })
  .on(BookAdded, async ({ bookId, title, author, price, copies }, { repository }) => {
    await repository(BookCatalog).add(
      new BookCatalog({
        bookId,
        title,
        author,
        price: price.amount,
        currency: price.currency,
        available: copies,
      }),
    );
  })
  .on(StockReserved, async ({ bookId, available }, { repository }) => {
    const row = await repository(BookCatalog).get(bookId);
    row.available = available;
    await repository(BookCatalog).add(row);
  });
// #endregion catalog-projector

// #region order-summary-projector
/** Keeps the OrderSummary: a row when an order is placed, its status when it is confirmed. */
domain
  .projector('OrderSummaryProjector', { projections: [OrderSummary] })
  .on(OrderPlaced, async ({ orderId, customer, lines, total }, { repository }) => {
    const books = lines.reduce((sum, line) => sum + line.quantity, 0);
    await repository(OrderSummary).add(
      new OrderSummary({
        orderId,
        customer,
        books,
        total: total.amount,
        currency: total.currency,
        status: 'pending',
      }),
    );
  })
  .on(OrderConfirmed, async ({ orderId }, { repository }) => {
    const row = await repository(OrderSummary).get(orderId);
    row.status = 'confirmed';
    await repository(OrderSummary).add(row);
  });
// #endregion order-summary-projector

// #region author-shelf-projector
/** Keeps the AuthorShelf: one more book on its author's row each time a book is added. */
domain
  .projector('AuthorShelfProjector', { projections: [AuthorShelf] })
  .on(BookAdded, async ({ author }, { repository }) => {
    const shelf = await repository(AuthorShelf).getOrNull(author);
    if (shelf) shelf.books += 1;
    await repository(AuthorShelf).add(shelf ?? new AuthorShelf({ author, books: 1 }));
  });
// #endregion author-shelf-projector
