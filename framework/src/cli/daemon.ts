/**
 * `protean server --daemon`: the command starts the server again as a detached process (its own
 * session, no terminal, console output to a file), waits until it has started (or failed to),
 * reports, and returns; the server writes its PID file and logs only to files.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LOG_FILE_NAME } from '../logging/index.js';
import { CommandFailure, ExitCode, describeError } from './exit.js';
import type { CliIo } from './io.js';
import { refuseLivePidFile } from './pid-file.js';
import { sharedServerArguments } from './server-arguments.js';
import type { ServerOptions } from './server.js';

const BIN = fileURLToPath(new URL('../../bin/protean.js', import.meta.url));

/** Tells the detached server the PID file it writes (and that it is the detached one). */
export const DAEMON_ENV = 'PROTEAN_DAEMON_PID_FILE';

/** The PID file when `--pid-file` is not given, in the log folder. */
export const DEFAULT_PID_FILE_NAME = 'protean-server.pid';

/** Where the detached server's stray console output (a crash's stack trace) goes. */
export const CONSOLE_FILE_NAME = 'protean-server.out';

/** What the detached server tells the command once it has started. */
export const READY_MESSAGE = 'protean-server-started';

/** Where a detached server keeps its files, all absolute. */
export interface DaemonPaths {
  readonly logDir: string;
  readonly pidFile: string;
  readonly consoleFile: string;
}

/**
 * The log folder and PID file of `--daemon`: `--log-dir` or `PROTEAN_LOG_DIR`, and `--pid-file`
 * or `<log-dir>/protean-server.pid`.
 *
 * @throws CommandFailure (exit 2) without a log folder: a detached server has no console.
 */
export function daemonPaths(options: ServerOptions, io: CliIo): DaemonPaths {
  const given = nonEmpty(options.logDir) ?? nonEmpty(io.env['PROTEAN_LOG_DIR']);
  if (given === undefined) {
    throw new CommandFailure(
      '--daemon needs a log folder, since a detached server has no console: pass --log-dir ' +
        '<dir> (or set PROTEAN_LOG_DIR)',
      ExitCode.usage,
    );
  }
  const logDir = resolve(io.cwd, given);
  return {
    logDir,
    pidFile: resolve(io.cwd, options.pidFile ?? join(logDir, DEFAULT_PID_FILE_NAME)),
    consoleFile: join(logDir, CONSOLE_FILE_NAME),
  };
}

/** The `protean` arguments of the detached server: the command's, less `--daemon`. */
export function daemonArguments(options: ServerOptions, logDir: string): string[] {
  const args = sharedServerArguments(options);
  args.push('--log-dir', logDir);
  if (options.healthPort !== undefined) args.push('--health-port', String(options.healthPort));
  if (options.workers !== undefined) args.push('--workers', String(options.workers));
  if (options.force) args.push('--force');
  return args;
}

/**
 * Runs `protean server --daemon`: refuses a live PID file (exit 1), starts the detached server
 * and resolves once it has started, printing its PID and files. A server that stops while
 * starting fails the command with its exit code and what it printed.
 */
export async function startDaemon(options: ServerOptions, io: CliIo): Promise<void> {
  const paths = daemonPaths(options, io);
  const found = refuseLivePidFile(paths.pidFile);
  const consoleFd = openConsoleFile(paths);
  const since = statSync(paths.consoleFile).size;
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [BIN, ...daemonArguments(options, paths.logDir)], {
      cwd: io.cwd,
      env: { ...io.env, [DAEMON_ENV]: paths.pidFile },
      detached: true,
      stdio: ['ignore', consoleFd, consoleFd, 'ipc'],
    });
  } finally {
    closeSync(consoleFd);
  }
  const code = await startedOrExited(child);
  if (code !== undefined) {
    const said = readFileSync(paths.consoleFile, 'utf8').slice(since).trim();
    throw new CommandFailure(
      `the server stopped while starting, with exit code ${code}` +
        (said ? `:\n${said}` : ` (see ${join(paths.logDir, LOG_FILE_NAME)})`),
      code === ExitCode.usage ? ExitCode.usage : ExitCode.error,
    );
  }
  child.disconnect();
  child.unref();
  const stale = found.state === 'stale' ? ' (it replaced a stale one)' : '';
  io.out(
    `protean server is running in the background as PID ${child.pid}\n` +
      `  PID file: ${paths.pidFile}${stale}\n` +
      `  logs:     ${join(paths.logDir, LOG_FILE_NAME)}\n` +
      `  stop it:  kill -TERM ${child.pid}\n`,
  );
}

/**
 * In the detached server, once it has started: tells the waiting command and lets it go. Does
 * nothing in a server that was not started by `--daemon` (or whose command is gone).
 */
export function reportStarted(): void {
  if (!process.send || !process.connected) return;
  process.send(READY_MESSAGE, () => {
    if (process.connected) process.disconnect();
  });
}

/** Resolves with nothing once the server says it started, or with its exit code if it stops. */
function startedOrExited(child: ChildProcess): Promise<number | undefined> {
  return new Promise((resolve) => {
    child.on('message', (message) => {
      if (message === READY_MESSAGE) resolve(undefined);
    });
    child.once('exit', (code) => resolve(code ?? ExitCode.error));
    child.once('error', () => resolve(ExitCode.error));
  });
}

function openConsoleFile(paths: DaemonPaths): number {
  try {
    mkdirSync(paths.logDir, { recursive: true });
    return openSync(paths.consoleFile, 'a');
  } catch (error) {
    throw new CommandFailure(
      `cannot write to the log folder ${paths.logDir} (${describeError(error)}): create it and ` +
        'give this user write access, or pass another --log-dir',
      ExitCode.error,
      { cause: error },
    );
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
