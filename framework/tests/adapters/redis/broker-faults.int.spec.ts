import { createServer } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createRedisBroker } from '../../../src/adapters/redis/broker.js';
import { createRedisPubSubBroker } from '../../../src/adapters/redis/pubsub.js';
import { BrokerUnavailableError, NoGroupError, type Broker } from '../../../src/ports/broker.js';
import {
  deleteRedisKeys,
  describeIntegration,
  integrationServices,
  uniqueRedisPrefix,
} from '../../../src/testing/index.js';

const GROUP = 'BookProjector';

/** A port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describeIntegration('the Redis Streams broker, under faults', () => {
  const prefix = uniqueRedisPrefix();
  let redis: Redis;
  let broker: Broker | undefined;
  let stream = '';
  let n = 0;

  async function open(extra: Record<string, unknown> = {}): Promise<Broker> {
    const { url } = integrationServices().redis;
    broker = await createRedisBroker({ provider: 'redis', URI: url, key_prefix: prefix, ...extra });
    await broker.start();
    return broker;
  }

  beforeAll(() => {
    redis = new Redis(integrationServices().redis.url);
  });
  afterEach(async () => {
    await broker?.close();
    broker = undefined;
    stream = `book-${(n += 1)}`;
  });
  afterAll(async () => {
    await redis.quit();
    await deleteRedisKeys(integrationServices().redis.url, prefix);
  });
  stream = `book-${n}`;

  it('throws NoGroupError once the stream key is gone, and works again after ensureGroup', async () => {
    const streams = await open();
    await streams.ensureGroup(stream, GROUP);
    await redis.del(`${prefix}${stream}`);
    const read = streams.readGroup(stream, GROUP, 'c1', { blockMs: 50 });
    await expect(read).rejects.toThrow(NoGroupError);
    await expect(read).rejects.toMatchObject({ code: 'NO_GROUP', stream, group: GROUP });
    expect(await streams.ensureGroup(stream, GROUP)).toBe(true);
    await streams.publish(stream, { n: 1 });
    const [entry] = await streams.readGroup(stream, GROUP, 'c1');
    expect(entry?.payload).toEqual({ n: 1 });
  });

  it('reads entries it did not write as their fields, for the subscription to dead-letter', async () => {
    const streams = await open();
    await streams.ensureGroup(stream, GROUP);
    const key = `${prefix}${stream}`;
    await redis.xadd(key, '*', 'payload', '{not json');
    await redis.xadd(key, '*', 'payload', '[1,2]');
    await redis.xadd(key, '*', 'order_id', '7', 'amount', '5');
    const entries = await streams.readGroup(stream, GROUP, 'c1');
    expect(entries.map((entry) => entry.payload)).toEqual([
      { payload: '{not json' },
      { payload: '[1,2]' },
      { order_id: '7', amount: '5' },
    ]);
  });

  it('returns an own pending entry trimmed away as payload null, with its counter', async () => {
    const streams = await open();
    await streams.ensureGroup(stream, GROUP);
    const id = await streams.publish(stream, { n: 1 });
    await streams.readGroup(stream, GROUP, 'c1');
    await redis.xtrim(`${prefix}${stream}`, 'MAXLEN', 0);
    expect(await streams.readGroup(stream, GROUP, 'c1', { pending: true })).toEqual([
      { id, payload: null, deliveries: 1 },
    ]);
    expect(await streams.ack(stream, GROUP, [id])).toBe(1);
  });

  it('abandons a blocking read Redis does not answer, within the watchdog, then reads again', async () => {
    const streams = await open({ watchdog_grace_ms: 150 });
    await streams.ensureGroup(stream, GROUP);
    await streams.readGroup(stream, GROUP, 'c1', { blockMs: 10 }); // opens the blocking connection
    // XREADGROUP is a write: CLIENT PAUSE ... WRITE holds it (and only writes) server-wide.
    await redis.client('PAUSE', 2_000, 'WRITE');
    const started = Date.now();
    try {
      const read = streams.readGroup(stream, GROUP, 'c1', { blockMs: 100 });
      await expect(read).rejects.toThrow(BrokerUnavailableError);
      await expect(read).rejects.toThrow(/within 250 ms \(BLOCK 100 ms \+ 150 ms grace\)/);
    } finally {
      await redis.client('UNPAUSE');
    }
    expect(Date.now() - started).toBeLessThan(1_000);
    await streams.publish(stream, { n: 'after' });
    const entries = await streams.readGroup(stream, GROUP, 'c1', { blockMs: 500 });
    expect(entries.map((entry) => entry.payload)).toEqual([{ n: 'after' }]);
  });

  it('wakes a read blocked for a minute on close(), leaving no timer behind', async () => {
    const timers = () =>
      process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const streams = await open();
    await streams.ensureGroup(stream, GROUP);
    const before = timers();
    const started = Date.now();
    const reading = streams.readGroup(stream, GROUP, 'c1', { blockMs: 60_000 });
    await sleep(50);
    await streams.close();
    expect(await reading).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1_000);
    // Sockets finish closing on the next ticks; then nothing of the broker's is left running.
    for (let wait = 0; timers() > before && wait < 20; wait += 1) await sleep(10);
    expect(timers()).toBeLessThanOrEqual(before);
  });

  it('fails fast with a clear error when Redis is down, without the password', async () => {
    const uri = `redis://app:secret@127.0.0.1:${await closedPort()}/0`;
    for (const create of [createRedisBroker, createRedisPubSubBroker]) {
      const down = await create({ URI: uri });
      const started = Date.now();
      const failure = down.start().then(
        () => expect.fail('start() succeeded'),
        (error: unknown) => error,
      );
      const error = (await failure) as BrokerUnavailableError;
      expect(error).toBeInstanceOf(BrokerUnavailableError);
      expect(error.code).toBe('BROKER_UNAVAILABLE');
      expect(error.message).toMatch(
        /^cannot connect to Redis at redis:\/\/app@127\.0\.0\.1:\d+\/0 /,
      );
      expect(error.message).toMatch(/ECONNREFUSED/);
      expect(error.message).not.toMatch(/secret/);
      await expect(down.publish('orders', { n: 1 })).rejects.toThrow(BrokerUnavailableError);
      expect(Date.now() - started).toBeLessThan(3_000);
      await down.close();
    }
  });
});
