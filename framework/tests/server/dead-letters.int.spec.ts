import { afterAll } from 'vitest';
import { createRedisBroker } from '../../src/adapters/redis/broker.js';
import {
  deleteRedisKeys,
  describeIntegration,
  integrationServices,
  uniqueRedisPrefix,
} from '../../src/testing/index.js';
import { deadLetterCases } from './dead-letters-cases.js';

describeIntegration('dead-letter operations on Redis', () => {
  const prefix = uniqueRedisPrefix();
  afterAll(() => deleteRedisKeys(integrationServices().redis.url, prefix));
  deadLetterCases(() =>
    createRedisBroker({
      provider: 'redis',
      URI: integrationServices().redis.url,
      key_prefix: prefix,
    }),
  );
});
