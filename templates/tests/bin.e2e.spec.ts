/**
 * The `create-domain` bin as users run it: a separate process, without a terminal (pipes), and
 * on a pseudo-terminal made by util-linux `script` for the prompts.
 */
import { execFile, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listBlueprint } from '../src/render.js';
import { useTempDirs } from './helpers.js';

const bin = fileURLToPath(new URL('../bin/create-domain.js', import.meta.url));
const tempDir = useTempDirs();

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the bin with pipes for stdin, stdout and stderr: never a terminal. */
function runBin(args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): Promise<Ran> {
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [bin, ...args],
      { cwd, env },
      (error, stdout, stderr) =>
        resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

describe('the create-domain bin without a terminal', { timeout: 30_000 }, () => {
  it('prints help and exits 0', async () => {
    const { code, stdout } = await runBin(['--help'], await tempDir());

    expect(code).toBe(0);
    expect(stdout).toContain('Usage: create-domain [options] [dir]');
  });

  it('exits 2 on an unknown flag', async () => {
    const { code, stderr } = await runBin(['shop', '--bogus'], await tempDir());

    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--bogus'");
  });

  it('exits 2 with a message when [dir] is missing, instead of waiting for an answer', async () => {
    const { code, stderr } = await runBin([], await tempDir());

    expect(code).toBe(2);
    expect(stderr).toContain('No target folder was given');
    expect(stderr).toContain('stdin and stdout must be terminals');
  });

  it('exits 2 on an invalid name and writes nothing', async () => {
    const cwd = await tempDir();
    const { code, stderr } = await runBin(['shop', '--name', '_shop', '--yes'], cwd);

    expect(code).toBe(2);
    expect(stderr).toContain('"_shop" (from --name) is not a valid npm package name');
    expect(await readdir(cwd)).toEqual([]);
  });

  it('writes the whole tree with --yes --no-install --no-git', async () => {
    const cwd = await tempDir();
    const args = ['my-shop', '--yes', '--no-install', '--no-git', '--framework', '0.1.0'];
    const { code, stdout } = await runBin(args, cwd);

    expect(code).toBe(0);
    expect(stdout).toContain('Created my-shop (domain my_shop)');
    expect(await listBlueprint(join(cwd, 'my-shop'))).toEqual([
      '.env.example',
      '.gitignore',
      'README.md',
      'domain.toml',
      'domain.ts',
      'package.json',
      'src/domain.ts',
      'src/index.ts',
      'src/main.ts',
      'src/task/commands.ts',
      'src/task/events.ts',
      'src/task/handlers.ts',
      'src/task/task-summary.ts',
      'src/task/task.ts',
      'tests/domain.unit.spec.ts',
      'tests/task-flow.unit.spec.ts',
      'tests/task.unit.spec.ts',
      'tsconfig.json',
      'vitest.config.ts',
    ]);
  });

  it('exits 2 on a stack protean-ts cannot run, writing nothing', async () => {
    const cwd = await tempDir();
    const flags = ['--database', 'postgresql', '--processing', 'async', '--broker', 'redis_pubsub'];
    const { code, stderr } = await runBin(['shop', '--yes', ...flags], cwd);

    expect(code).toBe(2);
    expect(stderr).toContain('--broker redis_pubsub cannot be used with --processing async');
    expect(await readdir(cwd)).toEqual([]);
  });

  it('makes a git repository with a first commit unless --no-git', async () => {
    const cwd = await tempDir();
    const identity = { GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.com' };
    const env = {
      ...process.env,
      ...identity,
      GIT_COMMITTER_NAME: 'Test',
      GIT_COMMITTER_EMAIL: 'test@example.com',
    };

    const { code } = await runBin(
      ['shop', '--yes', '--no-install', '--framework', '0.1.0'],
      cwd,
      env,
    );
    const log = spawnSync('git', ['log', '--format=%s'], {
      cwd: join(cwd, 'shop'),
      encoding: 'utf8',
    });

    expect(code).toBe(0);
    expect(log.stdout.trim()).toBe('Initial commit from create-domain');
  });
});

/** util-linux `script` gives the bin a pseudo-terminal; other `script`s take other flags. */
const hasUtilLinuxScript =
  process.platform === 'linux' &&
  spawnSync('script', ['--version'], { encoding: 'utf8' }).stdout?.includes('util-linux') === true;

const shellQuote = (word: string) => `'${word.replaceAll("'", "'\\''")}'`;

/**
 * Runs the bin on a pseudo-terminal and answers prompts: each step waits for its text to appear,
 * then types its keys.
 */
function runOnTerminal(args: string[], cwd: string, steps: [string, string][]): Promise<Ran> {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1' };
  delete env['CI'];
  // A fresh pseudo-terminal is 0 columns wide, and prompts would wrap after every character.
  const words = [process.execPath, bin, ...args].map(shellQuote).join(' ');
  const command = `stty cols 100 rows 40; exec ${words}`;
  const child = spawn(
    'script',
    ['--quiet', '--return', '--flush', '--command', command, '/dev/null'],
    {
      cwd,
      env,
    },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString();
    const next = steps[0];
    if (next && output.includes(next[0])) {
      steps.shift();
      setTimeout(() => child.stdin.write(next[1]), 100);
    }
  });
  return new Promise((resolve) => {
    child.on('close', (code) => {
      child.stdin.end();
      resolve({ code: code ?? 1, stdout: output, stderr: '' });
    });
  });
}

describe.skipIf(!hasUtilLinuxScript)(
  'the create-domain bin on a terminal',
  { timeout: 30_000 },
  () => {
    it('prints "Cancelled", exits 1 and writes nothing on Ctrl-C at a prompt', async () => {
      const cwd = await tempDir();

      const { code, stdout } = await runOnTerminal(['--no-install', '--no-git'], cwd, [
        ['Where should the project be created?', '\u0003'],
      ]);

      expect(code).toBe(1);
      expect(stdout).toContain('Cancelled');
      expect(await readdir(cwd)).toEqual([]);
    });

    it('asks for what the command line left open and creates the project', async () => {
      const cwd = await tempDir();

      const args = ['--no-install', '--no-git', '--framework', '0.1.0'];
      const { code, stdout } = await runOnTerminal(args, cwd, [
        ['Where should the project be created?', 'shop\r'],
        ['Package name', '\r'],
        ['Database', '\r'],
        ['Event store', '\r'],
        ['Broker', '\r'],
        ['Include the example', '\r'],
      ]);

      expect(code, stdout).toBe(0);
      expect(stdout).toContain('Created shop (domain shop)');
      expect(existsSync(join(cwd, 'shop', 'src', 'task', 'task.ts'))).toBe(true);
    });
  },
);
