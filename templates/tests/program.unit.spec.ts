import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/program.js';
import { packageVersion } from '../src/versions.js';
import { captureEnvironment, useTempDirs } from './helpers.js';

const tempDir = useTempDirs();

/** Runs the command in-process, without a terminal, in a fresh temporary folder. */
async function run(...args: string[]) {
  const environment = captureEnvironment({ cwd: await tempDir() });
  const code = await runCli(args, environment);
  return {
    code,
    cwd: environment.cwd,
    stdout: environment.stdoutText(),
    stderr: environment.stderrText(),
  };
}

const create = ['--no-install', '--no-git', '--framework', '0.1.0'];

describe('create-domain: information', () => {
  it('prints usage with --help and exits 0', async () => {
    const { code, stdout } = await run('--help');

    expect(code).toBe(0);
    expect(stdout).toContain('Usage: create-domain [options] [dir]');
    for (const flag of [
      '--name <name>',
      '--no-example',
      '--no-install',
      '--no-git',
      '--overwrite',
      '--framework <path|tarball|version>',
      '--database <provider>',
      '--processing <mode>',
      '--outbox',
    ]) {
      expect(stdout).toContain(flag);
    }
    expect(stdout).toContain('npm create domain -- ../my-shop');
    expect(stdout).toContain('Once create-domain is published: npm create domain@latest my-shop');
  });

  it('prints its version with --version', async () => {
    const { code, stdout } = await run('--version');

    expect(code).toBe(0);
    expect(stdout.trim()).toBe(packageVersion());
  });
});

describe('create-domain: bad usage exits 2 with a message', () => {
  it('rejects an unknown flag and points at --help', async () => {
    const { code, stderr } = await run('shop', '--no-such-flag');

    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--no-such-flag'");
    expect(stderr).toContain('create-domain --help');
  });

  it('rejects a second folder', async () => {
    expect((await run('one', 'two')).code).toBe(2);
  });

  it('rejects a provider it has never heard of', async () => {
    const { code, stderr } = await run('shop', '--database', 'mysql');

    expect(code).toBe(2);
    expect(stderr).toContain('Allowed choices are memory, postgresql');
  });

  it.each([
    [['--processing', 'async'], '--processing async needs --event-store postgresql'],
    [['--outbox'], '--outbox needs --database postgresql'],
    [
      ['--database', 'postgresql', '--processing', 'async', '--broker', 'redis_pubsub'],
      '--broker redis_pubsub cannot be used with --processing async',
    ],
  ])('refuses %j before writing anything, saying why', async (flags, reason) => {
    const { code, stderr, cwd } = await run('shop', ...flags, ...create);

    expect(code).toBe(2);
    expect(stderr).toContain(`create-domain: ${reason}`);
    expect(await readdir(cwd)).toEqual([]);
  });

  it('refuses a --framework path that does not exist', async () => {
    const { code, stderr, cwd } = await run('shop', '--yes', '--framework', './nowhere.tgz');

    expect(code).toBe(2);
    expect(stderr).toContain('--framework "./nowhere.tgz" cannot be used: there is no file');
    expect(await readdir(cwd)).toEqual([]);
  });

  it('accepts the defaults spelled out', async () => {
    const flags = ['--database', 'memory', '--event-store', 'memory', '--broker', 'inline'];
    const { code } = await run('shop', ...flags, '--processing', 'sync', '--no-outbox', ...create);
    expect(code).toBe(0);
  });

  it('needs [dir] when there is no terminal to ask on', async () => {
    const { code, stderr } = await run('--yes');

    expect(code).toBe(2);
    expect(stderr).toContain('No target folder was given');
    expect(stderr).toContain('`create-domain my-shop --yes`');
  });

  it('refuses an invalid --name, saying what it received and what to pass', async () => {
    const { code, stderr, cwd } = await run('shop', '--name', 'My Shop', ...create);

    expect(code).toBe(2);
    expect(stderr).toContain(
      'The package name "My Shop" (from --name) is not a valid npm package name',
    );
    expect(stderr).toContain('try --name my-shop');
    expect(await readdir(cwd)).toEqual([]);
  });

  it('refuses a non-empty target without --overwrite', async () => {
    const cwd = await tempDir();
    await writeFile(join(cwd, 'mine.txt'), '');
    const environment = captureEnvironment({ cwd });

    expect(await runCli(['.', '--name', 'shop', ...create], environment)).toBe(2);
    expect(environment.stderrText()).toContain('pass --overwrite');
    expect(await readdir(cwd)).toEqual(['mine.txt']);
  });
});

describe('create-domain: creating', () => {
  it('writes the project and prints the next steps, without colour off a terminal', async () => {
    const { code, stdout, stderr, cwd } = await run('my-shop', '--yes', ...create);

    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain('Created my-shop (domain my_shop)');
    expect(stdout).toContain('protean-ts: 0.1.0');
    expect(stdout).toContain(
      'Next steps:\n  cd my-shop\n  npm install\n  npm test\n  npm run dev\n',
    );
    expect(stdout).not.toContain('\u001b[');
    expect(await readdir(join(cwd, 'my-shop'))).toContain('domain.toml');
  });

  it('lists the files of a dry run and writes nothing', async () => {
    const { code, stdout, cwd } = await run(
      'my-shop',
      '--dry-run',
      '--yes',
      '--framework',
      '0.1.0',
    );

    expect(code).toBe(0);
    expect(stdout).toMatch(/^Dry run: create-domain would write 19 files to .*my-shop:\n/);
    expect(stdout).toContain('\n  .gitignore\n');
    expect(stdout).toContain('\n  src/task/task.ts\n');
    expect(stdout).toContain('Nothing was written.');
    expect(await readdir(cwd)).toEqual([]);
  });
});

describe('create-domain: every stack', () => {
  it('prints the services a PostgreSQL, Redis, async project needs, and the server step', async () => {
    const stack = ['--database', 'postgresql', '--broker', 'redis', '--processing', 'async'];
    const { code, stdout } = await run('shop', '--yes', ...stack, '--outbox', ...create);

    expect(code).toBe(0);
    expect(stdout).toContain('PostgreSQL with a database shop');
    expect(stdout).toContain('Redis (REDIS_URL, by default redis://127.0.0.1:6379/0)');
    expect(stdout).toContain(
      'Next steps:\n  cd shop\n  npm install\n  npm test\n  npm run db:setup\n  npm run dev\n' +
        '  npm run server\n',
    );
  });

  it('lists the vendored tarball in a dry run from this repository, building nothing', async () => {
    const { code, stdout } = await run('shop', '--yes', '--dry-run');

    expect(code).toBe(0);
    expect(stdout).toContain('vendor/protean-ts-0.1.0.tgz (protean-ts, packed when written)');
  });
});
