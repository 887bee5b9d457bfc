/**
 * Reachability checks for the integration services. Each probe opens a real connection, runs one
 * round trip (`SELECT 1`, `PING`, `GET /_ping`) and closes everything it opened, whatever happens.
 *
 * `pg` and `ioredis` are imported inside the functions: protean-ts must load without them.
 */
import { request } from 'node:http';
import type * as IORedis from 'ioredis';
import type * as Pg from 'pg';

/** The outcome of one reachability check. `reason` is the driver's own error message. */
export type ProbeResult = { ok: true } | { ok: false; reason: string };

/**
 * Default time budget of one probe, in milliseconds. Short on purpose: a service that needs longer
 * than this to answer a local `SELECT 1` is not one the test suite can use.
 */
export const DEFAULT_PROBE_TIMEOUT_MS = 2_000;

/**
 * Checks that PostgreSQL answers `SELECT 1` at `url`.
 *
 * @example
 * ```ts
 * const result = await probePostgres('postgresql://postgres@127.0.0.1:5432/postgres');
 * if (!result.ok) console.error(result.reason);
 * ```
 */
export async function probePostgres(
  url: string,
  timeoutMs: number = DEFAULT_PROBE_TIMEOUT_MS,
): Promise<ProbeResult> {
  const { Client } = await importDriver<typeof Pg>('pg');
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  // Without a listener, an 'error' event after a failed connect would crash the process.
  client.on('error', () => undefined);
  try {
    await withDeadline(client.connect(), timeoutMs, 'connecting');
    await withDeadline(client.query('SELECT 1'), timeoutMs, 'running SELECT 1');
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: describeError(error) };
  } finally {
    await withDeadline(client.end(), timeoutMs, 'closing').catch(() => undefined);
  }
}

/**
 * Checks that Redis answers `PING` at `url`. The client never retries and never queues commands, so
 * an unreachable server fails fast instead of reconnecting forever.
 *
 * @example
 * ```ts
 * const result = await probeRedis('redis://127.0.0.1:6379');
 * if (!result.ok) console.error(result.reason);
 * ```
 */
export async function probeRedis(
  url: string,
  timeoutMs: number = DEFAULT_PROBE_TIMEOUT_MS,
): Promise<ProbeResult> {
  const { Redis } = await importDriver<typeof IORedis>('ioredis');
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  // ioredis rejects with "Connection is closed." and reports the real cause as an 'error' event.
  let lastError: unknown;
  redis.on('error', (error: unknown) => (lastError = error));
  try {
    await redis.connect();
    await redis.ping();
    return { ok: true };
  } catch (error) {
    return { ok: false, reason: describeError(lastError ?? error) };
  } finally {
    redis.disconnect();
  }
}

/** Where a Docker engine listens: a unix socket, or a host and port for `tcp://` engines. */
export type DockerEndpoint = { socketPath: string } | { host: string; port: number };

/**
 * Reads `DOCKER_HOST` (`unix:///path` or `tcp://host:port`) and falls back to
 * `/var/run/docker.sock`.
 *
 * @example
 * ```ts
 * dockerEndpoint('unix:///run/user/1000/docker.sock'); // { socketPath: '/run/user/1000/docker.sock' }
 * dockerEndpoint(undefined); // { socketPath: '/var/run/docker.sock' }
 * ```
 */
export function dockerEndpoint(dockerHost: string | undefined): DockerEndpoint {
  if (!dockerHost) return { socketPath: '/var/run/docker.sock' };
  if (dockerHost.startsWith('unix://')) return { socketPath: dockerHost.slice('unix://'.length) };
  if (dockerHost.startsWith('/')) return { socketPath: dockerHost };
  const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
  return { host: url.hostname, port: Number(url.port || 2375) };
}

/**
 * Checks that a Docker engine answers `GET /_ping` with `200`.
 *
 * @example
 * ```ts
 * const docker = await probeDocker(dockerEndpoint(process.env.DOCKER_HOST));
 * if (docker.ok) console.log('Testcontainers can start services');
 * ```
 */
export function probeDocker(
  endpoint: DockerEndpoint,
  timeoutMs: number = DEFAULT_PROBE_TIMEOUT_MS,
): Promise<ProbeResult> {
  return new Promise((resolve) => {
    const req = request(
      { ...endpoint, method: 'GET', path: '/_ping', timeout: timeoutMs },
      (res) => {
        res.resume();
        const status = res.statusCode ?? 0;
        resolve(
          status === 200 ? { ok: true } : { ok: false, reason: `GET /_ping answered ${status}` },
        );
      },
    );
    req.on('timeout', () =>
      req.destroy(new Error(`no answer to GET /_ping within ${timeoutMs} ms`)),
    );
    req.on('error', (error) => resolve({ ok: false, reason: describeError(error) }));
    req.end();
  });
}

/** Imports a driver, turning "not installed" into a message that says which package to add. */
async function importDriver<T>(name: 'pg' | 'ioredis'): Promise<T> {
  try {
    return (await import(name)) as T;
  } catch (error) {
    throw new Error(
      `The integration tier needs the "${name}" package, which could not be loaded ` +
        `(${describeError(error)}). Install it with \`npm i -D ${name}\`.`,
      { cause: error },
    );
  }
}

/** Rejects when `promise` has not settled within `ms`; the timer never keeps the process alive. */
function withDeadline<T>(promise: Promise<T>, ms: number, step: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms while ${step}`)), ms);
    timer.unref();
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/**
 * One line out of any thrown value. Node reports a refused connection to a name that resolves to
 * both ::1 and 127.0.0.1 as an AggregateError whose own message is empty, so its parts are used.
 */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && !error.message) {
    return error.errors.map(describeError).join('; ');
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
