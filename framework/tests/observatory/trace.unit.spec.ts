import { afterEach, describe, expect, it } from 'vitest';
import { createInProcessTraceChannel } from '../../src/adapters/memory/trace.js';
import type { TraceChannel, TraceEvent } from '../../src/ports/trace.js';
import { NO_TRACE_CHANNEL, Tracer } from '../../src/ports/trace.js';
import { Engine } from '../../src/server/index.js';
import { Supervisor } from '../../src/server/supervisor.js';
import { openTraceChannel, traceChannelName } from '../../src/server/trace.js';
import { createShop, placeOrders } from '../server/engine-model.js';
import type { Shop } from '../server/engine-model.js';
import { fakeClock, recordingLogger } from '../server/subscriptions/helpers.js';

const opened: Shop['domain'][] = [];

afterEach(async () => {
  for (const domain of opened.splice(0)) await domain.close();
});

/** The shop on the outbox and stream subscriptions, with an `Auditor` that refuses quantity 13. */
async function streamingShop(): Promise<Shop> {
  const m = createShop({
    enable_outbox: true,
    server: {
      default_subscription_type: 'stream',
      stream_subscription: { max_retries: 2, retry_delay_seconds: 0 },
    },
  });
  m.domain.eventHandler('Auditor').on(m.OrderPlaced, async (event) => {
    if (event.quantity === 13) throw new Error('the auditor refuses 13');
  });
  await m.domain.init();
  opened.push(m.domain);
  return m;
}

function recorder(): { channel: TraceChannel; events: TraceEvent[] } {
  const channel = createInProcessTraceChannel();
  const events: TraceEvent[] = [];
  void channel.subscribe((event) => events.push(event));
  return { channel, events };
}

describe('the in-process trace channel', () => {
  it('has listeners only between subscribe and unsubscribe, and delivers to each', async () => {
    const channel = createInProcessTraceChannel();
    expect(channel.hasListeners()).toBe(false);
    const seen: string[] = [];
    const stop = await channel.subscribe((event) => seen.push(event.event));
    const listener = () => {
      throw new Error('a broken listener');
    };
    const stopBroken = await channel.subscribe(listener);
    expect(channel.hasListeners()).toBe(true);
    new Tracer(channel, 'shop').emit({ event: 'message.acked' });
    await stop();
    await stopBroken();
    expect(channel.hasListeners()).toBe(false);
    new Tracer(channel, 'shop').emit({ event: 'message.nacked' });
    expect(seen).toEqual(['message.acked']);
  });

  it('is shared by name in a process: an engine and an observatory meet on it', async () => {
    const m = await streamingShop();
    const a = await openTraceChannel(m.domain);
    const b = await openTraceChannel(m.domain);
    expect(a).toBe(b);
    expect(a.kind).toBe('in-process');
    expect(traceChannelName('shop')).toBe('protean:trace:shop');
  });
});

describe('trace events of the engine', () => {
  it('traces handlers of event-store subscriptions with domain, stream, type, id and duration', async () => {
    const m = createShop();
    await m.domain.init();
    opened.push(m.domain);
    const [orderId] = await placeOrders(m, 1);
    const { channel, events } = recorder();
    await new Engine(m.domain, { testMode: true, trace: channel }).run();

    const completed = events.filter((event) => event.event === 'handler.completed');
    const placed = completed.find((event) => event.handler === 'commands@shop::order:command');
    expect(placed).toMatchObject({
      domain: 'shop',
      stream: 'shop::order:command',
      subscription: 'commands@shop::order:command@shop::order:command',
      messageType: expect.stringContaining('PlaceOrder'),
      messageId: expect.any(String),
      attempts: 1,
    });
    expect(placed?.durationMs).toBeGreaterThanOrEqual(0);
    expect(Date.parse(placed!.at)).not.toBeNaN();
    const started = events.filter((event) => event.event === 'handler.started');
    expect(started.length).toBe(completed.length);
    expect(orderId).toBeDefined();
  });

  it('traces outbox publications, acknowledgements, retries and dead letters of stream subscriptions', async () => {
    const m = await streamingShop();
    await m.domain.process(new m.PlaceOrder({ orderId: 'o-1', sku: 'sku-0', quantity: 13 }));
    const { channel, events } = recorder();
    await new Engine(m.domain, { testMode: true, trace: channel }).run();

    const names = new Set(events.map((event) => event.event));
    for (const name of ['outbox.published', 'handler.completed', 'message.acked'])
      expect(names).toContain(name);
    const auditor = events.filter((event) => event.handler === 'Auditor');
    expect(auditor.map((event) => event.event)).toEqual([
      'handler.started',
      'handler.failed',
      'message.nacked',
      'handler.started',
      'handler.failed',
      'message.dlq',
    ]);
    expect(auditor.at(-1)).toMatchObject({
      stream: 'shop::order',
      subscription: 'Auditor@shop::order',
      attempts: 2,
      error: 'the auditor refuses 13',
      messageType: expect.stringContaining('OrderPlaced'),
    });
    const published = events.find((event) => event.event === 'outbox.published');
    expect(published).toMatchObject({ stream: 'shop::order', entryId: expect.any(String) });
  });

  it('builds no event while nobody listens', async () => {
    const m = await streamingShop();
    await placeOrders(m, 2);
    const silent: TraceChannel = {
      ...NO_TRACE_CHANNEL,
      emit: () => {
        throw new Error('emit() called with no listener');
      },
    };
    await expect(new Engine(m.domain, { testMode: true, trace: silent }).run()).resolves.toBe(0);
  });

  it('traces each restart of a crashed loop', async () => {
    const { channel, events } = recorder();
    const { logger } = recordingLogger();
    const tracer = new Tracer(channel, 'shop');
    const supervisor = new Supervisor({
      maxRestarts: 5,
      withinSeconds: 60,
      logger,
      clock: fakeClock().clock,
      tracer,
    });
    let calls = 0;
    const loop = {
      name: 'Auditor@shop::order',
      run: async () => {
        calls += 1;
        if (calls <= 2) throw new Error(`crash ${calls}`);
      },
    };
    await expect(supervisor.supervise(loop)).resolves.toBe('stopped');
    expect(events).toEqual([
      expect.objectContaining({
        event: 'supervisor.restarted',
        domain: 'shop',
        loop: loop.name,
        delayMs: 100,
        error: 'crash 1',
      }),
      expect.objectContaining({
        event: 'supervisor.restarted',
        loop: loop.name,
        delayMs: 200,
        error: 'crash 2',
      }),
    ]);
  });
});
