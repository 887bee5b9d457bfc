import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { DomainConfigInput } from '../../src/index.js';
import { Engine } from '../../src/server/index.js';
import {
  createTestDatabase,
  deleteRedisKeys,
  describeIntegration,
  integrationServices,
  uniqueRedisPrefix,
  type TestDatabase,
} from '../../src/testing/index.js';
import { createShop, placeOrders, statuses } from './engine-model.js';
import type { Shop } from './engine-model.js';

describeIntegration('the engine in test mode on PostgreSQL and Redis', () => {
  const prefix = uniqueRedisPrefix();
  let database: TestDatabase;
  let tests = 0;
  const opened: Shop['domain'][] = [];

  beforeAll(async () => {
    database = await createTestDatabase(integrationServices().postgres.url);
  });
  afterEach(async () => {
    for (const domain of opened.splice(0)) await domain.close();
  });
  afterAll(async () => {
    await deleteRedisKeys(integrationServices().redis.url, prefix);
    await database?.drop();
  });

  /** The shop on the test database and event store, its broker on Redis under a fresh prefix. */
  async function open(config: DomainConfigInput = {}): Promise<Shop> {
    const database_uri = database.url;
    const m = createShop({
      databases: { default: { provider: 'postgresql', database_uri } },
      event_store: { provider: 'postgresql', database_uri },
      brokers: {
        default: {
          provider: 'redis',
          URI: integrationServices().redis.url,
          key_prefix: `${prefix}${(tests += 1)}:`,
        },
      },
      ...config,
    });
    await m.domain.init();
    opened.push(m.domain);
    await m.domain.setupSchema();
    await m.domain.truncateSchema();
    return m;
  }

  it('drives the cascade through event-store subscriptions', async () => {
    const m = await open();
    const ids = await placeOrders(m, 4);
    await expect(new Engine(m.domain, { testMode: true }).run()).resolves.toBe(0);
    expect(await statuses(m, ids)).toEqual(['reserved', 'reserved', 'reserved', 'reserved']);
    expect((await m.domain.repository(m.Stock).get('sku-1')).reserved).toBe(2);

    const again = new Engine(m.domain, { testMode: true });
    await expect(again.run()).resolves.toBe(0);
    expect(again.subscriptions.reduce((sum, s) => sum + s.status().processed, 0)).toBe(0);
  });

  it('drives the cascade through the outbox, Redis Streams and stream subscriptions', async () => {
    const m = await open({
      enable_outbox: true,
      server: { default_subscription_type: 'stream' },
    });
    const ids = await placeOrders(m, 4);
    const engine = new Engine(m.domain, { testMode: true });
    await expect(engine.run()).resolves.toBe(0);
    expect(engine.outboxProcessors).toHaveLength(1);
    expect(await statuses(m, ids)).toEqual(['reserved', 'reserved', 'reserved', 'reserved']);
  });
});
