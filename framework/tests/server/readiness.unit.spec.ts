import { afterEach, describe, expect, it } from 'vitest';
import {
  createInlineBroker,
  createMemoryDatabase,
  createMemoryEventStore,
} from '../../src/adapter.js';
import { Domain, IncorrectUsageError } from '../../src/index.js';
import { checkReadiness } from '../../src/server/index.js';

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const resource of opened.splice(0).reverse()) await resource.close();
});

/** A started domain on the memory adapters and the inline broker. */
async function memoryDomain(): Promise<Domain> {
  const domain = new Domain({ name: 'ready', config: {} });
  await domain.init();
  opened.push(domain);
  return domain;
}

/** A started inline broker, closed after the test. */
async function inlineBroker() {
  const broker = createInlineBroker();
  await broker.start();
  opened.push(broker);
  return broker;
}

const passed = { ok: true, ms: expect.any(Number) };

describe('checkReadiness', () => {
  it('is ready when the database, the event store and the broker all answer', async () => {
    const domain = await memoryDomain();
    const report = await checkReadiness(domain, { shuttingDown: false });
    expect(report).toEqual({
      ready: true,
      shuttingDown: false,
      checks: { database: passed, event_store: passed, broker: passed },
    });
    for (const check of Object.values(report.checks)) expect(check.ms).toBeGreaterThanOrEqual(0);
  });

  it('is not ready while shutting down, even though every check passes', async () => {
    const domain = await memoryDomain();
    const report = await checkReadiness(domain, { shuttingDown: true });
    expect(report).toMatchObject({ ready: false, shuttingDown: true });
    expect(Object.values(report.checks).every((check) => check.ok)).toBe(true);
  });

  it('fails the check of a closed port with its reason, the others passing', async () => {
    const domain = await memoryDomain();
    await domain.eventStore.close();
    const report = await checkReadiness(domain, { shuttingDown: false });
    expect(report.ready).toBe(false);
    expect(report.checks).toEqual({
      database: passed,
      event_store: {
        ok: false,
        error:
          'the memory event store is closed: ping() was called after close(); call start() first.',
        ms: expect.any(Number),
      },
      broker: passed,
    });
  });

  it('fails the checks of ports that were never started', async () => {
    const report = await checkReadiness(
      {
        database: createMemoryDatabase(),
        eventStore: createMemoryEventStore(),
        broker: await inlineBroker(),
      },
      { shuttingDown: false },
    );
    expect(report.ready).toBe(false);
    expect(report.checks['database']).toMatchObject({
      ok: false,
      error: 'the memory database has not been started; call start() first.',
    });
    expect(report.checks['event_store']).toMatchObject({
      ok: false,
      error: 'the memory event store has not been started; call start() first.',
    });
  });

  it('fails every check with the reason when the domain has not been initialized', async () => {
    const domain = new Domain({ name: 'ready', config: {} });
    const report = await checkReadiness(domain, { shuttingDown: false });
    expect(report.ready).toBe(false);
    for (const name of ['database', 'event_store', 'broker']) {
      expect(report.checks[name]).toMatchObject({
        ok: false,
        error: expect.stringContaining('init()'),
      });
    }
  });

  it('checks each broker on its own when the target exposes several', async () => {
    const domain = await memoryDomain();
    const [orders, audit] = [await inlineBroker(), await inlineBroker()];
    await audit.close();
    const target = {
      database: domain.database,
      eventStore: domain.eventStore,
      broker: orders,
      brokers: new Map([
        ['default', orders],
        ['audit', audit],
      ]),
    };
    const report = await checkReadiness(target, { shuttingDown: false });
    expect(report.ready).toBe(false);
    expect(Object.keys(report.checks)).toEqual([
      'database',
      'event_store',
      'broker.default',
      'broker.audit',
    ]);
    expect(report.checks['broker.default']).toEqual(passed);
    expect(report.checks['broker.audit']).toMatchObject({
      ok: false,
      error: expect.stringMatching(/inline broker is closed/),
    });
    const single = { ...target, brokers: { default: orders } };
    expect(Object.keys((await checkReadiness(single, { shuttingDown: false })).checks)).toEqual([
      'database',
      'event_store',
      'broker',
    ]);
  });

  it('includes what details() returns without letting it decide readiness', async () => {
    const domain = await memoryDomain();
    const subscriptions = { 'Fulfilment@shop::order': { lag: 3, pending: 1, dlq: 0 } };
    const withDetails = await checkReadiness(domain, {
      shuttingDown: false,
      details: async () => ({ subscriptions, ready: false }),
    });
    expect(withDetails).toMatchObject({ ready: true, subscriptions });

    const failing = await checkReadiness(domain, {
      shuttingDown: false,
      details: () => Promise.reject(new Error('the broker did not list its groups')),
    });
    expect(failing).toMatchObject({
      ready: true,
      detailsError: 'the broker did not list its groups',
    });
  });

  it('bounds details() by the timeout', async () => {
    const domain = await memoryDomain();
    const started = performance.now();
    const report = await checkReadiness(domain, {
      shuttingDown: false,
      timeoutMs: 50,
      details: () => new Promise(() => {}),
    });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(report).toMatchObject({ ready: true, detailsError: 'did not answer within 50 ms' });
  });

  it('refuses a timeout that is not a whole number of milliseconds > 0', async () => {
    const domain = await memoryDomain();
    const refused = checkReadiness(domain, { shuttingDown: false, timeoutMs: 0 });
    await expect(refused).rejects.toThrow(IncorrectUsageError);
    await expect(refused).rejects.toThrow(/timeoutMs must be a whole number .*received 0/);
  });
});
