/**
 * What the `@example` blocks in framework/src may use without declaring it. examples.unit.spec.ts
 * imports every name exported here into each example (except the names an example imports
 * itself), so an example can say `domain.repository(Book)` the way a user's code would.
 *
 * Everything is built with the public API: the entry points, re-exported as they are, and a small
 * Bookshelf on the memory adapters. Nothing here runs; it is only type-checked, so the values
 * below are typed as the real ones would be. Add a name when an example needs one, with a real
 * declaration, not `any`.
 */
import type { ServerResponse } from 'node:http';
import { Redis } from 'ioredis';
import type { PoolClient } from 'pg';
import { Domain, field, type Envelope } from 'protean-ts';
import {
  createConsoleLogger,
  createInlineBroker,
  createMemoryDatabase,
  createMemoryEventStore,
  createMemoryIdempotencyStore,
  createMemoryOutbox,
  createRetryPolicy,
  type Broker,
  type ClaimedMessage,
  type DatabaseSession,
  type KindSchema,
  type ProviderSettings,
} from 'protean-ts/adapter';
import { Engine, engineSubscriptions, OutboxProcessor, type Subscription } from 'protean-ts/server';
import { uniqueRedisPrefix, type ServiceResolution } from 'protean-ts/testing';

export * from 'protean-ts';
export * from 'protean-ts/adapter';
export * from 'protean-ts/postgres';
export * from 'protean-ts/redis';
export * from 'protean-ts/server';
export * from 'protean-ts/observatory';
export * from 'protean-ts/testing';
// The root entry's SubscriptionType is the configurable subset ('event_store' | 'stream'); the
// server's adds 'broker'. Examples mean the latter.
export type { SubscriptionType } from 'protean-ts/server';
export { afterAll, beforeAll, describe, expect, it } from 'vitest';

// #region The Bookshelf model

/** Configuration in code: memory adapters, no domain.toml read. */
export const domain = new Domain({ name: 'bookshelf', config: {} });

export const Money = domain.valueObject('Money', {
  amount: field.number({ required: true, min: 0 }),
  currency: field.string({ length: 3, default: 'USD' }),
});

export const OrderItem = domain.entity('OrderItem', {
  bookId: field.reference('Book', { required: true }),
  quantity: field.integer({ required: true, min: 1 }),
  unitPrice: field.valueObject(Money, { required: true }),
});

export class Book extends domain.aggregate('Book', {
  title: field.string({ required: true }),
  author: field.string(),
  price: field.number(),
  status: field.choice(['available', 'checked_out'], { default: 'available' }),
}) {
  checkOut(memberId: string) {
    this.status = 'checked_out';
    this.raise(BookCheckedOut, { bookId: this.id, memberId });
  }
}

export class Order extends domain.aggregate('Order', {
  customer: field.string({ required: true }),
  items: field.hasMany(OrderItem),
  status: field.choice(['pending', 'confirmed'], { default: 'pending' }),
}) {
  confirm() {
    this.status = 'confirmed';
    const total = this.items.reduce((sum, i) => sum + i.quantity * i.unitPrice.amount, 0);
    this.raise(OrderConfirmed, { orderId: this.id, total });
  }
}

export class Inventory extends domain.aggregate('Inventory', {
  bookId: field.reference('Book', { required: true, identifier: true }),
  onHand: field.integer({ default: 0, min: 0 }),
}) {}

export class Customer extends domain.aggregate('Customer', {
  email: field.string({ required: true }),
  name: field.string({ required: true }),
}) {
  static register(details: { email: string; name: string }): Customer {
    const customer = new Customer(details);
    customer.raise(CustomerRegistered, { customerId: customer.id, email: details.email });
    return customer;
  }
}

export const AddBook = domain.command(
  'AddBook',
  { title: field.string({ required: true }), author: field.string({ required: true }) },
  { partOf: Book },
);
export const PlaceOrder = domain.command(
  'PlaceOrder',
  {
    customer: field.string({ required: true }),
    bookId: field.reference('Book', { required: true }),
    quantity: field.integer({ default: 1, min: 1 }),
  },
  { partOf: Order },
);
export const RecordPayment = domain.command(
  'RecordPayment',
  { orderId: field.identifier({ required: true, identifier: true }) },
  { partOf: Order },
);

export const BookAdded = domain.event(
  'BookAdded',
  { bookId: field.identifier({ required: true }), title: field.string({ required: true }) },
  { partOf: Book },
);
export const BookCheckedOut = domain.event(
  'BookCheckedOut',
  { bookId: field.identifier({ required: true }), memberId: field.string({ required: true }) },
  { partOf: Book },
);
export const OrderPlaced = domain.event(
  'OrderPlaced',
  { orderId: field.identifier({ required: true }), customer: field.string({ required: true }) },
  { partOf: Order },
);
export const OrderConfirmed = domain.event(
  'OrderConfirmed',
  { orderId: field.identifier({ required: true }), total: field.number({ required: true }) },
  { partOf: Order },
);
export const CustomerRegistered = domain.event(
  'CustomerRegistered',
  { customerId: field.identifier({ required: true }), email: field.string({ required: true }) },
  { partOf: Customer },
);

export const BookCatalog = domain.projection('BookCatalog', {
  bookId: field.identifier({ identifier: true }),
  title: field.string({ required: true }),
});

// #endregion

// #region Elements and messages

export const book = new Book({ title: 'Dune', author: 'Frank Herbert', price: 9.99 });
export const order = new Order({ customer: 'ada' });
export const stock = new Inventory({ bookId: book.id, onHand: 3 });
export const details = { email: 'ada@example.com', name: 'Ada' };
export const memberId = 'member-7';
export const command = new AddBook({ title: 'Dune', author: 'Frank Herbert' });

export const bookAdded: Envelope = domain.envelope(
  new BookAdded({ bookId: book.id, title: 'Dune' }),
  book.id,
);
export const bookCheckedOut: Envelope = domain.envelope(
  new BookCheckedOut({ bookId: book.id, memberId }),
  book.id,
);
export const envelope: Envelope = bookAdded;
export const message: Envelope = bookAdded;
export const events: Envelope[] = [bookAdded, bookCheckedOut];

// #endregion

// #region Ports, engine and operator values

export const database = createMemoryDatabase();
export const session: DatabaseSession = await database.begin();
export const store = createMemoryEventStore();
export const markers = createMemoryIdempotencyStore();
export const outbox = createMemoryOutbox();
export const broker: Broker = createInlineBroker();
export const logger = createConsoleLogger('info');
export const owner = 'relay-1';
export const retry = domain.config.outbox.retry;
export const policy = createRetryPolicy(retry);
export const row: ClaimedMessage = (await outbox.claim({ owner, limit: 1, leaseSeconds: 300 }))[0]!;
export const kinds: KindSchema[] = [];
export const database_uri = 'postgresql://postgres@127.0.0.1:5432/bookshelf';
export const engine = new Engine(domain, { testMode: true });
export const subscription: Subscription = engineSubscriptions(domain)[0]!;
export const processor = new OutboxProcessor({
  outbox,
  broker,
  config: domain.config.outbox,
  owner,
  logger,
});
export const error: unknown = new Error('connection terminated unexpectedly');
/** A command-line program's parsed flags. */
export const flags: { debug: boolean; logDir?: string } = { debug: false };
export const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true });
export const prefix = uniqueRedisPrefix();
/** The HTTP response a readiness endpoint answers with. */
export declare const response: ServerResponse;
/** A pg client checked out of a pool. */
export declare const client: PoolClient;

// #endregion

// #region Stand-ins for the application's own code

/** A read model update an idempotent handler applies once. */
export async function applyEffect(session: DatabaseSession, message: Envelope): Promise<void> {
  await session.records('bookshelf.book_catalog').save(message.id, message.data, 0);
}

/** What an application does with a command it could not process now. */
export function retryLater(): void {}

/** An application's integration tests, run when the services are up. */
export async function runIntegrationTests(resolution: ServiceResolution): Promise<void> {
  void resolution;
}

/** A broker adapter of another package, built from its domain.toml settings. */
export async function createKafkaBroker(settings: ProviderSettings): Promise<Broker> {
  void settings;
  return createInlineBroker();
}

/** An application's domain factory, as `freshDomain()` takes one. */
export function createBookshelf() {
  const domain = new Domain({ name: 'bookshelf', config: {} });
  class Book extends domain.aggregate('Book', { title: field.string({ required: true }) }) {}
  const AddBook = domain.command(
    'AddBook',
    { title: field.string({ required: true }) },
    { partOf: Book },
  );
  domain.handle(AddBook, async (command, { repository }) => {
    await repository(Book).add(new Book({ title: command.title }));
  });
  return { domain, Book, AddBook };
}

// #endregion
