/**
 * `protean server --daemon` and `--pid-file`, the parts that need no server: where the files go,
 * what the detached server is started with, and how a PID file is judged, taken and given back.
 * tests/server/e2e/daemon.e2e.spec.ts runs real detached servers.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { daemonArguments, daemonPaths } from '../../src/cli/daemon.js';
import { completeIo } from '../../src/cli/io.js';
import {
  isProteanRunning,
  readPidFile,
  removePidFile,
  writePidFile,
} from '../../src/cli/pid-file.js';
import { runCli } from '../../src/cli/program.js';
import { captureIo } from './fixtures.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'protean-daemon-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** The PID of a process that has ended. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid!;
}

describe('protean server --daemon: its files and arguments', () => {
  it('is refused without a log folder, as bad usage (exit 2), before loading anything', async () => {
    const { io, output } = captureIo({ cwd: dir, env: {} });
    expect(await runCli(['server', '--daemon'], io)).toBe(2);
    expect(output.stderr).toContain('--daemon needs a log folder');
    expect(output.stderr).toContain('--log-dir');
  });

  it('takes PROTEAN_LOG_DIR as the log folder, and keeps the PID file there by default', () => {
    const io = completeIo(captureIo({ cwd: dir, env: { PROTEAN_LOG_DIR: 'logs' } }).io);
    expect(daemonPaths({ daemon: true }, io)).toEqual({
      logDir: join(dir, 'logs'),
      pidFile: join(dir, 'logs/protean-server.pid'),
      consoleFile: join(dir, 'logs/protean-server.out'),
    });
  });

  it('prefers --log-dir and --pid-file, resolved from the working folder', () => {
    const io = completeIo(captureIo({ cwd: dir, env: { PROTEAN_LOG_DIR: 'logs' } }).io);
    const paths = daemonPaths({ daemon: true, logDir: 'var/log', pidFile: 'run/shop.pid' }, io);
    expect(paths).toMatchObject({
      logDir: join(dir, 'var/log'),
      pidFile: join(dir, 'run/shop.pid'),
    });
  });

  it('starts the detached server with the same options, less --daemon and --pid-file', () => {
    const args = daemonArguments(
      {
        daemon: true,
        pidFile: 'x.pid',
        domain: 'src/shop.ts',
        logLevel: 'debug',
        healthPort: 9090,
        workers: 2,
        logDir: 'relative',
      },
      '/var/log/shop',
    );
    expect(args).toEqual([
      'server',
      '--domain',
      'src/shop.ts',
      '--log-level',
      'debug',
      '--log-dir',
      '/var/log/shop',
      '--health-port',
      '9090',
      '--workers',
      '2',
    ]);
  });
});

describe('the PID file', () => {
  it('is absent, stale (garbage, or a process that ended) or live', async () => {
    const file = join(dir, 'states.pid');
    expect(readPidFile(file)).toEqual({ state: 'absent' });
    await writeFile(file, 'not a number\n');
    expect(readPidFile(file)).toEqual({ state: 'stale' });
    const pid = deadPid();
    await writeFile(file, `${pid}\n`);
    expect(readPidFile(file)).toEqual({ state: 'stale', pid });
    await writeFile(file, '4242\n');
    expect(readPidFile(file, (n) => n === 4242)).toEqual({ state: 'live', pid: 4242 });
  });

  it('does not take a running program that is not protean for a server (a reused PID)', () => {
    // This test runner runs, but its command line does not mention protean.
    const runner = !process.argv.join(' ').includes('protean');
    if (runner) expect(isProteanRunning(process.pid)).toBe(false);
    expect(isProteanRunning(deadPid())).toBe(false);
  });

  it('is written in a new folder, and replaces a stale one', async () => {
    const file = join(dir, 'run/new.pid');
    writePidFile(file, 1234);
    expect(await readFile(file, 'utf8')).toBe('1234\n');
    await writeFile(file, `${deadPid()}\n`);
    writePidFile(file, 5678);
    expect(await readFile(file, 'utf8')).toBe('5678\n');
  });

  it('is removed only while it still names this process', async () => {
    const file = join(dir, 'owned.pid');
    await writeFile(file, '999999\n');
    removePidFile(file, 1234);
    expect(existsSync(file)).toBe(true);
    removePidFile(file, 999999);
    expect(existsSync(file)).toBe(false);
  });
});
