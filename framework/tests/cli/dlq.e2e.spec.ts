/**
 * `protean dlq` and `protean subscriptions status` as an operator runs them: the bin, in a process
 * of its own, against the Redis the server uses (its own key prefix here).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createRedisBroker } from '../../src/adapters/redis/broker.js';
import type { Broker } from '../../src/ports/broker.js';
import {
  deleteRedisKeys,
  describeIntegration,
  integrationServices,
  uniqueRedisPrefix,
} from '../../src/testing/index.js';
import { deadLetter } from '../server/dead-letters-cases.js';
import { PROTEAN, project, removeProjects } from './fixtures.js';

const bin = fileURLToPath(new URL('../../bin/protean.js', import.meta.url));
const { PROTEAN_DOMAIN: _ignored, ...env } = process.env;

const DOMAIN_TS = `import { Domain, field } from '${PROTEAN}';
export const domain = new Domain({ name: 'shop' });
const Order = domain.aggregate('Order', { orderId: field.string({ required: true, identifier: true }) });
const OrderPlaced = domain.event('OrderPlaced', { orderId: field.identifier({ required: true }) }, { partOf: Order });
domain.eventHandler('Notifier').on(OrderPlaced, async () => undefined);
`;

describeIntegration('protean dlq on Redis', () => {
  const prefix = uniqueRedisPrefix();
  let root: string;
  let broker: Broker;
  const protean = (...args: string[]) =>
    promisify(execFile)(process.execPath, [bin, ...args], { cwd: root, env }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  beforeAll(async () => {
    const { url } = integrationServices().redis;
    const toml = `event_processing = "async"
[server]
default_subscription_type = "stream"
[brokers.default]
provider = "redis"
URI = "${url}"
key_prefix = "${prefix}"
`;
    root = await project({ 'domain.ts': DOMAIN_TS, 'domain.toml': toml });
    broker = await createRedisBroker({ provider: 'redis', URI: url, key_prefix: prefix });
    await broker.start();
  });
  afterAll(async () => {
    await broker?.close();
    await removeProjects();
    await deleteRedisKeys(integrationServices().redis.url, prefix);
  });

  it('lists, replays and purges dead letters the server wrote, and reports the depth', async () => {
    for (const n of [1, 2, 3]) {
      await broker.publish('shop::order:dlq', deadLetter('shop::order', 'Notifier', n));
    }
    const listed = await protean('dlq', 'list', '--json');
    expect(listed.code).toBe(0);
    const ids = (JSON.parse(listed.stdout) as { id: string }[]).map((entry) => entry.id);
    expect(ids).toHaveLength(3);
    expect(listed.stderr).toBe('');

    const replayed = await protean('dlq', 'replay', ids[0]!);
    expect(replayed.code).toBe(0);
    expect(replayed.stdout).toMatch(
      /^Replayed shop::order:dlq\/\S+ to shop::order for Notifier \(new entry/,
    );
    const [republished] = await broker.range('shop::order');
    expect(republished?.payload).toEqual({ n: 1, type: 'Shop.OrderPlaced.v1' });

    const report = await protean('subscriptions', 'status', '--json');
    expect(JSON.parse(report.stdout)).toEqual([
      expect.objectContaining({ name: 'Notifier@shop::order', lag: 1, pending: 0, dlqDepth: 2 }),
    ]);

    expect((await protean('dlq', 'purge', '--subscription', 'Notifier')).code).toBe(2);
    const purged = await protean('dlq', 'purge', '--subscription', 'Notifier', '--yes');
    expect(purged.stdout).toBe(
      'Purged 2 dead letters of Notifier@shop::order from shop::order:dlq\n',
    );
    expect(await broker.streamLength('shop::order:dlq')).toBe(0);
  }, 60_000);
});
