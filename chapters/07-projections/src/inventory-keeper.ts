import { domain } from './domain.js';
import { BookAdded } from './book.js';
import { Inventory } from './inventory.js';
import { OrderConfirmed } from './order.js';

// #region inventory-keeper
/** Keeps the warehouse in step with the catalogue and the orders. */
domain
  .eventHandler('InventoryKeeper')
  .on(BookAdded, async ({ bookId, copies }, { repository }) => {
    await repository(Inventory).add(Inventory.stock(bookId, copies));
  })
  // #region reserve-stock
  .on(OrderConfirmed, async ({ lines }, { repository }) => {
    for (const { bookId, quantity } of lines) {
      const stock = await repository(Inventory).get(bookId);
      stock.reserve(quantity);
      await repository(Inventory).add(stock);
    }
  });
// #endregion reserve-stock
// #endregion inventory-keeper
