import { afterAll } from 'vitest';
import {
  createRedisBroker,
  REDIS_BROKER_CAPABILITIES,
} from '../../../src/adapters/redis/broker.js';
import {
  createRedisPubSubBroker,
  REDIS_PUBSUB_CAPABILITIES,
} from '../../../src/adapters/redis/pubsub.js';
import { brokerContract } from '../../../src/testing/contracts/broker.js';
import {
  deleteRedisKeys,
  describeIntegration,
  integrationServices,
  uniqueRedisPrefix,
} from '../../../src/testing/index.js';

describeIntegration('Redis brokers', () => {
  const prefix = uniqueRedisPrefix();
  const settings = () => ({ URI: integrationServices().redis.url, key_prefix: prefix });
  afterAll(() => deleteRedisKeys(integrationServices().redis.url, prefix));

  brokerContract('redis', () => createRedisBroker({ provider: 'redis', ...settings() }), {
    capabilities: REDIS_BROKER_CAPABILITIES,
  });

  brokerContract(
    'redis_pubsub',
    () => createRedisPubSubBroker({ provider: 'redis_pubsub', ...settings() }),
    { capabilities: REDIS_PUBSUB_CAPABILITIES },
  );
});
