/**
 * A three-step cascade for the engine tests: PlaceOrder -> OrderPlaced -> Fulfilment processes
 * ReserveStock -> StockReserved -> the OrderTracker projector marks the order `reserved`.
 */
import { randomUUID } from 'node:crypto';
import { Domain, field } from '../../src/index.js';
import type { DomainConfigInput } from '../../src/index.js';

/** Builds the model on a fresh domain, with async command and event processing by default. */
export function createShop(config: DomainConfigInput = {}) {
  const domain = new Domain({
    name: 'shop',
    config: { command_processing: 'async', event_processing: 'async', ...config },
  });
  const Order = domain.aggregate('Order', {
    orderId: field.string({ required: true, identifier: true }),
    sku: field.string({ required: true }),
    quantity: field.integer({ required: true }),
  });
  const Stock = domain.aggregate('Stock', {
    sku: field.string({ required: true, identifier: true }),
    reserved: field.integer({ default: 0 }),
  });
  const PlaceOrder = domain.command(
    'PlaceOrder',
    {
      orderId: field.string({ required: true, identifier: true }),
      sku: field.string({ required: true }),
      quantity: field.integer({ required: true }),
    },
    { partOf: Order },
  );
  const ReserveStock = domain.command(
    'ReserveStock',
    {
      sku: field.string({ required: true, identifier: true }),
      orderId: field.identifier({ required: true }),
      quantity: field.integer({ required: true }),
    },
    { partOf: Stock },
  );
  const OrderPlaced = domain.event(
    'OrderPlaced',
    {
      orderId: field.identifier({ required: true }),
      sku: field.string({ required: true }),
      quantity: field.integer({ required: true }),
    },
    { partOf: Order },
  );
  const StockReserved = domain.event(
    'StockReserved',
    {
      sku: field.string({ required: true }),
      orderId: field.identifier({ required: true }),
      quantity: field.integer({ required: true }),
    },
    { partOf: Stock },
  );
  const OrderStatus = domain.projection('OrderStatus', {
    orderId: field.identifier({ identifier: true }),
    status: field.string({ required: true }),
  });

  domain.handle(PlaceOrder, async (command, { repository }) => {
    const { orderId, sku, quantity } = command;
    const order = new Order({ orderId, sku, quantity });
    order.raise(OrderPlaced, { orderId, sku, quantity });
    await repository(Order).add(order);
  });
  domain.handle(ReserveStock, async (command, { repository }) => {
    const stocks = repository(Stock);
    const stock = (await stocks.getOrNull(command.sku)) ?? new Stock({ sku: command.sku });
    stock.reserved += command.quantity;
    stock.raise(StockReserved, {
      sku: command.sku,
      orderId: command.orderId,
      quantity: command.quantity,
    });
    await stocks.add(stock);
  });
  domain.eventHandler('Fulfilment').on(OrderPlaced, async (event, { process }) => {
    await process(
      new ReserveStock({ sku: event.sku, orderId: event.orderId, quantity: event.quantity }),
    );
  });
  domain
    .projector('OrderTracker', { projections: [OrderStatus] })
    .on(OrderPlaced, async (event, { repository }) => {
      await repository(OrderStatus).add(
        new OrderStatus({ orderId: event.orderId, status: 'placed' }),
      );
    })
    .on(StockReserved, async (event, { repository }) => {
      const row = await repository(OrderStatus).get(event.orderId);
      row.status = 'reserved';
      await repository(OrderStatus).add(row);
    });

  return {
    domain,
    Order,
    Stock,
    PlaceOrder,
    ReserveStock,
    OrderPlaced,
    StockReserved,
    OrderStatus,
  };
}

/** A shop built by {@link createShop}. */
export type Shop = ReturnType<typeof createShop>;

/** Processes `count` PlaceOrder commands (skus alternating `sku-0`, `sku-1`); resolves their ids. */
export async function placeOrders(m: Shop, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let n = 0; n < count; n += 1) {
    const orderId = randomUUID();
    await m.domain.process(new m.PlaceOrder({ orderId, sku: `sku-${n % 2}`, quantity: 1 }));
    ids.push(orderId);
  }
  return ids;
}

/** The OrderStatus of each order (`undefined` where the projector has not been yet). */
export async function statuses(m: Shop, ids: string[]): Promise<(string | undefined)[]> {
  const view = m.domain.repository(m.OrderStatus);
  return Promise.all(ids.map(async (id) => (await view.getOrNull(id))?.status));
}
