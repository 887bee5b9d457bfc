import { afterAll, expect, it } from 'vitest';
import { Domain } from '../../../src/index.js';
import {
  deleteRedisKeys,
  describeIntegration,
  integrationServices,
  uniqueRedisPrefix,
} from '../../../src/testing/index.js';

describeIntegration('a domain configured with the redis broker', () => {
  const prefix = uniqueRedisPrefix();
  afterAll(async () => {
    await deleteRedisKeys(integrationServices().redis.url, prefix);
  });

  it('loads the Redis Streams broker by its domain.toml name and delivers through a group', async () => {
    const URI = integrationServices().redis.url;
    const domain = new Domain({
      name: 'shop',
      config: { brokers: { default: { provider: 'redis', URI, key_prefix: prefix } } },
    });
    await domain.init();
    try {
      expect(domain.broker.provider).toBe('redis');
      await domain.broker.ensureGroup('shop::order', 'Auditor');
      await domain.broker.publish('shop::order', { hello: 'world' });
      const [entry] = await domain.broker.readGroup('shop::order', 'Auditor', 'auditor-1', {
        count: 1,
      });
      expect(entry?.payload).toEqual({ hello: 'world' });
      expect(await domain.broker.ack('shop::order', 'Auditor', [entry!.id])).toBe(1);
    } finally {
      await domain.close();
    }
  });
});
