import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Domain, IncorrectUsageError, field } from '../../src/index.js';
import type { DomainConfigInput } from '../../src/index.js';
import { Engine } from '../../src/server/index.js';
import { createShop } from './engine-model.js';

type Shop = ReturnType<typeof createShop>;
const opened: Domain[] = [];

afterEach(async () => {
  for (const domain of opened.splice(0)) await domain.close();
});

const FAST_STREAMS: DomainConfigInput = {
  server: { stream_subscription: { retry_delay_seconds: 0, max_retries: 2 } },
};

/** The shop model plus a subscriber that turns `orders-in` payloads into PlaceOrder commands. */
async function shopWithSubscriber(config: DomainConfigInput = FAST_STREAMS): Promise<Shop> {
  const m = createShop(config);
  // #region subscriber
  m.domain.subscriber('WebOrders', { stream: 'orders-in' }, async (payload, { process }) => {
    await process(
      new m.PlaceOrder({
        orderId: String(payload['order']),
        sku: String(payload['sku']),
        quantity: Number(payload['qty']),
      }),
    );
  });
  // #endregion subscriber
  await m.domain.init();
  opened.push(m.domain);
  return m;
}

describe('subscribers in the engine', () => {
  it('turns payloads of an external stream into commands and follows the cascade', async () => {
    const m = await shopWithSubscriber();
    const order = randomUUID();
    await m.domain.broker.publish('orders-in', { order, sku: 'sku-1', qty: 2 });

    const engine = new Engine(m.domain, { testMode: true });
    await expect(engine.run()).resolves.toBe(0);

    expect(engine.brokerSubscriptions.map((s) => s.name)).toEqual(['WebOrders@orders-in']);
    expect(engine.brokerSubscriptions[0]!.type).toBe('broker');
    expect(engine.brokerSubscriptions[0]!.status().processed).toBe(1);
    expect((await m.domain.repository(m.OrderStatus).get(order)).status).toBe('reserved');
    expect((await m.domain.repository(m.Stock).get('sku-1')).reserved).toBe(2);
  });

  it('dead-letters a payload the subscriber keeps failing on, and handles the next ones', async () => {
    const m = await shopWithSubscriber();
    const good = randomUUID();
    await m.domain.broker.publish('orders-in', { order: 'bad', sku: 'sku-1', qty: 'many' });
    await m.domain.broker.publish('orders-in', { order: good, sku: 'sku-1', qty: 1 });

    await new Engine(m.domain, { testMode: true }).run();

    expect(await m.domain.broker.streamLength('orders-in:dlq')).toBe(1);
    expect((await m.domain.repository(m.OrderStatus).get(good)).status).toBe('reserved');
    expect(await m.domain.repository(m.Order).getOrNull('bad')).toBeNull();
  });

  it('refuses a subscriber without a valid stream, naming what it received', () => {
    const domain = new Domain({ name: 'shop' });
    const declare = () =>
      domain.subscriber('Broken', { stream: 'no spaces' }, async () => undefined);
    expect(declare).toThrow(IncorrectUsageError);
    expect(declare).toThrow(/subscriber Broken needs \{ stream \}.*received stream "no spaces"/);
  });

  it('reports bad subscription options of a subscriber at init', async () => {
    const domain = new Domain({ name: 'shop', config: {} });
    domain.subscriber(
      'WebOrders',
      { stream: 'orders-in', subscription: { messages_per_tick: 0 } },
      async () => undefined,
    );
    await expect(domain.init()).rejects.toThrow(/WebOrders.*messages_per_tick/);
  });
});

describe('options declared with a handler', () => {
  it('uses a projector’s own subscription options before domain.toml', async () => {
    const domain = new Domain({
      name: 'library',
      config: { event_processing: 'async', server: { default_subscription_type: 'event_store' } },
    });
    const Book = domain.aggregate('Book', { title: field.string({ required: true }) });
    const Added = domain.event('Added', { title: field.string() }, { partOf: Book });
    const Titles = domain.projection('Titles', {
      title: field.string({ identifier: true }),
    });
    // #region handler-subscription
    domain
      .projector('TitleProjector', {
        projections: [Titles],
        subscription: { subscription_type: 'stream', messages_per_tick: 7 },
      })
      .on(Added, async () => undefined);
    // #endregion handler-subscription
    await domain.init();
    opened.push(domain);

    expect(domain.handlers().find((h) => h.name === 'TitleProjector')?.subscription).toEqual({
      subscription_type: 'stream',
      messages_per_tick: 7,
    });
    const engine = new Engine(domain, { testMode: true });
    await engine.run();
    expect(engine.subscriptions.map((s) => [s.name, s.type])).toEqual([
      ['TitleProjector@library::book', 'stream'],
    ]);
    expect(domain.subscriptionOptions('TitleProjector').messages_per_tick).toBe(100);
  });

  it('applies a message once per idempotent handler, however often it is delivered', async () => {
    const domain = new Domain({ name: 'library', config: { event_processing: 'async' } });
    const Book = domain.aggregate('Book', { title: field.string({ required: true }) });
    const Added = domain.event('Added', { title: field.string() }, { partOf: Book });
    const counted: string[] = [];
    domain
      .eventHandler('Once', { idempotent: true })
      .on(Added, async (event) => void counted.push(`once:${event.title}`));
    domain
      .eventHandler('EveryTime')
      .on(Added, async (event) => void counted.push(`every:${event.title}`));
    await domain.init();
    opened.push(domain);

    const envelope = domain.envelope(new Added({ title: 'Dune' }));
    for (let delivery = 0; delivery < 3; delivery += 1) await domain.handleMessage(envelope);

    expect(counted.filter((c) => c.startsWith('once:'))).toEqual(['once:Dune']);
    expect(counted.filter((c) => c.startsWith('every:'))).toHaveLength(3);
    // Asking for idempotence at delivery time works for any handler.
    await domain.handleMessage(envelope, { handler: 'EveryTime', idempotent: true });
    await domain.handleMessage(envelope, { handler: 'EveryTime', idempotent: true });
    expect(counted.filter((c) => c.startsWith('every:'))).toHaveLength(4);
  });

  it('runs an idempotent command handler once for a redelivered command', async () => {
    const domain = new Domain({ name: 'library', config: { command_processing: 'async' } });
    const Counter = domain.aggregate('Counter', {
      key: field.string({ identifier: true }),
      count: field.integer({ default: 0 }),
    });
    const Bump = domain.command(
      'Bump',
      { key: field.string({ required: true, identifier: true }) },
      {
        partOf: Counter,
      },
    );
    domain.handle(
      Bump,
      async (command, { repository }) => {
        const counters = repository(Counter);
        const counter =
          (await counters.getOrNull(command.key)) ?? new Counter({ key: command.key });
        counter.count += 1;
        await counters.add(counter);
      },
      { idempotent: true },
    );
    await domain.init();
    opened.push(domain);

    const envelope = domain.envelope(new Bump({ key: 'a' }));
    await domain.handleMessage(envelope);
    await domain.handleMessage(envelope);
    expect((await domain.repository(Counter).get('a')).count).toBe(1);
  });
});
