import { createServer } from 'node:net';
import type { Server, Socket } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../src/adapters/postgres/database.js';
import { createPostgresEventStore } from '../../src/adapters/postgres/event-store.js';
import { pingPool } from '../../src/adapters/postgres/ping.js';
import { createPool } from '../../src/adapters/postgres/pool.js';
import { createRedisBroker } from '../../src/adapters/redis/broker.js';
import { Domain } from '../../src/index.js';
import { checkReadiness, HealthServer } from '../../src/server/index.js';
import {
  createTestDatabase,
  deleteRedisKeys,
  describeIntegration,
  integrationServices,
  uniqueRedisPrefix,
  type TestDatabase,
} from '../../src/testing/index.js';
import { recordingLogger } from './subscriptions/helpers.js';

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const resource of opened.splice(0).reverse()) await resource.close();
});

const passed = { ok: true, ms: expect.any(Number) };

describeIntegration('readiness on PostgreSQL and Redis', () => {
  const prefix = uniqueRedisPrefix();
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(integrationServices().postgres.url);
  });
  afterAll(async () => {
    await deleteRedisKeys(integrationServices().redis.url, prefix);
    await database?.drop();
  });

  /** A started domain: database and event store on this file's database, broker on Redis. */
  async function realDomain(): Promise<Domain> {
    const database_uri = database.url;
    const domain = new Domain({
      name: 'ready',
      config: {
        databases: { default: { provider: 'postgresql', database_uri } },
        event_store: { provider: 'postgresql', database_uri },
        brokers: {
          default: { provider: 'redis', URI: integrationServices().redis.url, key_prefix: prefix },
        },
      },
    });
    await domain.init();
    opened.push(domain);
    return domain;
  }

  it('is ready, and /readyz answers 200, when PostgreSQL and Redis answer', async () => {
    const domain = await realDomain();
    expect(await checkReadiness(domain, { shuttingDown: false })).toEqual({
      ready: true,
      shuttingDown: false,
      checks: { database: passed, event_store: passed, broker: passed },
    });

    const health = new HealthServer({
      port: 0,
      readiness: () => checkReadiness(domain, { shuttingDown: false }),
      logger: recordingLogger().logger,
    });
    opened.push(health);
    const { url } = await health.start();
    const response = await fetch(`${url}/readyz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({ ready: true });
  });

  it('fails the broker check with its reason when the broker is at a closed port', async () => {
    const domain = await realDomain();
    const unreachable = await createRedisBroker({ provider: 'redis', URI: 'redis://127.0.0.1:1' });
    opened.push(unreachable);
    const target = {
      database: domain.database,
      eventStore: domain.eventStore,
      broker: unreachable,
    };

    const report = await checkReadiness(target, { shuttingDown: false, timeoutMs: 5_000 });
    expect(report.ready).toBe(false);
    expect(report.checks['database']).toEqual(passed);
    expect(report.checks['event_store']).toEqual(passed);
    expect(report.checks['broker']).toEqual({
      ok: false,
      error: expect.stringContaining('127.0.0.1:1'),
      ms: expect.any(Number),
    });

    const health = new HealthServer({
      port: 0,
      readiness: () => checkReadiness(target, { shuttingDown: false }),
    });
    opened.push(health);
    const response = await fetch(`${(await health.start()).url}/readyz`);
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      ready: false,
      checks: { broker: { ok: false } },
    });
  });

  it('fails the event store check with DATABASE_UNAVAILABLE when nothing listens at its URI', async () => {
    const domain = await realDomain();
    const eventStore = await createPostgresEventStore({
      provider: 'postgresql',
      database_uri: 'postgresql://postgres@127.0.0.1:1/nowhere',
    });
    opened.push(eventStore);
    await expect(eventStore.ping()).rejects.toMatchObject({ code: 'DATABASE_UNAVAILABLE' });

    const target = { database: domain.database, eventStore, broker: domain.broker };
    const report = await checkReadiness(target, { shuttingDown: false, timeoutMs: 5_000 });
    expect(report.ready).toBe(false);
    expect(report.checks['event_store']).toMatchObject({
      ok: false,
      error: expect.stringMatching(
        /ping of the event store failed on PostgreSQL at 127\.0\.0\.1:1\/nowhere/,
      ),
    });
    expect(report.checks['database']).toEqual(passed);
    expect(report.checks['broker']).toEqual(passed);
  });
});

describe('readiness against a PostgreSQL server that never answers', () => {
  let hung: Server;
  const sockets = new Set<Socket>();
  let uri: string;
  beforeAll(async () => {
    // Accepts connections and never says a word: what a hung server looks like to `pg`.
    hung = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => hung.listen(0, '127.0.0.1', resolve));
    const { port } = hung.address() as { port: number };
    uri = `postgresql://postgres@127.0.0.1:${port}/hung`;
  });
  afterEach(() => {
    // Ends the connections stuck in their handshake, so the pools can end.
    for (const socket of sockets) socket.destroy();
  });
  afterAll(() => new Promise<void>((resolve) => hung.close(() => resolve())));

  it('fails the database and event store checks after the timeout instead of hanging', async () => {
    const database = await createPostgresDatabase({
      provider: 'postgresql',
      database_uri: uri,
      connect_timeout_ms: 0,
    });
    const eventStore = await createPostgresEventStore({
      provider: 'postgresql',
      database_uri: uri,
    });
    const broker = await createRedisBroker({ provider: 'redis', URI: 'redis://127.0.0.1:1' });
    opened.push(database, eventStore, broker);

    const started = performance.now();
    const report = await checkReadiness(
      { database, eventStore, broker },
      { shuttingDown: false, timeoutMs: 300 },
    );
    expect(performance.now() - started).toBeLessThan(2_000);
    const timedOut = { ok: false, error: 'did not answer within 300 ms', ms: expect.any(Number) };
    expect(report.checks['database']).toEqual(timedOut);
    expect(report.checks['event_store']).toEqual(timedOut);
    expect(report.ready).toBe(false);
  });

  it('rejects a ping with DATABASE_UNAVAILABLE when SELECT 1 gets no answer in time', async () => {
    const pool = await createPool({ database_uri: uri, pool_size: 1 }, recordingLogger().logger);
    opened.push({ close: () => pool.end() });
    const ping = pingPool(
      pool,
      { server: '127.0.0.1/hung', operation: 'ping of the database' },
      200,
    );
    await expect(ping).rejects.toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      message: expect.stringMatching(
        /^ping of the database failed on PostgreSQL at 127\.0\.0\.1\/hung: no answer to SELECT 1 within 200 ms/,
      ),
    });
  });
});
