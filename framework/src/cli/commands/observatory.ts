/** `protean observatory`, declared: ../observatory.ts runs it. */
import { command } from '../define.js';
import { parsePort } from '../options.js';

/** `protean observatory`: the monitoring server of one or more domains. */
export const observatory = command({
  name: 'observatory',
  description:
    'serve a live dashboard, the trace as Server-Sent Events, a JSON API and Prometheus ' +
    'metrics for one or more domains',
  options: [
    {
      flags: '--domain <spec...>',
      description:
        'a domain to watch, as for every command (repeat it to watch several: --domain ' +
        'src/identity --domain src/catalogue; default: PROTEAN_DOMAIN, else the one here)',
    },
    {
      flags: '--host <host>',
      description:
        'the address to listen on (default [observatory] host, 127.0.0.1); beyond loopback, ' +
        'set [observatory] token',
    },
    {
      flags: '--port <port>',
      description: 'the port to listen on (0: a free one; default [observatory] port, 9000)',
      parse: parsePort,
    },
  ],
  helpAfter: `
Endpoints: GET / (dashboard), GET /stream (SSE of trace events; filters domain, stream,
event, type as globs), GET /api/health, /api/outbox, /api/streams, /api/stats,
/api/subscriptions, /api/dlq, POST /api/dlq/replay, GET /metrics (Prometheus).
With [observatory] token set, every request needs Authorization: Bearer <token>.
Stops on SIGINT or SIGTERM.`,
  run: async ({ options, io }): Promise<void> =>
    (await import('../observatory.js')).runObservatory(options, io),
});
