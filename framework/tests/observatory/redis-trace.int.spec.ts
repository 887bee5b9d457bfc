import { afterEach, expect, it } from 'vitest';
import { createRedisTraceChannel } from '../../src/adapters/redis/trace.js';
import { createRedisInfoReader } from '../../src/adapters/redis/server-info.js';
import type { TraceChannel, TraceEvent } from '../../src/ports/trace.js';
import { Tracer } from '../../src/ports/trace.js';
import {
  describeIntegration,
  integrationServices,
  uniqueRedisPrefix,
} from '../../src/testing/index.js';
import { eventually } from '../fixtures/eventually.js';

describeIntegration('the Redis trace channel', () => {
  const closers: TraceChannel[] = [];
  afterEach(async () => {
    for (const channel of closers.splice(0)) await channel.close();
  });

  function channelPair(prefix = uniqueRedisPrefix()): [TraceChannel, TraceChannel] {
    const table = { URI: integrationServices().redis.url, key_prefix: prefix };
    const options = { channel: 'protean:trace:ledger', watchMs: 50 };
    const pair: [TraceChannel, TraceChannel] = [
      createRedisTraceChannel(table, options),
      createRedisTraceChannel(table, options),
    ];
    closers.push(...pair);
    return pair;
  }

  it('carries events between channels once someone subscribes, and none before', async () => {
    const [emitter, listener] = channelPair();
    await emitter.start();
    expect(emitter.kind).toBe('redis');
    expect(emitter.hasListeners()).toBe(false);

    const seen: TraceEvent[] = [];
    const stop = await listener.subscribe((event) => seen.push(event));
    await eventually(() => emitter.hasListeners());
    new Tracer(emitter, 'ledger').emit({ event: 'handler.completed', handler: 'Totals' });
    await eventually(() => seen.length === 1);
    expect(seen[0]).toMatchObject({ event: 'handler.completed', domain: 'ledger' });

    await stop();
    await listener.close();
    await eventually(() => !emitter.hasListeners());
  });

  it('keeps channels of different key prefixes apart', async () => {
    const [emitter] = channelPair();
    const [, other] = channelPair();
    await emitter.start();
    await other.subscribe(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(emitter.hasListeners()).toBe(false);
  });

  it('reads the version, memory and load of the Redis server', async () => {
    const reader = createRedisInfoReader({ URI: integrationServices().redis.url });
    try {
      const info = await reader.read();
      expect(info.version).toMatch(/^\d+\.\d+/);
      expect(info.memoryBytes).toBeGreaterThan(0);
      expect(info.opsPerSec).toBeGreaterThanOrEqual(0);
    } finally {
      await reader.close();
    }
  });
});
