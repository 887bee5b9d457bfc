import { resolve } from 'node:path';
import type { Domain } from '../domain/domain.js';
import { createLogger } from '../logging/index.js';
import type { LogDestination, ProteanLogger } from '../logging/index.js';
import { SubscriptionFactory } from '../server/engine-factory.js';
import { Engine } from '../server/engine.js';
import type { server } from './commands/server.js';
import type { OptionsOf } from './define.js';
import { discoverDomain } from './discovery.js';
import { CommandFailure, ExitCode, describeError } from './exit.js';
import type { CliIo } from './io.js';
import { DAEMON_ENV, reportStarted, startDaemon } from './daemon.js';
import { removePidFile, writePidFile } from './pid-file.js';
import { checkShareable, runWorkers } from './workers.js';

/** The signals that stop the server: the first gracefully, the next at once (exit code 1). */
export const SHUTDOWN_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/** One of {@link SHUTDOWN_SIGNALS}. */
export type ShutdownSignal = (typeof SHUTDOWN_SIGNALS)[number];

/**
 * Options of `protean server`, as declared in commands/server.ts: `domain`, `testMode`, `debug`,
 * `logLevel`, `logFormat`, `logDir`, `healthPort`, `workers` (1 unless given), `force`, `daemon`
 * and `pidFile`.
 */
export type ServerOptions = OptionsOf<typeof server>;

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
  /** Told once the server has started (its signal handling is in place). */
  started?(): void;
  /** A detached server (`--daemon`): `--workers` children log only to their files too. */
  detached?: boolean;
}

/**
 * The real process: SIGINT, SIGTERM and SIGHUP, and once done `process.exitCode`, with a safety
 * net: if something (a connection a forced shutdown left open) still holds the event loop a
 * moment later, the process exits anyway, with the same code. A signal arriving after the
 * server stopped (while the process winds down) exits at once with code 1, instead of the
 * signal's default of killing the process.
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
    proc.started?.();
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
  const running = runWorkers(options, workers, proc, { ...io.env });
  proc.started?.();
  const code = await running;
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
 * What `protean server` does: {@link runServer} in the real process, holding its PID file
 * (`--pid-file`) while it runs; with `--daemon`, starts it detached instead (see daemon.ts). A
 * non-zero engine exit code ends the command with a CommandFailure, so `runCli()` exits with it.
 */
export async function runServerCommand(
  options: ServerOptions,
  io: CliIo,
  proc?: ServerProcess,
): Promise<void> {
  if (options.daemon) return startDaemon(options, io);
  // Set by `--daemon` for the server it starts, and for that one alone (not its workers).
  const { [DAEMON_ENV]: detachedPidFile, ...env } = io.env;
  const pidFile = detachedPidFile ?? (options.pidFile && resolve(io.cwd, options.pidFile));
  if (pidFile) {
    writePidFile(pidFile);
    // Also on a crash or process.exit(); only SIGKILL leaves it behind (then it is stale).
    process.once('exit', () => removePidFile(pidFile));
  }
  let code: number;
  try {
    code = await runServer(options, { ...io, env }, proc ?? realProcess(detachedPidFile));
  } finally {
    if (pidFile) removePidFile(pidFile);
  }
  if (code !== ExitCode.ok) {
    throw new CommandFailure(`the server stopped with exit code ${code} (see its log)`);
  }
}

/** The real process; detached (by `--daemon`), it has no console and reports when started. */
function realProcess(detached: string | undefined): ServerProcess {
  if (detached === undefined) return serverProcess();
  return {
    ...serverProcess(),
    logDestination: { write: () => undefined },
    started: reportStarted,
    detached: true,
  };
}
