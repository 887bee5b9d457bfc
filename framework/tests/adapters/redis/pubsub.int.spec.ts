import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { createRedisPubSubBroker } from '../../../src/adapters/redis/pubsub.js';
import { IncorrectUsageError } from '../../../src/core/errors.js';
import type { Broker, JsonObject } from '../../../src/ports/broker.js';
import {
  describeIntegration,
  integrationServices,
  uniqueRedisPrefix,
} from '../../../src/testing/index.js';

/** Retries `check` until it passes, for at most 2 s. */
async function eventually(check: () => void): Promise<void> {
  const deadline = Date.now() + 2_000;
  for (;;) {
    try {
      return check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(10);
    }
  }
}

describeIntegration('the Redis pub/sub broker', () => {
  const prefix = uniqueRedisPrefix();
  const opened: Broker[] = [];
  let redis: Redis;

  async function open(keyPrefix = prefix): Promise<Broker> {
    const URI = integrationServices().redis.url;
    const broker = await createRedisPubSubBroker({ URI, key_prefix: keyPrefix });
    opened.push(broker);
    await broker.start();
    return broker;
  }

  /** Subscribes and collects what arrives. */
  async function collect(broker: Broker, stream: string): Promise<JsonObject[]> {
    const received: JsonObject[] = [];
    await broker.subscribe!(stream, (payload) => void received.push(payload));
    return received;
  }

  beforeAll(() => {
    redis = new Redis(integrationServices().redis.url);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((broker) => broker.close()));
  });
  afterAll(() => redis.quit());

  it('names itself redis_pubsub', async () => {
    expect((await open()).provider).toBe('redis_pubsub');
  });

  it('loses what is published while nobody listens: at-most-once', async () => {
    const broker = await open();
    await broker.publish('prices', { n: 'before' });
    const received = await collect(broker, 'prices');
    await broker.publish('prices', { n: 'after' });
    await eventually(() => expect(received).toEqual([{ n: 'after' }]));
  });

  it('delivers across brokers on one key prefix, never across prefixes', async () => {
    const [publisher, subscriber, stranger] = [await open(), await open(), await open('other:')];
    const mine = await collect(subscriber, 'prices');
    const theirs = await collect(stranger, 'prices');
    await publisher.publish('prices', { n: 1 });
    await eventually(() => expect(mine).toEqual([{ n: 1 }]));
    await sleep(50);
    expect(theirs).toEqual([]);
  });

  it('hands a message that is not a JSON object over as { payload: text }', async () => {
    const received = await collect(await open(), 'prices');
    await redis.publish(`${prefix}prices`, 'plain text');
    await redis.publish(`${prefix}prices`, '[1,2]');
    await eventually(() =>
      expect(received).toEqual([{ payload: 'plain text' }, { payload: '[1,2]' }]),
    );
  });

  it('ends its subscriptions on close(), and subscribes again after start()', async () => {
    const [publisher, subscriber] = [await open(), await open()];
    const before = await collect(subscriber, 'prices');
    await subscriber.close();
    await expect(subscriber.subscribe!('prices', () => undefined)).rejects.toThrow(
      /closed: SUBSCRIBE was called after close\(\); call start\(\) first/,
    );
    await publisher.publish('prices', { n: 1 });
    await subscriber.start();
    const after = await collect(subscriber, 'prices');
    await publisher.publish('prices', { n: 2 });
    await eventually(() => expect(after).toEqual([{ n: 2 }]));
    expect(before).toEqual([]);
  });

  it('says to use provider = "redis" for what needs Redis Streams', async () => {
    const broker = await open();
    for (const call of [
      () => broker.streamLength('prices'),
      () => broker.trim('prices', { maxLength: 1 }),
      () => broker.readGroup('prices', 'g', 'c1'),
    ]) {
      await expect(call()).rejects.toThrow(IncorrectUsageError);
      await expect(call()).rejects.toThrow(/needs Redis Streams\. Set provider = "redis"/);
    }
  });

  it('turns a failing listener without onError into a process warning', async () => {
    const broker = await open();
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => void warnings.push(warning);
    process.on('warning', onWarning);
    try {
      await broker.subscribe!('prices', () => {
        throw new Error('boom');
      });
      await broker.publish('prices', { n: 1 });
      await eventually(() =>
        expect(warnings.map((warning) => warning.message)).toContain(
          "a listener of 'prices' failed and its payload is dropped: boom",
        ),
      );
    } finally {
      process.off('warning', onWarning);
    }
  });
});
