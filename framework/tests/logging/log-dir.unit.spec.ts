import { randomUUID } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProteanError } from '../../src/core/errors.js';
import {
  LogDirectoryError,
  createLogger,
  createRotatingFileStream,
} from '../../src/logging/index.js';
import type { CreateLoggerOptions, ProteanLogger } from '../../src/logging/index.js';

let dir: string;
const opened: ProteanLogger[] = [];
beforeEach(() => {
  dir = join(tmpdir(), `protean-logging-${randomUUID()}`);
  mkdirSync(dir);
});
afterEach(async () => {
  await Promise.all(opened.splice(0).map((logger) => logger.close()));
  rmSync(dir, { recursive: true, force: true });
});

function open(options: CreateLoggerOptions) {
  const console: string[] = [];
  const logger = createLogger({
    env: {},
    level: 'info',
    destination: { write: (chunk) => console.push(chunk) },
    ...options,
  });
  opened.push(logger);
  return { logger, console };
}

const logFiles = (where = dir) =>
  readdirSync(where).filter((name) => name.startsWith('protean-server.log'));
const lines = (file: string) => readFileSync(join(dir, file), 'utf8').split('\n').filter(Boolean);

describe('--log-dir', () => {
  it('writes JSON lines to protean-server.log and readable lines to the console', async () => {
    const { logger, console } = open({ logDir: dir, format: 'pretty', isTTY: false });

    logger.component('protean.server').info('started', { workers: 1 });
    await logger.close();

    expect(logger.logFile).toBe(join(dir, 'protean-server.log'));
    expect(JSON.parse(lines('protean-server.log')[0]!)).toMatchObject({
      level: 'info',
      name: 'protean.server',
      msg: 'started',
      workers: 1,
    });
    expect(console[0]).toMatch(/INFO \(protean\.server\): started/);
  });

  it('takes the directory from PROTEAN_LOG_DIR and creates it when missing', async () => {
    const nested = join(dir, 'var', 'log');
    const { logger } = open({ env: { PROTEAN_LOG_DIR: nested } });

    logger.info('hello');
    await logger.close();

    expect(readFileSync(join(nested, 'protean-server.log'), 'utf8')).toContain('"msg":"hello"');
  });

  it('rotates by size, keeps at most backup_count files and bounds the total size', async () => {
    const maxBytes = 2048;
    const backupCount = 3;
    const { logger } = open({
      logDir: dir,
      config: { max_bytes: maxBytes, backup_count: backupCount },
    });
    let mostFiles = 0;

    for (let seq = 0; seq < 500; seq += 1) {
      logger.component('protean.outbox').info('published', { seq, stream: 'orders' });
      mostFiles = Math.max(mostFiles, logFiles().length);
    }
    await logger.close();

    expect(logFiles().sort()).toEqual([
      'protean-server.log',
      'protean-server.log.1',
      'protean-server.log.2',
      'protean-server.log.3',
    ]);
    expect(mostFiles).toBe(backupCount + 1);
    const sizes = logFiles().map((file) => statSync(join(dir, file)).size);
    for (const size of sizes) expect(size).toBeLessThanOrEqual(maxBytes);
    expect(sizes.reduce((a, b) => a + b)).toBeLessThanOrEqual((backupCount + 1) * maxBytes);
    // Oldest first: .3, .2, .1, then the live file; every line is JSON and none is missing.
    const kept = ['.3', '.2', '.1', ''].flatMap((suffix) => lines(`protean-server.log${suffix}`));
    const seqs = kept.map((line) => (JSON.parse(line) as { seq: number }).seq);
    expect(seqs.at(-1)).toBe(499);
    expect(seqs).toEqual(seqs.map((_, index) => seqs[0]! + index));
  });

  it('appends to an existing file and rotates it when it is already full', async () => {
    writeFileSync(join(dir, 'protean-server.log'), `${'{"old":true}\n'.repeat(200)}`);

    const { logger } = open({ logDir: dir, config: { max_bytes: 1024, backup_count: 2 } });
    logger.info('new');
    await logger.close();

    expect(lines('protean-server.log.1')[0]).toBe('{"old":true}');
    expect(lines('protean-server.log')).toHaveLength(1);
  });

  it('truncates instead of keeping files when backup_count is 0', async () => {
    const { logger } = open({ logDir: dir, config: { max_bytes: 512, backup_count: 0 } });

    for (let seq = 0; seq < 100; seq += 1) logger.info('line', { seq });
    await logger.close();

    expect(logFiles()).toEqual(['protean-server.log']);
    expect(statSync(join(dir, 'protean-server.log')).size).toBeLessThanOrEqual(512);
  });

  it('refuses a directory it cannot create, naming it and saying what to do', () => {
    const file = join(dir, 'not-a-directory');
    writeFileSync(file, '');
    const logDir = join(file, 'logs');

    const error = catchError(() => open({ logDir }));

    expect(error).toBeInstanceOf(LogDirectoryError);
    expect(error).toBeInstanceOf(ProteanError);
    expect(error).toMatchObject({ code: 'LOG_DIR_UNWRITABLE', directory: logDir });
    expect((error as Error).message).toMatch(
      new RegExp(
        `^Cannot write log files to "${logDir}" \\(.*(ENOTDIR|EEXIST).*\\)\\. Create the directory`,
      ),
    );
    expect((error as Error).message).toContain('--log-dir / PROTEAN_LOG_DIR / [logging] log_dir');
    expect(opened).toHaveLength(0);
  });

  it('refuses a log file it cannot open', () => {
    mkdirSync(join(dir, 'protean-server.log'));

    expect(() => createRotatingFileStream({ dir, maxBytes: 1024, backupCount: 1 })).toThrow(
      /Cannot write log files to .*EISDIR/,
    );
  });

  it('reports failing writes once, keeps going, and resumes when the disk is back', () => {
    const errors: Error[] = [];
    const logs = join(dir, 'logs');
    const file = createRotatingFileStream({
      dir: logs,
      maxBytes: 10,
      backupCount: 1,
      onError: (error) => errors.push(error),
    });
    file.write('{"n":1}\n');
    // The directory disappears and a regular file takes its place: rotating and reopening fail.
    rmSync(logs, { recursive: true });
    writeFileSync(logs, '');

    expect(file.write('{"n":2}\n')).toBe(true);
    file.write('{"n":3}\n');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/ENOTDIR|ENOENT/);

    rmSync(logs);
    mkdirSync(logs);
    file.write('{"n":4}\n');
    file.close();
    expect(readFileSync(join(logs, 'protean-server.log'), 'utf8')).toBe('{"n":4}\n');
    expect(errors).toHaveLength(1);
  });
});

function catchError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
