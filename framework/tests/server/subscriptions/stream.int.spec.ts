import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { JsonObject } from '../../../src/ports/broker.js';
import { BrokerSubscription, StreamSubscription } from '../../../src/server/subscriptions/index.js';
import type { StreamSubscriptionInit } from '../../../src/server/subscriptions/index.js';
import {
  deleteRedisKeys,
  describeIntegration,
  integrationServices,
  uniqueRedisPrefix,
} from '../../../src/testing/index.js';
import { BOOKS, publishBooks, recorderBookshelf } from './recorder.js';
import type { RecorderBookshelf } from './recorder.js';
import { drain, fakeClock, readAll, recordingLogger, streamSettings } from './helpers.js';

describeIntegration('stream subscriptions on Redis Streams', () => {
  const prefix = uniqueRedisPrefix();
  const opened: { close(): Promise<void> }[] = [];
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(integrationServices().redis.url);
  });
  afterEach(async () => {
    for (const resource of opened.splice(0).reverse()) await resource.close();
    await deleteRedisKeys(integrationServices().redis.url, prefix);
  });
  afterAll(async () => {
    await redis.quit();
    await deleteRedisKeys(integrationServices().redis.url, prefix);
  });

  /** Bookshelf on memory adapters with the Redis broker, plus `Recorder` (rejects "Poison"). */
  async function bookshelf() {
    const URI = integrationServices().redis.url;
    const m = await recorderBookshelf({
      brokers: { default: { provider: 'redis', URI, key_prefix: prefix } },
    });
    opened.push(m.domain);
    return m;
  }

  type Bookshelf = RecorderBookshelf;

  function subscription(
    m: Bookshelf,
    handler: string,
    extra: Partial<StreamSubscriptionInit> = {},
  ) {
    const sub = new StreamSubscription({
      domain: m.domain,
      handler,
      stream: BOOKS,
      settings: streamSettings({ retry_delay_seconds: 0, blocking_timeout_ms: 50 }),
      consumer: `${handler}-test`,
      logger: recordingLogger().logger,
      ...extra,
    });
    opened.push(sub);
    return sub;
  }

  it('hands each envelope to its handler and acknowledges it', async () => {
    const m = await bookshelf();
    const ids = await publishBooks(m, ['Dune', 'Emma']);
    const sub = subscription(m, 'CatalogProjector');

    expect(await drain(sub)).toEqual([2]);

    const rows = await m.domain.view(m.BookCatalog).find();
    expect(rows.map((row) => row.bookId).sort()).toEqual(ids.sort());
    expect(await m.domain.broker.pending(BOOKS, 'CatalogProjector')).toEqual([]);
  });

  it('moves a poison message to the DLQ after max_retries deliveries and acks the source', async () => {
    const m = await bookshelf();
    const [poison, emma] = await publishBooks(m, ['Poison', 'Emma']);
    const sub = subscription(m, 'Recorder');

    expect(await drain(sub)).toEqual([2, 1, 1]);

    expect(m.seen).toEqual([emma]);
    expect(await m.domain.broker.pending(BOOKS, 'Recorder')).toEqual([]);
    expect(await readAll(m.domain.broker, `${BOOKS}:dlq`)).toMatchObject([
      {
        stream: BOOKS,
        group: 'Recorder',
        consumer: 'Recorder-test',
        attempts: 3,
        payload: { data: { bookId: poison } },
      },
    ]);
  });

  it('dead-letters an entry that is not an envelope at once', async () => {
    const m = await bookshelf();
    await redis.xadd(`${prefix}${BOOKS}`, '*', 'order_id', '7');
    const sub = subscription(m, 'CatalogProjector');

    expect(await drain(sub)).toEqual([1]);

    expect(await readAll(m.domain.broker, `${BOOKS}:dlq`)).toMatchObject([
      { errorCode: 'MALFORMED_MESSAGE', attempts: 1, payload: { order_id: '7' } },
    ]);
  });

  it('splits the work between two consumers of one group, each message handled once', async () => {
    const m = await bookshelf();
    const ids = await publishBooks(m, ['A', 'B', 'C', 'D']);
    const settings = streamSettings({ messages_per_tick: 1 });
    const one = subscription(m, 'Recorder', { settings, consumer: 'recorder-1' });
    const two = subscription(m, 'Recorder', { settings, consumer: 'recorder-2' });

    await drain(one, two);

    expect([...m.seen].sort()).toEqual([...ids].sort());
    expect(one.status().processed).toBe(2);
    expect(two.status().processed).toBe(2);
  });

  it('recreates its group, loudly and once, when Redis lost it (stream key deleted)', async () => {
    const m = await bookshelf();
    await publishBooks(m, ['A']);
    const { clock, sleeps } = fakeClock();
    const { logger, lines } = recordingLogger();
    const sub = subscription(m, 'Recorder', { clock, logger });
    await drain(sub);
    await redis.del(`${prefix}${BOOKS}`);
    const [after] = await publishBooks(m, ['B']);

    expect(await sub.tick()).toBe(0);
    expect(await drain(sub)).toEqual([1]);

    expect(m.seen.at(-1)).toBe(after);
    expect(sleeps).toEqual([100]);
    const warnings = lines.filter((line) => line.level === 'warn');
    expect(warnings.map((line) => line.message)).toEqual([
      'consumer group is missing (did the broker restart empty?); recreating it',
    ]);
  });

  it('runs a broker subscription on an external stream with raw payloads', async () => {
    const m = await bookshelf();
    await m.domain.broker.publish('payments', { orderId: '7', amount: 5 });
    const received: JsonObject[] = [];
    const sub = new BrokerSubscription({
      handler: 'PaymentsSubscriber',
      stream: 'payments',
      broker: m.domain.broker,
      handle: async (payload) => void received.push(payload),
      settings: streamSettings({ blocking_timeout_ms: 50 }),
      logger: recordingLogger().logger,
    });
    opened.push(sub);
    await sub.start();
    const running = sub.run();
    await m.domain.broker.publish('payments', { orderId: '8', amount: 2 });

    await expect.poll(() => received.length, { timeout: 2000 }).toBe(2);
    await sub.close();
    await running;
    expect(received).toEqual([
      { orderId: '7', amount: 5 },
      { orderId: '8', amount: 2 },
    ]);
  });
});
