/** `protean server`, declared: what runs it is ../server.ts, loaded when the command runs. */
import { command } from '../define.js';
import { DOMAIN_OPTION, parsePort, parseWorkers } from '../options.js';
import { service } from './service.js';

/** `protean server`: runs the domain's engine. */
export const server = command({
  name: 'server',
  description: 'run the handlers of the domain: subscriptions, command dispatchers, outbox',
  options: [
    DOMAIN_OPTION,
    { flags: '--test-mode', description: 'process what is there, cascades included, then exit 0' },
    { flags: '--debug', description: 'debug logging: subscriptions, each message, positions' },
    {
      flags: '--log-level <level>',
      description: 'the log level, over LOG_LEVEL and [logging] level',
      choices: ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'],
    },
    {
      flags: '--log-format <format>',
      description: 'console log format (auto: pretty on a terminal, JSON otherwise)',
      choices: ['auto', 'pretty', 'json'],
    },
    {
      flags: '--log-dir <dir>',
      description:
        'also write JSON log lines into this folder, rotated by size ([logging] max_bytes, ' +
        'backup_count) (default: PROTEAN_LOG_DIR, else [logging] log_dir)',
    },
    {
      flags: '--health-port <port>',
      description:
        'port of /livez, /healthz and /readyz (0: a free one; default [server.health] port)',
      parse: parsePort,
    },
    {
      flags: '--workers <n>',
      description:
        'run n engine processes (1 to 64) sharing the consumer groups; refused when the domain ' +
        'has event-store subscriptions, unless --force',
      parse: parseWorkers,
    },
    {
      flags: '--force',
      description:
        'allow --workers with event-store subscriptions (every worker then processes every one ' +
        'of their messages)',
    },
    {
      flags: '--daemon',
      description:
        'run detached, in the background, logging only to files: needs --log-dir (or ' +
        'PROTEAN_LOG_DIR); the command returns once the server has started',
    },
    {
      flags: '--pid-file <path>',
      description:
        'write the PID there while running (with --daemon, default <log-dir>/protean-server.pid); ' +
        'refused when it names a running server, replaced when stale',
    },
  ],
  commands: [service],
  run: async ({ options, io }): Promise<void> =>
    (await import('../server.js')).runServerCommand(options, io),
});
