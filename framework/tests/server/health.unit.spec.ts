import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError, Domain } from '../../src/index.js';
import { checkReadiness, HealthServer } from '../../src/server/index.js';
import type { HealthServerOptions, ReadinessReport } from '../../src/server/index.js';
import { recordingLogger } from './subscriptions/helpers.js';

const closers: (() => Promise<void>)[] = [];
const ready = async () => ({ ready: true, checks: {}, shuttingDown: false });
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

/** A started domain on the memory adapters and the inline broker. */
async function memoryDomain(): Promise<Domain> {
  const domain = new Domain({ name: 'health', config: {} });
  await domain.init();
  closers.push(() => domain.close());
  return domain;
}

/** A health server on a free port of 127.0.0.1, closed after the test. */
async function serve(
  options: Partial<HealthServerOptions> & Pick<HealthServerOptions, 'readiness'>,
) {
  const { logger } = recordingLogger();
  const server = new HealthServer({ host: '127.0.0.1', port: 0, logger, ...options });
  closers.push(() => server.close());
  const address = await server.start();
  return {
    server,
    address,
    get: (path: string, init?: RequestInit) => fetch(`${address.url}${path}`, init),
  };
}

/** The server of a memory domain, whose readiness turns 503 when `state.shuttingDown` is set. */
async function serveDomain() {
  const domain = await memoryDomain();
  const state = { shuttingDown: false };
  const served = await serve({
    readiness: () => checkReadiness(domain, { shuttingDown: state.shuttingDown }),
  });
  return { domain, state, ...served };
}

describe('HealthServer', () => {
  it('answers 200 {"status":"ok"} as JSON on /livez and /healthz', async () => {
    const { get } = await serveDomain();
    for (const path of ['/livez', '/healthz', '/livez?verbose=1']) {
      const response = await get(path);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
      expect(await response.json()).toEqual({ status: 'ok' });
    }
  });

  it('answers /readyz with 200 and every check passing when the ports answer', async () => {
    const { get } = await serveDomain();
    const response = await get('/readyz');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const ok = { ok: true, ms: expect.any(Number) };
    expect(await response.json()).toEqual({
      ready: true,
      shuttingDown: false,
      checks: { database: ok, event_store: ok, broker: ok },
    });
  });

  it('answers /readyz with 503 as soon as the engine is shutting down, /livez still 200', async () => {
    const { get, state } = await serveDomain();
    state.shuttingDown = true;
    const response = await get('/readyz');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({
      ready: false,
      shuttingDown: true,
      checks: { database: { ok: true }, event_store: { ok: true }, broker: { ok: true } },
    });
    expect((await get('/livez')).status).toBe(200);
  });

  it('answers /readyz with 503 naming the failing check when the broker is closed', async () => {
    const { domain, get } = await serveDomain();
    await domain.broker.close();
    const response = await get('/readyz');
    expect(response.status).toBe(503);
    const report = (await response.json()) as ReadinessReport;
    expect(report).toMatchObject({ ready: false, shuttingDown: false });
    expect(report.checks['database']).toEqual({ ok: true, ms: expect.any(Number) });
    expect(report.checks['broker']).toEqual({
      ok: false,
      error: expect.stringMatching(/inline broker is closed: ping\(\) was called after close\(\)/),
      ms: expect.any(Number),
    });
  });

  it('answers 503 with the reason when the readiness function itself throws', async () => {
    const { get } = await serve({ readiness: () => Promise.reject(new Error('no domain yet')) });
    const response = await get('/readyz');
    expect(response.status).toBe(503);
    expect(await response.json()).toMatchObject({ ready: false, error: 'no domain yet' });
  });

  it('answers 404 on other paths and 405 with Allow on other methods', async () => {
    const { get } = await serveDomain();
    const missing = await get('/metrics');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({
      error: expect.stringMatching(/no endpoint at \/metrics/),
    });
    for (const path of ['/readyz', '/livez']) {
      const refused = await get(path, { method: 'POST' });
      expect(refused.status).toBe(405);
      expect(refused.headers.get('allow')).toBe('GET, HEAD');
      expect(await refused.json()).toEqual({ error: `POST is not allowed on ${path}; use GET` });
    }
    const head = await get('/livez', { method: 'HEAD' });
    expect(head.status).toBe(200);
  });

  it('starts on a random free port with port 0 and says where it listens', async () => {
    const { logger, lines } = recordingLogger();
    const server = new HealthServer({
      port: 0,
      readiness: ready,
      logger,
    });
    closers.push(() => server.close());
    const address = await server.start();
    expect(address.host).toBe('127.0.0.1');
    expect(address.port).toBeGreaterThan(0);
    expect(address.url).toBe(`http://127.0.0.1:${address.port}`);
    expect(await server.start()).toEqual(address);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'info', message: expect.stringContaining(address.url) }),
    );
  });

  it('fails to start on a port in use with a ConfigurationError naming host:port and the fix', async () => {
    const { address } = await serveDomain();
    const second = new HealthServer({
      host: '127.0.0.1',
      port: address.port,
      readiness: ready,
    });
    closers.push(() => second.close());
    const failed = second.start();
    await expect(failed).rejects.toThrow(ConfigurationError);
    await expect(failed).rejects.toThrow(
      `the health server cannot listen on 127.0.0.1:${address.port}: the address is already in use (EADDRINUSE)`,
    );
    await expect(failed).rejects.toThrow(/change \[server\.health\] port .*--health-port/);
  });

  it('refuses a port that is not a whole number from 0 to 65535, saying what it received', () => {
    const readiness = ready;
    expect(() => new HealthServer({ port: 70_000, readiness })).toThrow(
      /\[server\.health\] port must be a whole number from 0 to 65535 .*received 70000/,
    );
    expect(() => new HealthServer({ host: '', readiness })).toThrow(/\[server\.health\] host/);
  });

  it('closes at once, ending connections still waiting for an answer, and frees the port', async () => {
    let asked!: () => void;
    const readinessAsked = new Promise<void>((resolve) => (asked = resolve));
    const { server, address, get } = await serve({
      readiness: () => {
        asked();
        return new Promise(() => {}); // a check that never answers
      },
    });
    const pending = get('/readyz');
    await readinessAsked;

    const started = performance.now();
    await server.close();
    expect(performance.now() - started).toBeLessThan(1_000);
    await expect(pending).rejects.toThrow();
    await expect(get('/livez')).rejects.toThrow();

    const again = new HealthServer({ host: '127.0.0.1', port: address.port, readiness: ready });
    closers.push(() => again.close());
    await expect(again.start()).resolves.toMatchObject({ port: address.port });
    await server.close(); // idempotent
  });
});
