import { Option } from 'commander';
import type { Command } from 'commander';
import type { Domain } from '../domain/domain.js';
import { createLogger } from '../logging/index.js';
import type { LogDestination, ProteanLogger } from '../logging/index.js';
import { SubscriptionFactory } from '../server/engine-factory.js';
import { Engine } from '../server/engine.js';
import { discoverDomain } from './discovery.js';
import { CommandFailure, ExitCode, describeError } from './exit.js';
import type { CliIo } from './io.js';
import { domainOption, parsePort } from './options.js';
import { checkShareable, parseWorkers, runWorkers } from './workers.js';

/** The signals that stop the server: the first gracefully, the next at once (exit code 1). */
export const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** One of {@link SHUTDOWN_SIGNALS}. */
export type ShutdownSignal = (typeof SHUTDOWN_SIGNALS)[number];

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
const LOG_FORMATS = ['auto', 'pretty', 'json'];

/** Options of `protean server`. */
export interface ServerOptions {
  /** The `--domain` value; see `discoverDomain()`. */
  domain?: string | undefined;
  /** Process what is there, cascades included, then exit 0. */
  testMode?: boolean | undefined;
  /** Debug logging (the level is `debug` unless `logLevel` says otherwise). */
  debug?: boolean | undefined;
  logLevel?: string | undefined;
  logFormat?: string | undefined;
  logDir?: string | undefined;
  /** Where the health endpoints listen (over `[server.health] port`); 0 picks a free port. */
  healthPort?: number | undefined;
  /** Engine processes sharing the consumer groups. @defaultValue 1 */
  workers?: number | undefined;
  /** `--workers` even with event-store subscriptions (each worker processes all of them). */
  force?: boolean | undefined;
}

/**
 * What `protean server` needs of its process, so that tests run it without real signals: where
 * signals come from and where log lines go.
 */
export interface ServerProcess {
  /** Calls `handler` on every shutdown signal until the returned function is called. */
  onSignal(handler: (signal: ShutdownSignal) => void): () => void;
  /** Told the exit code once the server is done and its log flushed. */
  exiting(code: number): void;
  /** Where console log lines go. @defaultValue `process.stdout` */
  logDestination?: LogDestination;
}

/**
 * The real process: SIGINT, SIGTERM and SIGHUP, and once done `process.exitCode`, with a safety
 * net: if something (a connection a forced shutdown left open) still holds the event loop a
 * moment later, the process exits anyway, with the same code. A signal arriving after the
 * server stopped (while the process winds down) exits at once with code 1, instead of the
 * signal's default of killing the process.
 *
 * @example
 * await runServer({ testMode: true }, processIo(), serverProcess());
 */
export function serverProcess(graceMs = 2_000): ServerProcess {
  return {
    onSignal(handler) {
      for (const signal of SHUTDOWN_SIGNALS) process.on(signal, handler);
      return () => {
        for (const signal of SHUTDOWN_SIGNALS) process.off(signal, handler);
      };
    },
    exiting(code) {
      process.exitCode = code;
      // A signal after the server stopped is a second signal: exit at once, with code 1.
      for (const signal of SHUTDOWN_SIGNALS) process.once(signal, () => process.exit(1));
      setTimeout(() => process.exit(code), graceMs).unref();
    },
  };
}

/**
 * Runs `protean server`: finds and initializes the domain, builds the logger from the flags and
 * `[logging]`, runs the {@link Engine} until a signal (or, in test mode, until no work is left),
 * and resolves with the engine's exit code. The first signal shuts down gracefully, a second one
 * at once (exit code 1).
 *
 * @throws DiscoveryError or the domain's init error (exit 1); the logger's `ConfigurationError`
 *   or `LogDirectoryError`, as a CommandFailure (exit 1).
 * @example
 * const code = await runServer({ domain: 'src/domain.ts', testMode: true }, processIo(), serverProcess());
 */
export async function runServer(
  options: ServerOptions,
  io: CliIo,
  proc: ServerProcess,
): Promise<number> {
  const { domain, source } = await discoverDomain({
    domain: options.domain,
    cwd: io.cwd,
    env: io.env,
  });
  await domain.init();
  if ((options.workers ?? 1) > 1) return runWorkerProcesses(domain, options, io, proc);
  let logger: ProteanLogger;
  try {
    logger = createServerLogger(options, io, proc, domain);
  } catch (error) {
    await domain.close();
    throw new CommandFailure(describeError(error), ExitCode.error, { cause: error });
  }
  domain.useLogger(logger.component('protean.domain'));
  const log = logger.component('protean.server');
  const engine = new Engine(domain, {
    testMode: options.testMode === true,
    debug: options.debug === true,
    // The root logger: the engine's own lines carry a `name` (a subscription's) of their own.
    logger,
    closeDomain: true,
    ...(options.healthPort === undefined ? {} : { health: { port: options.healthPort } }),
  });
  const removeListener = proc.onSignal((signal) => {
    log.info(engine.shuttingDown ? 'second signal: stopping at once' : 'shutting down', {
      signal,
    });
    void engine.shutdown();
  });
  // Signal listeners do not keep the event loop alive; an engine waiting for one must.
  const keepAlive = setInterval(() => undefined, 60_000);
  let code: number;
  try {
    // Logged once the listener is there, so that whoever waits for this line may signal at once.
    log.info('server starting', { domain: domain.name, source, ...describe(domain) });
    code = await engine.run();
  } finally {
    clearInterval(keepAlive);
    removeListener();
  }
  log.info('server stopped', { domain: domain.name, exitCode: code });
  await logger.close();
  proc.exiting(code);
  return code;
}

/** The parent of `--workers N`: checks the domain may be shared, then runs and waits for them. */
async function runWorkerProcesses(
  domain: Domain,
  options: ServerOptions,
  io: CliIo,
  proc: ServerProcess,
): Promise<number> {
  const workers = options.workers ?? 1;
  let root: ProteanLogger;
  try {
    checkShareable(domain, options.force === true);
    root = createServerLogger(options, io, proc, domain);
  } finally {
    await domain.close();
  }
  const logger = root.component('protean.server');
  logger.info('starting workers', { domain: domain.name, workers });
  const code = await runWorkers(options, workers, proc, { ...io.env });
  logger.info('workers stopped', { domain: domain.name, exitCode: code });
  await root.close();
  proc.exiting(code);
  return code;
}

function createServerLogger(
  options: ServerOptions,
  io: CliIo,
  proc: ServerProcess,
  domain: Domain,
): ProteanLogger {
  return createLogger({
    ...(options.logLevel !== undefined ? { level: options.logLevel } : {}),
    ...(options.logFormat !== undefined ? { format: options.logFormat } : {}),
    ...(options.logDir !== undefined ? { logDir: options.logDir } : {}),
    ...(proc.logDestination ? { destination: proc.logDestination } : {}),
    debug: options.debug === true,
    config: domain.config.logging,
    env: { ...io.env },
  });
}

function describe(domain: Domain): Record<string, unknown> {
  const { databases, event_store, brokers, enable_outbox } = domain.config;
  return {
    providers: {
      database: databases.default.provider,
      event_store: event_store.provider,
      broker: brokers.default.provider,
    },
    subscriptions: new SubscriptionFactory(domain).subscriptions().length,
    subscribers: domain.subscribers().length,
    outbox: enable_outbox,
  };
}

/**
 * Adds `protean server` to the program. A non-zero engine exit code ends the command with a
 * CommandFailure, so `runCli()` exits with it.
 *
 * @example
 * registerServerCommand(createProgram(), processIo());
 */
export function registerServerCommand(
  program: Command,
  io: CliIo,
  proc: () => ServerProcess = serverProcess,
): Command {
  return program
    .command('server')
    .description('run the handlers of the domain: subscriptions, command dispatchers, outbox')
    .addOption(domainOption())
    .option('--test-mode', 'process what is there, cascades included, then exit 0')
    .option('--debug', 'debug logging: subscriptions, each message, positions')
    .addOption(new Option('--log-level <level>', 'the log level').choices(LOG_LEVELS))
    .addOption(
      new Option(
        '--log-format <format>',
        'console log format (auto: pretty on a terminal)',
      ).choices(LOG_FORMATS),
    )
    .option('--log-dir <dir>', 'also write JSON log lines, rotated, into this folder')
    .addOption(
      new Option(
        '--health-port <port>',
        'port of /livez, /healthz and /readyz (0: a free one; default [server.health] port)',
      ).argParser(parsePort),
    )
    .addOption(
      new Option(
        '--workers <n>',
        'engine processes sharing the consumer groups (stream subscriptions only)',
      ).argParser(parseWorkers),
    )
    .option('--force', 'allow --workers with event-store subscriptions (each worker reads all)')
    .showHelpAfterError('(run `protean server --help` to see its options)')
    .action(async (options: ServerOptions) => {
      const code = await runServer(options, io, proc());
      if (code !== ExitCode.ok) {
        throw new CommandFailure(`the server stopped with exit code ${code} (see its log)`);
      }
    });
}
