/**
 * Examples for the PostgreSQL guide: an order of order items, stored in PostgreSQL. Each test
 * opens a domain on a database of this file's own and drops the tables it made.
 */
import { Client } from 'pg';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../src/adapters/postgres/database.js';
import { registerProvider } from '../../src/adapter.js';
import { Domain, ExpectedVersionError, field } from '../../src/index.js';
import {
  createTestDatabase,
  describeIntegration,
  integrationServices,
  type TestDatabase,
} from '../../src/testing/index.js';

// Registered here too, so this file does not depend on the composition root registering it.
registerProvider('database', 'postgresql', (settings) => createPostgresDatabase(settings));

// #region model
function bookshelf(databaseUri: string) {
  const domain = new Domain({
    name: 'bookshelf',
    config: { databases: { default: { provider: 'postgresql', database_uri: databaseUri } } },
  });

  class OrderItem extends domain.entity('OrderItem', {
    bookId: field.identifier({ required: true }),
    quantity: field.integer({ required: true, min: 1 }),
  }) {}

  class Order extends domain.aggregate('Order', {
    customer: field.string({ required: true }),
    items: field.hasMany(OrderItem),
    status: field.choice(['pending', 'confirmed'], { default: 'pending' }),
  }) {
    addItem(bookId: string, quantity: number): void {
      this.items.push(new OrderItem({ bookId, quantity }));
    }

    confirm(): void {
      this.status = 'confirmed';
    }
  }

  return { domain, Order };
}
// #endregion model

describeIntegration('the PostgreSQL guide', () => {
  let database: TestDatabase;
  let opened: Domain | undefined;

  beforeAll(async () => {
    database = await createTestDatabase(integrationServices().postgres.url);
  });
  afterEach(async () => {
    await opened?.dropSchema();
    await opened?.close();
    opened = undefined;
  });
  afterAll(() => database?.drop());

  async function rows(text: string): Promise<Record<string, unknown>[]> {
    const client = new Client({ connectionString: database.url });
    await client.connect();
    try {
      return (await client.query(text)).rows as Record<string, unknown>[];
    } finally {
      await client.end();
    }
  }

  it('stores the items of an order in a child table, in their order', async () => {
    // #region postgres-start
    const { domain, Order } = bookshelf(database.url);
    await domain.init();
    await domain.setupSchema(); // what `protean db setup` does
    // #endregion postgres-start
    opened = domain;

    // #region child-table
    const order = new Order({ customer: 'Ada Lovelace' });
    order.addItem('dune', 2);
    order.addItem('hobbit', 1);
    await domain.repository(Order).add(order);

    const loaded = await domain.repository(Order).get(order.id);
    expect(loaded.items.map((item) => [item.bookId, item.quantity])).toEqual([
      ['dune', 2],
      ['hobbit', 1],
    ]);
    expect(
      await rows(
        'SELECT parent_id, position, quantity FROM bookshelf_order__items ORDER BY position',
      ),
    ).toEqual([
      { parent_id: order.id, position: 0, quantity: '2' },
      { parent_id: order.id, position: 1, quantity: '1' },
    ]);
    // #endregion child-table
  });

  it('keeps aggregates, events and the outbox in one database', async () => {
    const database_uri = database.url;
    // #region postgres-config
    const domain = new Domain({
      name: 'bookshelf',
      config: {
        enable_outbox: true,
        event_processing: 'async',
        databases: { default: { provider: 'postgresql', database_uri } },
        event_store: { provider: 'postgresql', database_uri },
      },
    });
    // #endregion postgres-config
    const Shelf = domain.aggregate('Shelf', { name: field.string({ required: true }) });
    await domain.init();
    await domain.setupSchema();
    opened = domain;

    await domain.repository(Shelf).add(new Shelf({ name: 'new arrivals' }));
    expect(await rows('SELECT name FROM bookshelf_shelf')).toEqual([{ name: 'new arrivals' }]);
    expect(await rows("SELECT to_regclass('protean_messages') IS NOT NULL AS present")).toEqual([
      { present: true },
    ]);
    expect(await domain.outbox.countByStatus()).toMatchObject({ pending: 0 });
  });

  it('refuses the second of two changes made from the same version', async () => {
    const { domain, Order } = bookshelf(database.url);
    await domain.init();
    await domain.setupSchema();
    opened = domain;
    const order = new Order({ customer: 'Ada Lovelace' });
    order.addItem('dune', 1);
    await domain.repository(Order).add(order);

    // #region postgres-concurrency
    const orders = domain.repository(Order);
    const mine = await orders.get(order.id); // loaded at version 1
    const theirs = await orders.get(order.id); // loaded at version 1 too

    theirs.confirm();
    await orders.add(theirs); // UPDATE ... WHERE version = 1: stored as version 2

    mine.addItem('hobbit', 1);
    await expect(orders.add(mine)).rejects.toBeInstanceOf(ExpectedVersionError);
    const stored = await orders.get(order.id);
    expect([stored.status, stored.items.length, stored._version]).toEqual(['confirmed', 1, 2]);
    // #endregion postgres-concurrency
  });
});
