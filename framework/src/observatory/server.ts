/**
 * The observatory: a monitoring server for one or more domains (`protean observatory`). Plain
 * `node:http`: the dashboard, the trace as Server-Sent Events, a JSON API and Prometheus metrics.
 */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { IncorrectUsageError } from '../core/errors.js';
import type { Domain } from '../domain/domain.js';
import type { Logger } from '../ports/logger.js';
import type { TraceChannel, TraceEvent } from '../ports/trace.js';
import { openTraceChannel } from '../server/trace.js';
import { checkAction, checkRequest, isLoopback } from './auth.js';
import type { AccessPolicy } from './auth.js';
import { traceFilter } from './filters.js';
import { readJson, refuse, send, sendDashboard, sendError, sendJson } from './http.js';
import { ObservatoryMetrics } from './metrics.js';
import * as routes from './routes.js';
import type { ObservatoryState } from './routes.js';
import { SseHub } from './sse.js';
import { TraceStats } from './stats.js';
import { WatchedDomain } from './watch.js';
import type { BrokerInfoSource } from './watch.js';

/** Options of {@link Observatory}. */
export interface ObservatoryOptions {
  /** The domains to watch (initialized by `start()` if needed); their names must differ. */
  readonly domains: readonly Domain[];
  /** Where to listen. @defaultValue the first domain's `[observatory] host` (127.0.0.1) */
  readonly host?: string;
  /** 0 picks a free port. @defaultValue the first domain's `[observatory] port` (9000) */
  readonly port?: number;
  /** Every request must carry it. @defaultValue `[observatory] token` of the domains */
  readonly token?: string;
  /** @defaultValue the first domain's logger */
  readonly logger?: Logger;
  /** How long a reading of the domains serves every request. @defaultValue 1000 */
  readonly refreshMs?: number;
  /** Each domain's trace channel. @defaultValue `openTraceChannel(domain)` */
  readonly trace?: (domain: Domain) => Promise<TraceChannel>;
}

/** Where an observatory listens. */
export interface ObservatoryAddress {
  readonly host: string;
  readonly port: number;
  /** `http://<host>:<port>/`. */
  readonly url: string;
}

const VERSION = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  }
).version;

/**
 * Serves `GET /` (the dashboard), `GET /stream` (SSE), `GET /api/health|outbox|streams|stats|
 * subscriptions|dlq`, `POST /api/dlq/replay` and `GET /metrics` for its domains.
 *
 * @example
 * const observatory = new Observatory({ domains: [domain], port: 9000 });
 * const { url } = await observatory.start(); // 'http://127.0.0.1:9000/'
 * // ... later
 * await observatory.close();
 */
export class Observatory {
  readonly #options: ObservatoryOptions;
  readonly #sse = new SseHub();
  readonly #unsubscribe: (() => Promise<void>)[] = [];
  readonly #channels: TraceChannel[] = [];
  #state: ObservatoryState | undefined;
  #policy: AccessPolicy | undefined;
  #server: Server | undefined;
  #address: ObservatoryAddress | undefined;

  constructor(options: ObservatoryOptions) {
    if (options.domains.length === 0) {
      throw new IncorrectUsageError('an observatory needs at least one domain to watch');
    }
    const names = options.domains.map((domain) => domain.name);
    const twice = names.find((name, n) => names.indexOf(name) !== n);
    if (twice !== undefined) {
      throw new IncorrectUsageError(
        `two watched domains are both named '${twice}': each domain's name labels its figures, ` +
          'so they must differ.',
      );
    }
    this.#options = options;
  }

  /** Where it listens, once started. */
  get address(): ObservatoryAddress | undefined {
    return this.#address;
  }

  /** Initializes the domains, subscribes to their traces and listens. */
  async start(): Promise<ObservatoryAddress> {
    if (this.#address) return this.#address;
    const { domains } = this.#options;
    for (const domain of domains) await domain.init();
    const first = domains[0]!;
    const host = this.#options.host ?? first.config.observatory.host;
    const port = this.#options.port ?? first.config.observatory.port;
    const token = this.#options.token ?? configuredToken(domains);
    this.#policy = { token, loopback: isLoopback(host) };
    const refreshMs = this.#options.refreshMs ?? 1_000;
    const watched = await Promise.all(
      domains.map(async (domain) => new WatchedDomain(domain, await infoSource(domain), refreshMs)),
    );
    const stats = new TraceStats();
    const metrics = new ObservatoryMetrics();
    this.#state = { domains: watched, stats, metrics, version: VERSION, startedAt: Date.now() };
    await this.#subscribe((event) => {
      stats.record(event);
      metrics.record(event);
      this.#sse.publish(event);
    });
    this.#address = await this.#listen(host, port);
    this.#warnIfOpen();
    this.#logger.info('observatory listening', {
      url: this.#address.url,
      domains: domains.map((domain) => domain.name),
    });
    return this.#address;
  }

  /** Stops listening, ends the streams, unsubscribes from the traces. Leaves the domains open. */
  async close(): Promise<void> {
    this.#sse.close();
    const server = this.#server;
    this.#server = undefined;
    this.#address = undefined;
    if (server) {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
    for (const stop of this.#unsubscribe.splice(0)) await stop().catch(() => undefined);
    for (const channel of this.#channels.splice(0)) await channel.close().catch(() => undefined);
    for (const watched of this.#state?.domains ?? []) await watched.close().catch(() => undefined);
  }

  get #logger(): Logger {
    return this.#options.logger ?? this.#options.domains[0]!.logger;
  }

  async #subscribe(listener: (event: TraceEvent) => void): Promise<void> {
    const open = this.#options.trace ?? openTraceChannel;
    for (const domain of this.#options.domains) {
      const channel = await open(domain);
      if (!this.#options.trace) this.#channels.push(channel);
      this.#unsubscribe.push(await channel.subscribe(listener));
    }
  }

  #listen(host: string, port: number): Promise<ObservatoryAddress> {
    const server = createServer((request, response) => void this.#handle(request, response));
    this.#server = server;
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        const bound = (server.address() as AddressInfo).port;
        const shown = host.includes(':') ? `[${host}]` : host;
        resolve({ host, port: bound, url: `http://${shown}:${bound}/` });
      });
    });
  }

  #warnIfOpen(): void {
    const policy = this.#policy!;
    if (policy.loopback || policy.token !== undefined) return;
    this.#logger.warn(
      'the observatory listens beyond loopback without a token: anyone who reaches this ' +
        'address sees your domains; set [observatory] token in domain.toml (dead-letter ' +
        'replays are refused until then)',
      { host: this.#address?.host },
    );
  }

  async #handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const state = this.#state!;
    const url = new URL(request.url ?? '/', 'http://observatory');
    try {
      const refused = checkRequest(request, this.#policy!);
      if (refused) return refuse(response, refused);
      await this.#route(request, response, url, state);
    } catch (error) {
      sendError(response, error);
    }
  }

  async #route(
    request: IncomingMessage,
    response: ServerResponse,
    url: URL,
    state: ObservatoryState,
  ): Promise<void> {
    const key = `${request.method ?? 'GET'} ${url.pathname}`;
    const api = API[key];
    if (api) return sendJson(response, 200, await api(state, url.searchParams));
    switch (key) {
      case 'GET /':
        return sendDashboard(response);
      case 'GET /stream':
        return this.#sse.open(request, response, traceFilter(url.searchParams));
      case 'GET /metrics':
        return send(
          response,
          200,
          'text/plain; version=0.0.4; charset=utf-8',
          await routes.metrics(state),
        );
      case 'POST /api/dlq/replay': {
        const refused = checkAction(request, this.#policy!);
        if (refused) return refuse(response, refused);
        return sendJson(response, 200, await routes.replay(state, await readJson(request)));
      }
    }
    const known = [
      ...Object.keys(API),
      'GET /',
      'GET /stream',
      'GET /metrics',
      'POST /api/dlq/replay',
    ];
    const path = known.find((entry) => entry.endsWith(` ${url.pathname}`));
    if (path)
      return sendJson(response, 405, { error: `use ${path.split(' ')[0]} for ${url.pathname}` });
    sendJson(response, 404, { error: `no such endpoint: ${url.pathname}` });
  }
}

type Api = (state: ObservatoryState, params: URLSearchParams) => Promise<unknown>;

const API: Readonly<Record<string, Api>> = {
  'GET /api/health': routes.health,
  'GET /api/outbox': routes.outbox,
  'GET /api/streams': routes.streams,
  'GET /api/stats': routes.stats,
  'GET /api/subscriptions': routes.subscriptions,
  'GET /api/dlq': routes.deadLetters,
};

/** The one token of the domains' `[observatory]` tables; two different ones are an error. */
function configuredToken(domains: readonly Domain[]): string | undefined {
  const tokens = new Set(
    domains.map((domain) => domain.config.observatory.token).filter((token) => !!token),
  );
  if (tokens.size > 1) {
    throw new IncorrectUsageError(
      'the watched domains set different [observatory] tokens; one observatory has one token: ' +
        'set the same one in each domain.toml, or pass it to the observatory',
    );
  }
  return [...tokens][0];
}

/** A reader of the Redis server behind the domain's broker, if it is on Redis. */
async function infoSource(domain: Domain): Promise<BrokerInfoSource | undefined> {
  const broker = domain.config.brokers['default'];
  if (!broker || !['redis', 'redis_pubsub'].includes(broker.provider)) return undefined;
  const { createRedisInfoReader } = await import('../adapters/redis/server-info.js');
  return createRedisInfoReader(broker);
}
