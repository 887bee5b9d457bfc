/**
 * The PID file of `protean server --pid-file` (and `--daemon`): one number and a newline. A file
 * naming a running `protean` process is live and refuses a second server; anything else (no such
 * process, a zombie, a number reused by another program, garbage) is stale and is replaced.
 */
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { CommandFailure, ExitCode, describeError } from './exit.js';

/** What a PID file says. */
export type PidFileState =
  | { readonly state: 'absent' }
  | { readonly state: 'stale'; readonly pid?: number }
  | { readonly state: 'live'; readonly pid: number };

/**
 * Whether `pid` is a running protean process. On Linux `/proc` tells a zombie (state Z) and a
 * number reused by another program (its command line does not mention protean) apart from ours.
 */
export function isProteanRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, as another user's process.
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const stat = readProc(pid, 'stat');
  // The state follows the command name, which is in parentheses and may hold spaces.
  if (stat !== undefined && stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z')) return false;
  const commandLine = readProc(pid, 'cmdline');
  return commandLine === undefined || commandLine.includes('protean');
}

/** What the PID file at `path` says, judged by `running`. */
export function readPidFile(
  path: string,
  running: (pid: number) => boolean = isProteanRunning,
): PidFileState {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { state: 'absent' };
    throw new CommandFailure(`cannot read the PID file ${path}: ${describeError(error)}`);
  }
  const pid = Number(text.trim());
  if (!Number.isInteger(pid) || pid <= 0) return { state: 'stale' };
  return running(pid) ? { state: 'live', pid } : { state: 'stale', pid };
}

/**
 * Fails (exit 1) when `path` names a running server, saying how to stop it.
 *
 * @returns the state found: `absent` or `stale`.
 */
export function refuseLivePidFile(
  path: string,
  running: (pid: number) => boolean = isProteanRunning,
): PidFileState {
  const found = readPidFile(path, running);
  if (found.state !== 'live') return found;
  throw new CommandFailure(
    `a server is already running as PID ${found.pid} (PID file ${path}): stop it first ` +
      `(kill -TERM ${found.pid}), or give this one another --pid-file`,
    ExitCode.error,
  );
}

/**
 * Writes `pid` into `path` (its folder made if needed), replacing a stale file.
 *
 * @throws CommandFailure (exit 1) when a running server holds it, or it cannot be written.
 */
export function writePidFile(path: string, pid: number = process.pid): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    // `wx`: two servers starting at once cannot both take it.
    writeFileSync(path, `${pid}\n`, { flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') {
      throw new CommandFailure(`cannot write the PID file ${path}: ${describeError(error)}`, 1, {
        cause: error,
      });
    }
    refuseLivePidFile(path, (other) => other !== pid && isProteanRunning(other));
    unlinkSync(path);
    writePidFile(path, pid);
  }
}

/** Removes `path` if it still names `pid` (a newer server may have replaced it). */
export function removePidFile(path: string, pid: number = process.pid): void {
  try {
    if (readFileSync(path, 'utf8').trim() === String(pid)) unlinkSync(path);
  } catch {
    // Gone already, or unreadable: nothing of ours to remove.
  }
}

function readProc(pid: number, file: string): string | undefined {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch {
    return undefined;
  }
}
