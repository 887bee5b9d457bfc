/**
 * Chapter 6 walkthrough: aggregates raise events, and the InventoryKeeper reacts to them in another
 * aggregate. Run it with `npm start -w @bookshelf/ch06-events-and-handlers`.
 */
import type { CommandMessage, Envelope } from 'protean-ts';
import { AddBook, ConfirmOrder, PlaceOrder } from './commands.js';
import { domain } from './domain.js';
import { Inventory } from './inventory.js';
// #region register
// Registers the InventoryKeeper's reactions: importing the module is what declares them.
import './inventory-keeper.js';
// #endregion register

await domain.init();

// #region add-books
const duneId = await send<string>(
  new AddBook({
    title: 'Dune',
    author: 'Frank Herbert',
    isbn: { value: '9780441172719' },
    price: { amount: 9.99 },
    copies: 3,
  }),
);
const hobbitId = await send<string>(
  new AddBook({
    title: 'The Hobbit',
    author: 'J. R. R. Tolkien',
    isbn: { value: '9780547928227' },
    price: { amount: 14.99 },
    format: 'hardcover',
    copies: 2,
  }),
);
// #endregion add-books
await printStock();

// #region confirm-order
const orderId = await send<string>(
  new PlaceOrder({
    customer: 'Ada Lovelace',
    shippingAddress: { street: '12 Oak Lane', city: 'Oxford', postcode: 'OX1 2AB', country: 'GB' },
    lines: [
      { bookId: duneId, quantity: 1 },
      { bookId: hobbitId, quantity: 2 },
    ],
  }),
);
await send(new ConfirmOrder({ orderId }));
// #endregion confirm-order
await printStock();

await domain.close();

// #region send
/**
 * Processes a command and prints every event committed on its account, in order: its type, its
 * data, and the messages its correlation and causation ids point at.
 */
async function send<R = unknown>(command: CommandMessage): Promise<R> {
  const committed: Envelope[] = [];
  const stop = domain.observe(({ events }) => committed.push(...events));
  try {
    return await domain.process<R>(command);
  } finally {
    stop();
    printTrace(command.constructor.name, committed);
  }
}
// #endregion send

/** Ids are random, so the trace names each message by what it is instead. */
function printTrace(commandName: string, committed: readonly Envelope[]): void {
  const events = committed.filter((envelope) => envelope.kind === 'EVENT');
  const names = new Map(events.map((event) => [event.id, nameOf(event)]));
  const named = (id: string | undefined) => names.get(id ?? '') ?? `the ${commandName} command`;
  const count = events.length === 1 ? '1 event' : `${events.length || 'no'} events`;
  console.log(`${commandName}: ${count}`);
  for (const event of events) {
    console.log(`  ${event.type} in ${streamCategory(event)}`);
    console.log(`    data: ${describeData(event.data)}`);
    console.log(`    correlation: ${named(event.metadata.correlationId)}`);
    console.log(`    causation:   ${named(event.metadata.causationId)}`);
  }
}

function nameOf(event: Envelope): string {
  return `the ${event.type.split('.')[1]} event`;
}

/** `bookshelf::order-<id>` -> `bookshelf::order-…`: the stream of one aggregate, id left out. */
function streamCategory(event: Envelope): string {
  return `${event.stream.slice(0, event.stream.indexOf('-'))}-…`;
}

/** The event's data as JSON, with the ids of books and orders (random) shown as `…`. */
function describeData(data: Record<string, unknown>): string {
  return JSON.stringify(data, (key, value: unknown) =>
    key === 'bookId' || key === 'orderId' ? '…' : value,
  );
}

async function printStock(): Promise<void> {
  const books = { [duneId]: 'Dune', [hobbitId]: 'The Hobbit' };
  for (const stock of await domain.repository(Inventory).find({ orderBy: { onHand: 'desc' } })) {
    console.log(
      `  stock of ${books[stock.bookId]}: ${stock.onHand} on hand, ${stock.reserved} reserved, ${stock.available} available`,
    );
  }
}
