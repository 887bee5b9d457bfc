/**
 * The engine's health endpoints (`[server.health]`), on `node:http` alone: `GET /livez` and
 * `GET /healthz` answer 200 while the event loop does; `GET /readyz` answers 200 with the
 * readiness report when ready, 503 with it otherwise.
 */
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationError } from '../core/errors.js';
import { defaultLogger } from '../ports/logger.js';
import type { Logger } from '../ports/logger.js';
import type { ReadinessReport } from './readiness.js';

/** Options of {@link HealthServer}. */
export interface HealthServerOptions {
  /** The interface to listen on (`[server.health] host`). @defaultValue '127.0.0.1' */
  readonly host?: string;
  /** The port (`[server.health] port`); 0 picks a free one. @defaultValue 8080 */
  readonly port?: number;
  /** Builds the body of `GET /readyz`, e.g. `() => checkReadiness(domain, { shuttingDown })`. */
  readonly readiness: () => Promise<ReadinessReport>;
  /** Where the server says where it listens and what failed. @defaultValue the default logger */
  readonly logger?: Logger;
}

/** Where a started {@link HealthServer} listens. */
export interface HealthAddress {
  readonly host: string;
  readonly port: number;
  /** e.g. `http://127.0.0.1:8080` (IPv6 hosts in brackets). */
  readonly url: string;
}

const LIVENESS_PATHS = new Set(['/livez', '/healthz']);
const READINESS_PATH = '/readyz';
const ALLOWED_METHODS = 'GET, HEAD';
const FIX =
  'change [server.health] port (or host) in domain.toml, or pass --health-port (0 picks a free port)';

/**
 * The HTTP server of the health endpoints. Other paths answer 404, other methods 405; every body
 * is JSON. `close()` also ends open keep-alive connections, so it returns at once.
 *
 * @example
 * let shuttingDown = false;
 * const health = new HealthServer({
 *   host: '127.0.0.1',
 *   port: 8080,
 *   readiness: () => checkReadiness(domain, { shuttingDown }),
 *   logger,
 * });
 * const { url } = await health.start(); // http://127.0.0.1:8080
 * // ... on SIGTERM: shuttingDown = true (readyz turns 503), drain, then:
 * await health.close();
 */
export class HealthServer {
  readonly #host: string;
  readonly #port: number;
  readonly #readiness: () => Promise<ReadinessReport>;
  readonly #logger: Logger;
  #starting: Promise<{ server: Server; address: HealthAddress }> | undefined;

  constructor(options: HealthServerOptions) {
    this.#host = checkHost(options.host ?? '127.0.0.1');
    this.#port = checkPort(options.port ?? 8080);
    this.#readiness = options.readiness;
    this.#logger = options.logger ?? defaultLogger();
  }

  /**
   * Listens; resolves with the bound address (calling it again resolves with the same one).
   * Rejects with a `ConfigurationError` naming `host:port` when it cannot listen there.
   */
  async start(): Promise<HealthAddress> {
    this.#starting ??= this.#listen().catch((error: unknown) => {
      this.#starting = undefined;
      throw error;
    });
    return (await this.#starting).address;
  }

  /** Stops listening and ends every open connection; idempotent. */
  async close(): Promise<void> {
    const starting = this.#starting;
    this.#starting = undefined;
    const started = await starting?.catch(() => undefined);
    if (!started) return;
    const { server } = started;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  }

  async #listen(): Promise<{ server: Server; address: HealthAddress }> {
    const server = createServer((request, response) => this.#respond(request, response));
    await listen(server, this.#host, this.#port);
    server.on('error', (error) => {
      this.#logger.error(`the health server failed: ${error.message}`, { error: error.message });
    });
    const address = addressOf(server);
    this.#logger.info(`health endpoints listening on ${address.url} (/livez, /healthz, /readyz)`, {
      host: address.host,
      port: address.port,
    });
    return { server, address };
  }

  #respond(request: IncomingMessage, response: ServerResponse): void {
    this.#route(request, response).catch((error: unknown) => {
      this.#logger.error(`the health server could not answer ${request.url}: ${reasonOf(error)}`);
      if (!response.headersSent) send(response, 500, { error: reasonOf(error) });
      else response.destroy();
    });
  }

  async #route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    const live = LIVENESS_PATHS.has(path);
    if (!live && path !== READINESS_PATH) {
      send(response, 404, {
        error: `no endpoint at ${path}; the health server answers GET /livez, /healthz, /readyz`,
      });
    } else if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', ALLOWED_METHODS);
      send(response, 405, { error: `${request.method} is not allowed on ${path}; use GET` });
    } else if (live) {
      send(response, 200, { status: 'ok' });
    } else {
      const report = await this.#report();
      send(response, report.ready ? 200 : 503, report);
    }
  }

  /** The readiness report; one that cannot be built is a not-ready report saying why. */
  async #report(): Promise<ReadinessReport> {
    try {
      return await this.#readiness();
    } catch (error) {
      this.#logger.error(`the readiness check failed: ${reasonOf(error)}`);
      return { ready: false, checks: {}, shuttingDown: false, error: reasonOf(error) };
    }
  }
}

/** Listens, turning a failure (EADDRINUSE, EACCES, ...) into a `ConfigurationError`. */
function listen(server: Server, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      server.off('listening', onListening);
      reject(listenError(error, host, port));
    };
    const onListening = () => {
      server.off('error', onError);
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

function listenError(error: NodeJS.ErrnoException, host: string, port: number): ConfigurationError {
  const why =
    error.code === 'EADDRINUSE'
      ? 'the address is already in use (EADDRINUSE): another process (or another engine) ' +
        'listens there'
      : `${error.message}${error.code ? ` (${error.code})` : ''}`;
  const problem = new ConfigurationError(
    `the health server cannot listen on ${host}:${port}: ${why}; ${FIX}.`,
  );
  problem.cause = error;
  return problem;
}

function addressOf(server: Server): HealthAddress {
  const { address, family, port } = server.address() as AddressInfo;
  const host = family === 'IPv6' ? `[${address}]` : address;
  return { host: address, port, url: `http://${host}:${port}` };
}

function send(response: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(json),
    'cache-control': 'no-store',
  });
  response.end(json);
}

function checkHost(host: unknown): string {
  if (typeof host === 'string' && host.trim() !== '') return host;
  throw new ConfigurationError(
    `[server.health] host must be an interface to listen on, such as "127.0.0.1" or "0.0.0.0", ` +
      `received ${JSON.stringify(host)}; leave it out for the default ("127.0.0.1").`,
  );
}

function checkPort(port: unknown): number {
  if (typeof port === 'number' && Number.isInteger(port) && port >= 0 && port <= 65535) {
    return port;
  }
  throw new ConfigurationError(
    `[server.health] port must be a whole number from 0 to 65535 (0 picks a free port), ` +
      `received ${JSON.stringify(port)}; leave it out for the default (8080).`,
  );
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
