import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { Domain } from '../../src/index.js';
import { METRICS, Observatory } from '../../src/observatory/index.js';
import type { ObservatoryOptions } from '../../src/observatory/index.js';
import { Engine } from '../../src/server/index.js';
import { createShop } from '../server/engine-model.js';
import type { Shop } from '../server/engine-model.js';
import { recordingLogger } from '../server/subscriptions/helpers.js';
import { eventually, openEventStream, parsePrometheus, sampleValue } from './helpers.js';

/** A body of the JSON API: the assertions check its shape. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** The shop on the outbox and stream subscriptions, with an `Auditor` that refuses quantity 13. */
async function shop(): Promise<Shop> {
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
  closers.push(() => m.domain.close());
  return m;
}

async function catalogue(): Promise<Domain> {
  const domain = new Domain({ name: 'catalogue', config: {} });
  await domain.init();
  closers.push(() => domain.close());
  return domain;
}

async function observe(options: Partial<ObservatoryOptions> & Pick<ObservatoryOptions, 'domains'>) {
  const { logger, lines } = recordingLogger();
  const observatory = new Observatory({ host: '127.0.0.1', port: 0, logger, ...options });
  const address = await observatory.start();
  closers.push(() => observatory.close());
  const base = address.url.replace(/\/$/, '');
  const json = async (path: string): Promise<Json> => (await fetch(`${base}${path}`)).json();
  return { observatory, address, base, json, lines };
}

/** Places an order of quantity 13 (the Auditor dead-letters it) and `count` good ones, then drains. */
async function work(m: Shop, count = 2): Promise<void> {
  await m.domain.process(new m.PlaceOrder({ orderId: 'bad-1', sku: 'sku-0', quantity: 13 }));
  for (let n = 0; n < count; n += 1) {
    await m.domain.process(new m.PlaceOrder({ orderId: `o-${n}`, sku: 'sku-1', quantity: 1 }));
  }
  const { logger } = recordingLogger();
  await new Engine(m.domain, { testMode: true, logger }).run();
}

describe('the observatory on memory domains', () => {
  it('answers every JSON endpoint for several domains, each labelled', async () => {
    const m = await shop();
    const { json } = await observe({ domains: [m.domain, await catalogue()] });
    await work(m);

    const health = await json('/api/health');
    expect(health.ok).toBe(true);
    expect(health.domains.map((d: { domain: string }) => d.domain)).toEqual(['shop', 'catalogue']);
    expect(health.domains[0].broker).toMatchObject({ ok: true, provider: 'inline' });

    const { subscriptions } = await json('/api/subscriptions');
    const auditor = subscriptions.find((s: { name: string }) => s.name === 'Auditor@shop::order');
    expect(auditor).toMatchObject({
      domain: 'shop',
      type: 'stream',
      dlqDepth: 1,
      status: 'failing',
    });

    const { streams } = await json('/api/streams');
    expect(streams.map((s: { stream: string }) => s.stream)).toEqual([
      'shop::order',
      'shop::stock',
    ]);
    expect(streams[0]).toMatchObject({ domain: 'shop', length: 3, dlqDepth: 1, pending: 0 });
    expect(streams[0].groups.map((g: { name: string }) => g.name).sort()).toEqual([
      'Auditor',
      'Fulfilment',
      'OrderTracker',
    ]);

    const outbox = await json('/api/outbox');
    expect(outbox.domains[0]).toMatchObject({ domain: 'shop', enabled: true });
    expect(outbox.domains[0].counts.published).toBeGreaterThanOrEqual(3);
    expect(outbox.domains[1]).toMatchObject({ domain: 'catalogue', enabled: false });

    const stats = await json('/api/stats');
    const audited = stats.handlers.find((h: { handler: string }) => h.handler === 'Auditor');
    expect(audited).toMatchObject({ domain: 'shop', completed: 2, failed: 2 });
    expect(stats.events['message.dlq']).toBe(1);
    expect(stats.backlog[0]).toMatchObject({ domain: 'shop', deadLetters: 1 });

    const preview = await json('/api/dlq?domain=shop&subscription=Auditor');
    expect(preview.entries).toEqual([
      expect.objectContaining({ attempts: 2, error: 'the auditor refuses 13' }),
    ]);
  });

  it('streams trace events over SSE, filtered by domain, event, stream and type globs', async () => {
    const m = await shop();
    const { base } = await observe({ domains: [m.domain] });
    const dlq = await openEventStream(`${base}/stream?event=message.dlq,outbox.*&domain=sh*`);
    const typed = await openEventStream(`${base}/stream?type=*OrderPlaced*&stream=shop::order`);
    const none = await openEventStream(`${base}/stream?domain=catalogue`);
    closers.push(async () => [dlq, typed, none].forEach((stream) => stream.close()));
    await work(m);

    await eventually(() => dlq.events.some((event) => event.event === 'message.dlq'));
    expect(new Set(dlq.events.map((event) => event.event.split('.')[0]))).toEqual(
      new Set(['message', 'outbox']),
    );
    await eventually(() => typed.events.length > 0);
    expect(typed.events.every((event) => event.messageType?.includes('OrderPlaced'))).toBe(true);
    expect(none.events).toEqual([]);
  });

  it('exposes every defined metric, with figures from the trace and the domains', async () => {
    const m = await shop();
    const { base } = await observe({ domains: [m.domain] });
    await work(m);
    const response = await fetch(`${base}/metrics`);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0.0.4/);
    const exposition = parsePrometheus(await response.text());
    for (const { name, type } of METRICS) expect(exposition.types.get(name)).toBe(type);
    const failed = { domain: 'shop', handler: 'Auditor', status: 'failed' };
    expect(sampleValue(exposition, 'protean_messages_processed_total', failed)).toBe(2);
    const dlq = { domain: 'shop', subscription: 'Auditor@shop::order' };
    expect(sampleValue(exposition, 'protean_subscription_dlq_depth', dlq)).toBe(1);
    expect(sampleValue(exposition, 'protean_broker_up', { domain: 'shop' })).toBe(1);
    const count = { domain: 'shop', handler: 'Auditor' };
    expect(sampleValue(exposition, 'protean_handler_duration_seconds_count', count)).toBe(4);
    const published = { domain: 'shop', status: 'published' };
    expect(sampleValue(exposition, 'protean_outbox_messages', published)).toBeGreaterThan(0);
  });

  it('replays a dead letter on POST with a JSON body from its own page, and refuses other sites', async () => {
    const m = await shop();
    const { base, json } = await observe({ domains: [m.domain] });
    await work(m);
    const [letter] = (await json('/api/dlq?subscription=Auditor@shop::order')).entries;
    const post = (headers: Record<string, string>) =>
      fetch(`${base}/api/dlq/replay`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ domain: 'shop', id: letter.id }),
      });
    expect((await post({ 'content-type': 'text/plain' })).status).toBe(403);
    const foreign = { 'content-type': 'application/json', origin: 'https://evil.example' };
    expect((await post(foreign)).status).toBe(403);
    expect((await fetch(`${base}/api/dlq/replay`)).status).toBe(405);

    const replayed = await post({ 'content-type': 'application/json', origin: base });
    expect(replayed.status).toBe(200);
    expect(await replayed.json()).toMatchObject({ stream: 'shop::order', group: 'Auditor' });
    expect((await json('/api/dlq?subscription=Auditor')).entries).toEqual([]);
  });
});

describe('access to the observatory', () => {
  const ENDPOINTS = [
    '/',
    '/stream',
    '/metrics',
    '/api/health',
    '/api/outbox',
    '/api/streams',
    '/api/stats',
    '/api/subscriptions',
    '/api/dlq?subscription=Auditor',
  ];

  it('answers 401 on every endpoint without the token, SSE and actions included', async () => {
    const m = await shop();
    const { base } = await observe({ domains: [m.domain], token: 's3cret' });
    for (const path of ENDPOINTS) {
      const response = await fetch(`${base}${path}`);
      expect(response.status, path).toBe(401);
      expect(response.headers.get('www-authenticate'), path).toMatch(/Basic/);
      const wrong = await fetch(`${base}${path}`, { headers: { authorization: 'Bearer nope' } });
      expect(wrong.status, path).toBe(401);
    }
    const replay = await fetch(`${base}/api/dlq/replay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(replay.status).toBe(401);
  });

  it('lets a Bearer token (or Basic, with the token as password) through', async () => {
    const m = await shop();
    const { base } = await observe({ domains: [m.domain], token: 's3cret' });
    const bearer = { authorization: 'Bearer s3cret' };
    for (const path of ENDPOINTS.filter((p) => p !== '/stream')) {
      const response = await fetch(`${base}${path}`, { headers: bearer });
      expect(response.status, path).toBe(200);
    }
    const stream = await openEventStream(`${base}/stream`, bearer);
    stream.close();
    expect(stream.status).toBe(200);
    const basic = { authorization: `Basic ${Buffer.from('ops:s3cret').toString('base64')}` };
    expect((await fetch(`${base}/api/health`, { headers: basic })).status).toBe(200);
  });

  it('warns when it listens beyond loopback without a token, and refuses actions there', async () => {
    const m = await shop();
    const { base, lines } = await observe({ domains: [m.domain], host: '0.0.0.0' });
    expect(
      lines.some((line) => line.level === 'warn' && /without a token/.test(line.message)),
    ).toBe(true);
    const local = base.replace('0.0.0.0', '127.0.0.1');
    const replay = await fetch(`${local}/api/dlq/replay`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ domain: 'shop', id: 'shop::order:dlq/1-0' }),
    });
    expect(replay.status).toBe(403);
    expect(((await replay.json()) as Json).error).toMatch(/\[observatory\] token/);
  });

  it('listens on loopback by default and answers only to a loopback Host there', async () => {
    const m = await shop();
    const { address } = await observe({ domains: [m.domain], host: undefined });
    expect(address.host).toBe('127.0.0.1');
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port: address.port,
          path: '/api/health',
          headers: { host: 'evil.example' },
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(403);
  });

  it('refuses two domains of the same name', async () => {
    const m = await shop();
    expect(() => new Observatory({ domains: [m.domain, m.domain] })).toThrow(/both named 'shop'/);
  });
});
