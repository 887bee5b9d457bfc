/**
 * `protean server --daemon`: the command returns once a detached server has started; that server
 * holds its PID file, logs only to its folder, works, and stops on SIGTERM with exit code 0,
 * removing its PID file. A live PID file refuses a second server; a stale one is replaced.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { isProteanRunning } from '../../../src/cli/pid-file.js';
import { LOG_FILE_NAME } from '../../../src/logging/index.js';
import { describeIntegration } from '../../../src/testing/index.js';
import { eventually } from '../../fixtures/eventually.js';
import { Scene, deposit, drained, protean } from './harness.js';

const scene = new Scene();
let dir: string;
const daemons: number[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'protean-daemon-'));
});
afterEach(async () => {
  for (const pid of daemons.splice(0)) if (isProteanRunning(pid)) process.kill(pid, 'SIGKILL');
  await scene.close();
  await rm(dir, { recursive: true, force: true });
});

/** The JSON lines of the log file in `logDir` ([] before there is one). */
async function logLines(logDir: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(logDir, LOG_FILE_NAME), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

/** Starts `protean server --daemon` on the scene's ledger; resolves with the server's PID. */
async function startDaemon(
  env: Record<string, string | undefined>,
  logDir: string,
  pidFile: string,
) {
  const started = await protean(env, [
    'server',
    '--daemon',
    '--log-dir',
    logDir,
    '--pid-file',
    pidFile,
  ]);
  expect(started, started.stderr).toMatchObject({ code: 0 });
  const pid = Number((await readFile(pidFile, 'utf8')).trim());
  daemons.push(pid);
  return { pid, stdout: started.stdout };
}

describeIntegration('protean server --daemon', () => {
  it('detaches, holds its PID file, logs to its folder, and stops on SIGTERM with exit code 0', async () => {
    const world = await scene.open();
    const logDir = join(dir, 'logs');
    const pidFile = join(dir, 'run/ledger.pid');
    const { pid, stdout } = await startDaemon(world.env, logDir, pidFile);
    expect(stdout).toContain(`running in the background as PID ${pid}`);
    expect(isProteanRunning(pid)).toBe(true);
    const starting = (await logLines(logDir)).find((line) => line['msg'] === 'server starting');
    expect(starting).toMatchObject({ pid, domain: 'ledger' });
    // Only to files: no console lines, not even in the file that catches stray output.
    const consoleFile = await readFile(join(logDir, 'protean-server.out'), 'utf8');
    expect(consoleFile).not.toContain('server starting');

    // Detached, it works: the deposits reach the projection through the outbox and Redis.
    const expected = await deposit(world, 20);
    expect(await drained(world, expected)).toEqual(expected);

    process.kill(pid, 'SIGTERM');
    await eventually(() => !isProteanRunning(pid), { what: `PID ${pid} to end` });
    const stopped = (await logLines(logDir)).find((line) => line['msg'] === 'server stopped');
    expect(stopped).toMatchObject({ pid, exitCode: 0 });
    expect(existsSync(pidFile)).toBe(false);
  }, 90_000);

  it('refuses to start while its PID file names a running server (exit 1)', async () => {
    const world = await scene.open();
    const logDir = join(dir, 'logs');
    const pidFile = join(dir, 'ledger.pid');
    const { pid } = await startDaemon(world.env, logDir, pidFile);

    const second = await protean(world.env, [
      'server',
      '--daemon',
      '--log-dir',
      logDir,
      '--pid-file',
      pidFile,
    ]);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`a server is already running as PID ${pid}`);
    expect((await readFile(pidFile, 'utf8')).trim()).toBe(String(pid));
    expect(isProteanRunning(pid)).toBe(true);
  }, 60_000);

  it('replaces a stale PID file', async () => {
    const world = await scene.open();
    const pidFile = join(dir, 'ledger.pid');
    await writeFile(pidFile, 'left by a server that was killed\n');
    const { pid, stdout } = await startDaemon(world.env, join(dir, 'logs'), pidFile);
    expect(stdout).toContain('it replaced a stale one');
    expect(isProteanRunning(pid)).toBe(true);
  }, 60_000);

  it('is refused without a log folder, as bad usage (exit 2)', async () => {
    const world = await scene.open();
    const outcome = await protean(world.env, ['server', '--daemon']);
    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toContain('--daemon needs a log folder');
  }, 30_000);
});
