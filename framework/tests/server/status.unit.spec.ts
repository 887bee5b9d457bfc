import { afterEach, describe, expect, it } from 'vitest';
import { Domain, field } from '../../src/index.js';
import { replayDeadLetters } from '../../src/server/dead-letters.js';
import { Engine } from '../../src/server/engine.js';
import {
  engineSubscriptions,
  findSubscription,
  subscriptionReports,
} from '../../src/server/status.js';
import type { SubscriptionReport } from '../../src/server/status.js';

const opened: Domain[] = [];
afterEach(async () => {
  for (const domain of opened.splice(0)) await domain.close();
});

/**
 * Orders placed raise OrderPlaced, published through the outbox to `shop::order`: Notifier reads
 * it through a consumer group (and fails while `failing`), Auditor from the event store; WebOrders
 * subscribes to the external stream `orders-in`.
 */
async function shop() {
  const domain = new Domain({
    name: 'shop',
    config: {
      enable_outbox: true,
      event_processing: 'async',
      server: {
        default_subscription_type: 'stream',
        stream_subscription: { retry_delay_seconds: 0, max_retries: 2 },
      },
    },
  });
  const Order = domain.aggregate('Order', {
    orderId: field.string({ required: true, identifier: true }),
  });
  const PlaceOrder = domain.command(
    'PlaceOrder',
    { orderId: field.string({ required: true, identifier: true }) },
    { partOf: Order },
  );
  const OrderPlaced = domain.event(
    'OrderPlaced',
    { orderId: field.identifier({ required: true }) },
    { partOf: Order },
  );
  domain.handle(PlaceOrder, async ({ orderId }, { repository }) => {
    const order = new Order({ orderId });
    order.raise(OrderPlaced, { orderId });
    await repository(Order).add(order);
  });
  const state = { failing: true, notified: [] as string[], audited: [] as string[] };
  domain.eventHandler('Notifier').on(OrderPlaced, async (event) => {
    if (state.failing) throw new Error(`mail server down for ${event.orderId}`);
    state.notified.push(event.orderId);
  });
  domain
    .eventHandler('Auditor', { subscription: { subscription_type: 'event_store' } })
    .on(OrderPlaced, async (event) => void state.audited.push(event.orderId));
  domain.subscriber('WebOrders', { stream: 'orders-in' }, async () => undefined);
  await domain.init();
  opened.push(domain);
  const place = async (...ids: string[]) => {
    for (const orderId of ids) await domain.process(new PlaceOrder({ orderId }));
  };
  return { domain, state, place };
}

type Shop = Awaited<ReturnType<typeof shop>>;

/** The reports by subscription name, without the fields every case repeats. */
async function reports(
  m: Shop,
  options = {},
): Promise<Record<string, Partial<SubscriptionReport>>> {
  const all = await subscriptionReports(m.domain, engineSubscriptions(m.domain), options);
  return Object.fromEntries(
    all.map(({ name, lag, lagCapped, pending, dlqDepth }) => [
      name,
      { lag, lagCapped, pending, dlqDepth },
    ]),
  );
}

async function runEngine(m: Shop): Promise<void> {
  await expect(new Engine(m.domain, { testMode: true }).run()).resolves.toBe(0);
}

describe('subscription reports', () => {
  it('lists what the engine would run: handlers and subscribers', async () => {
    const m = await shop();
    const subscriptions = engineSubscriptions(m.domain);
    expect(subscriptions.map(({ name, type }) => `${name} ${type}`)).toEqual([
      'Notifier@shop::order stream',
      'Auditor@shop::order event_store',
      'WebOrders@orders-in broker',
    ]);
    const [first] = await subscriptionReports(m.domain, subscriptions);
    expect(first).toEqual({
      name: 'Notifier@shop::order',
      handler: 'Notifier',
      type: 'stream',
      stream: 'shop::order',
      lag: 0,
      lagCapped: false,
      pending: 0,
      dlqDepth: 0,
    });
  });

  it('counts the messages an event-store subscription has not consumed, up to a cap', async () => {
    const m = await shop();
    await m.place('o-1', 'o-2');
    expect((await reports(m))['Auditor@shop::order']).toEqual({
      lag: 2,
      lagCapped: false,
      pending: null,
      dlqDepth: null,
    });
    const capped = await reports(m, { maxEventStoreLag: 1 });
    expect(capped['Auditor@shop::order']).toMatchObject({ lag: 1, lagCapped: true });
    await expect(reports(m, { maxEventStoreLag: 0 })).rejects.toThrow(
      'maxEventStoreLag must be a positive integer; received 0.',
    );
  });

  it('reports dead letters per group, and the lag a replay creates until the engine runs', async () => {
    const m = await shop();
    await m.place('o-1', 'o-2');
    await runEngine(m);
    expect(m.state.audited).toEqual(['o-1', 'o-2']);
    expect(await reports(m)).toMatchObject({
      'Notifier@shop::order': { lag: 0, pending: 0, dlqDepth: 2 },
      'Auditor@shop::order': { lag: 0, pending: null, dlqDepth: null },
      'WebOrders@orders-in': { lag: 0, pending: 0, dlqDepth: 0 },
    });

    m.state.failing = false;
    const replayed = await replayDeadLetters(m.domain.broker, 'shop::order:dlq', 'Notifier');
    expect(replayed).toHaveLength(2);
    expect((await reports(m))['Notifier@shop::order']).toMatchObject({ lag: 2, dlqDepth: 0 });

    await runEngine(m);
    expect(m.state.notified).toEqual(['o-1', 'o-2']);
    expect((await reports(m))['Notifier@shop::order']).toMatchObject({ lag: 0, dlqDepth: 0 });
  });

  it('counts entries delivered and not acknowledged as pending', async () => {
    const m = await shop();
    await m.domain.broker.ensureGroup('orders-in', 'WebOrders');
    await m.domain.broker.publish('orders-in', { order: 1 });
    await m.domain.broker.publish('orders-in', { order: 2 });
    await m.domain.broker.readGroup('orders-in', 'WebOrders', 'crashed-consumer', { count: 1 });
    expect((await reports(m))['WebOrders@orders-in']).toEqual({
      lag: 1,
      lagCapped: false,
      pending: 1,
      dlqDepth: 0,
    });
  });

  it('reads the whole stream as lag for a group not created yet', async () => {
    const m = await shop();
    await m.domain.broker.publish('orders-in', { order: 1 });
    expect((await reports(m))['WebOrders@orders-in']).toMatchObject({ lag: 1, pending: 0 });
    expect(await m.domain.broker.groupInfo('orders-in')).toEqual([]);
  });
});

describe('findSubscription', () => {
  it('finds by full name, or by a handler with one subscription', async () => {
    const subscriptions = engineSubscriptions((await shop()).domain);
    expect(findSubscription(subscriptions, 'Auditor@shop::order').handler).toBe('Auditor');
    expect(findSubscription(subscriptions, 'WebOrders').name).toBe('WebOrders@orders-in');
  });

  it('lists the names there are when nothing matches', async () => {
    const subscriptions = engineSubscriptions((await shop()).domain);
    expect(() => findSubscription(subscriptions, 'Mailer')).toThrow(
      "the domain has no subscription named 'Mailer'; its subscriptions: Notifier@shop::order, " +
        'Auditor@shop::order, WebOrders@orders-in.',
    );
  });

  it('refuses a handler with several subscriptions, naming them', async () => {
    const subscriptions = engineSubscriptions((await shop()).domain);
    const twice = [...subscriptions, { ...subscriptions[0]!, name: 'Notifier@shop::refund' }];
    expect(() => findSubscription(twice, 'Notifier')).toThrow(
      "'Notifier' has 2 subscriptions (Notifier@shop::order, Notifier@shop::refund); name one",
    );
  });
});
