import { afterEach, describe, expect, it } from 'vitest';
import type { DomainConfigInput } from '../../src/index.js';
import { Engine } from '../../src/server/index.js';
import { createShop, placeOrders, statuses } from './engine-model.js';
import type { Shop } from './engine-model.js';
import { recordingLogger } from './subscriptions/helpers.js';

const opened: Shop['domain'][] = [];

afterEach(async () => {
  for (const domain of opened.splice(0)) await domain.close();
});

async function shop(config: DomainConfigInput = {}): Promise<Shop> {
  const m = createShop(config);
  await m.domain.init();
  opened.push(m.domain);
  return m;
}

describe('Engine in test mode', () => {
  it('drives command -> event -> command -> event -> projection to the end', async () => {
    // #region test-mode
    const m = await shop();
    const ids = await placeOrders(m, 3);
    expect(await statuses(m, ids)).toEqual([undefined, undefined, undefined]);

    const engine = new Engine(m.domain, { testMode: true });
    await expect(engine.run()).resolves.toBe(0);
    // #endregion test-mode

    expect(engine.exitCode).toBe(0);
    expect(await statuses(m, ids)).toEqual(['reserved', 'reserved', 'reserved']);
    const stock = await m.domain.repository(m.Stock).get('sku-0');
    expect(stock.reserved).toBe(2);
  });

  it('builds a subscription per handler and category and a dispatcher per command category', async () => {
    const m = await shop();
    const engine = new Engine(m.domain, { testMode: true });
    await engine.run();
    const names = engine.subscriptions.map((s) => s.name);
    expect(names).toEqual([
      'Fulfilment@shop::order',
      'OrderTracker@shop::order',
      'OrderTracker@shop::stock',
      'commands@shop::order:command@shop::order:command',
      'commands@shop::stock:command@shop::stock:command',
    ]);
    expect(engine.subscriptions.every((s) => s.type === 'event_store')).toBe(true);
    expect(engine.brokerSubscriptions).toEqual([]);
    expect(engine.outboxProcessors).toEqual([]);
    expect(engine.subscriptionFactory).toBeDefined();
    expect(engine.shuttingDown).toBe(true);
  });

  it('finishes at once when there is no work, and a second run resumes from saved positions', async () => {
    const m = await shop();
    const ids = await placeOrders(m, 1);
    await new Engine(m.domain, { testMode: true }).run();

    const again = new Engine(m.domain, { testMode: true });
    await expect(again.run()).resolves.toBe(0);
    const processed = again.subscriptions.reduce((sum, s) => sum + s.status().processed, 0);
    expect(processed).toBe(0);
    expect(await statuses(m, ids)).toEqual(['reserved']);
  });

  it('completes the cascade through the outbox, the inline broker and stream subscriptions', async () => {
    const m = await shop({ enable_outbox: true, server: { default_subscription_type: 'stream' } });
    const ids = await placeOrders(m, 3);

    const engine = new Engine(m.domain, { testMode: true });
    await expect(engine.run()).resolves.toBe(0);

    expect(engine.outboxProcessors).toHaveLength(1);
    expect(engine.subscriptions.map((s) => s.type)).toEqual([
      'stream',
      'stream',
      'stream',
      'event_store',
      'event_store',
    ]);
    expect(await statuses(m, ids)).toEqual(['reserved', 'reserved', 'reserved']);
  });

  it('stops at the round cap with exit code 1 and a clear log', async () => {
    const m = await shop();
    await placeOrders(m, 1);
    const { logger, lines } = recordingLogger();
    const engine = new Engine(m.domain, { testMode: true, maxRounds: 1, logger });
    await expect(engine.run()).resolves.toBe(1);
    expect(lines.some((l) => l.level === 'error' && l.message.includes('round cap'))).toBe(true);
  });

  it('closes the domain at shutdown when run() initialized it, or when told to', async () => {
    const fresh = createShop();
    await expect(new Engine(fresh.domain, { testMode: true }).run()).resolves.toBe(0);
    expect(fresh.domain.initialized).toBe(false);

    const ready = await shop();
    await new Engine(ready.domain, { testMode: true }).run();
    expect(ready.domain.initialized).toBe(true);
    await new Engine(ready.domain, { testMode: true, closeDomain: true }).run();
    expect(ready.domain.initialized).toBe(false);
  });
});

describe('Engine in server mode', () => {
  it('runs until shutdown() and resolves with exit code 0', async () => {
    const m = await shop();
    const ids = await placeOrders(m, 2);
    const engine = new Engine(m.domain, { health: false });
    const running = engine.run();
    await expect.poll(() => statuses(m, ids), { timeout: 5_000 }).toEqual(['reserved', 'reserved']);
    await engine.shutdown();
    await expect(running).resolves.toBe(0);
    expect(engine.shuttingDown).toBe(true);
    expect(engine.healthAddress).toBeUndefined();
  });

  it('serves the health endpoints while running: ready, then 503 from the start of shutdown', async () => {
    const m = createShop();
    // A handler held at a gate keeps the shutdown busy while readiness is asked.
    let entered = (): void => undefined;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    m.domain.eventHandler('Gate').on(m.OrderPlaced, async () => {
      entered();
      await gate;
    });
    await m.domain.init();
    opened.push(m.domain);
    const { logger } = recordingLogger();
    const engine = new Engine(m.domain, { logger, health: { port: 0 } });
    const running = engine.run();
    await expect.poll(() => engine.healthAddress).toBeDefined();
    const url = engine.healthAddress!.url;
    expect((await fetch(`${url}/livez`)).status).toBe(200);
    const ready = await fetch(`${url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      ready: true,
      checks: { database: { ok: true }, event_store: { ok: true }, broker: { ok: true } },
      subscriptions: expect.arrayContaining([
        expect.objectContaining({ name: 'Gate@shop::order', type: 'event_store', lag: 0 }),
      ]),
    });

    await placeOrders(m, 1);
    await inHandler;
    const stopping = engine.shutdown();
    const during = await fetch(`${url}/readyz`);
    expect(during.status).toBe(503);
    expect(await during.json()).toMatchObject({ ready: false, shuttingDown: true });
    expect((await fetch(`${url}/livez`)).status).toBe(200);
    release();
    await stopping;
    await expect(running).resolves.toBe(0);
    await expect(fetch(`${url}/livez`)).rejects.toThrow();
  });

  it('a second shutdown() finishes at once with exit code 1, logging what was unfinished', async () => {
    const m = await shop();
    const { logger, lines } = recordingLogger();
    const engine = new Engine(m.domain, { logger, health: false });
    const running = engine.run();
    await expect(engine.run()).rejects.toThrow(/already running/);
    await new Promise((resolve) => setTimeout(resolve, 20));
    void engine.shutdown();
    await engine.shutdown();
    await expect(running).resolves.toBe(1);
    const forced = lines.find((l) => l.message.includes('second shutdown'));
    expect(forced?.fields['unfinished']).toEqual(expect.any(Array));
  });

  it('starts nothing when shutdown() comes while it is still starting', async () => {
    const m = await shop();
    const ids = await placeOrders(m, 1);
    const { logger, lines } = recordingLogger();
    const engine = new Engine(m.domain, { logger, health: false });
    const running = engine.run();
    await engine.shutdown();
    await expect(running).resolves.toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await statuses(m, ids)).toEqual([undefined]);
    expect(lines.some((l) => l.message === 'shutdown requested during startup')).toBe(true);
  });
});
