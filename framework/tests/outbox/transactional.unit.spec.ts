import { describe, expect, it } from 'vitest';
import { createBookshelf, ready } from '../fixtures/bookshelf.js';

const dune = {
  title: 'Dune',
  author: 'Frank Herbert',
  isbn: '9780441172719',
  price: 9.99,
  copies: 2,
};

describe('the transactional outbox on memory adapters', () => {
  it('writes one pending outbox row per event, with the envelope, in the command unit', async () => {
    // #region outbox-row
    const m = createBookshelf({ enable_outbox: true, event_processing: 'async' });
    const { domain } = m;
    await ready(domain);
    const bookId = await domain.process<string>(new m.AddBook(dune));
    const claimed = await domain.outbox.claim({ owner: 'test', limit: 10, leaseSeconds: 30 });
    expect(claimed).toHaveLength(1);
    expect(claimed[0]).toMatchObject({
      broker: 'default',
      message: { type: 'Bookshelf.BookAdded.v1', stream: `bookshelf::book-${bookId}` },
    });
    // #endregion outbox-row
    await domain.close();
  });

  it('writes no outbox row when the handler fails', async () => {
    // #region outbox-rollback
    const m = createBookshelf({ enable_outbox: true, event_processing: 'async' });
    await ready(m.domain);
    await expect(
      m.domain.process(new m.AddBook({ ...dune, isbn: 'not an isbn' })),
    ).rejects.toThrow();
    expect(await m.domain.outbox.countByStatus()).toMatchObject({ pending: 0, processing: 0 });
    // #endregion outbox-rollback
    await m.domain.close();
  });

  it('writes nothing to the outbox when it is off', async () => {
    const m = createBookshelf({ event_processing: 'async' });
    await ready(m.domain);
    await m.domain.process(new m.AddBook(dune));
    expect((await m.domain.outbox.countByStatus()).pending).toBe(0);
    await m.domain.close();
  });
});

describe('idempotent handling of redelivered messages', () => {
  it('applies a redelivered event once per handler when idempotent', async () => {
    // #region idempotent-redelivery
    const m = createBookshelf({ event_processing: 'async' });
    await ready(m.domain);
    const bookId = await m.domain.process<string>(new m.AddBook(dune));
    const orderId = await m.domain.process<string>(
      new m.PlaceOrder({ customer: 'ada', lines: [{ bookId, quantity: 1 }] }),
    );
    await m.domain.process(new m.ConfirmOrder({ orderId }));
    const [added] = await m.domain.eventStore.readCategory('bookshelf::book');
    await m.domain.handleMessage(added!, { idempotent: true });
    const confirmed = (await m.domain.eventStore.readCategory('bookshelf::order')).find(
      (e) => e.type === 'Bookshelf.OrderConfirmed.v1',
    );

    await m.domain.handleMessage(confirmed!, { handler: 'InventoryKeeper', idempotent: true });
    await m.domain.handleMessage(confirmed!, { handler: 'InventoryKeeper', idempotent: true });
    expect((await m.domain.repository(m.Inventory).get(bookId)).reserved).toBe(1);

    await m.domain.handleMessage(confirmed!, { handler: 'InventoryKeeper' });
    expect((await m.domain.repository(m.Inventory).get(bookId)).reserved).toBe(2);
    // #endregion idempotent-redelivery
    await m.domain.close();
  });

  it('does not mark a message whose handler failed, so a retry applies it', async () => {
    const m = createBookshelf({ event_processing: 'async' });
    await ready(m.domain);
    const bookId = await m.domain.process<string>(new m.AddBook(dune));
    const [added] = await m.domain.eventStore.readCategory('bookshelf::book');
    await m.domain.handleMessage(added!, { handler: 'InventoryKeeper', idempotent: true });
    const orderId = await m.domain.process<string>(
      new m.PlaceOrder({ customer: 'ada', lines: [{ bookId, quantity: 3 }] }),
    );
    await m.domain.process(new m.ConfirmOrder({ orderId }));
    const confirmed = (await m.domain.eventStore.readCategory('bookshelf::order')).find(
      (e) => e.type === 'Bookshelf.OrderConfirmed.v1',
    );
    // #region idempotent-retry
    await expect(
      m.domain.handleMessage(confirmed!, { handler: 'InventoryKeeper', idempotent: true }),
    ).rejects.toThrow(/only 2 of book/);
    const stock = await m.domain.repository(m.Inventory).get(bookId);
    stock.onHand = 5;
    await m.domain.repository(m.Inventory).add(stock);
    await m.domain.handleMessage(confirmed!, { handler: 'InventoryKeeper', idempotent: true });
    expect((await m.domain.repository(m.Inventory).get(bookId)).reserved).toBe(3);
    // #endregion idempotent-retry
    await m.domain.close();
  });
});
