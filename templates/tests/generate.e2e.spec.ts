/**
 * The promise of create-domain: a project generated from this checkout, outside the repository,
 * installs (protean-ts vendored from the workspace, everything else from the npm registry),
 * typechecks, passes its own tests, and `protean db setup` (and, when async, `protean server
 * --test-mode`) work from its root with no flags, against the real services.
 *
 * The first project packs the workspace's protean-ts (building it when dist/ is stale); the
 * others reuse that tarball through --framework. Set PROTEAN_TS_TARBALL to a packed protean-ts
 * .tgz to skip the build and pack.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createTestDatabase,
  deleteRedisKeys,
  integrationServices,
  testServices,
  uniqueRedisPrefix,
  type TestDatabase,
} from 'protean-ts/testing';

const bin = fileURLToPath(new URL('../bin/create-domain.js', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const npx = process.platform === 'win32' ? 'npx.cmd' : 'npx';

interface Ran {
  code: number;
  stdout: string;
  /** stdout, then stderr. */
  output: string;
}

/**
 * The environment of commands in a generated project: without the `npm_*` variables of the
 * workspace run that started vitest, without colour, and with the project's own services.
 */
function cleanEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')),
  );
  delete env['FORCE_COLOR'];
  delete env['PROTEAN_ENV'];
  return { ...env, NO_COLOR: '1', ...extra };
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<Ran> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      { cwd, env, maxBuffer: 64 * 1024 * 1024, shell: process.platform === 'win32' },
      (error, stdout, stderr) =>
        done({ code: error ? Number(error.code ?? 1) : 0, stdout, output: `${stdout}\n${stderr}` }),
    );
  });
}

/** Runs a step and fails with its output when it does not exit 0. */
async function step(
  what: string,
  command: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = cleanEnv(),
): Promise<Ran> {
  const ran = await run(command, args, cwd, env);
  if (ran.code !== 0) {
    throw new Error(
      `${what} failed with exit code ${ran.code} (in ${cwd}):\n${ran.output.slice(-4000)}`,
    );
  }
  return ran;
}

/** A generated project and the environment its commands run with. */
interface Project {
  dir: string;
  env: NodeJS.ProcessEnv;
}

let workDir = '';
const cleanups: (() => Promise<unknown>)[] = [];

/**
 * Generates and installs a project with the scaffolder's own install step (`--yes`, no
 * `--no-install`), as a new user would.
 */
async function generate(name: string, flags: string[], env: NodeJS.ProcessEnv): Promise<Project> {
  const dir = join(workDir, name);
  await step(
    `create-domain ${name}`,
    process.execPath,
    [bin, dir, '--yes', '--no-git', ...flags],
    workDir,
    env,
  );
  return { dir, env };
}

/** A database and a Redis prefix of this file's own, through domain.toml's ${VAR|default}. */
async function ownServices(): Promise<NodeJS.ProcessEnv> {
  const services = integrationServices();
  const database: TestDatabase = await createTestDatabase(services.postgres.url);
  const prefix = uniqueRedisPrefix();
  cleanups.push(
    () => database.drop(),
    () => deleteRedisKeys(services.redis.url, prefix),
  );
  return cleanEnv({
    DATABASE_URL: database.url,
    REDIS_URL: services.redis.url,
    REDIS_KEY_PREFIX: prefix,
  });
}

const ready = testServices().status === 'ready';
const projects: Record<'memory' | 'postgres' | 'async', Project | undefined> = {
  memory: undefined,
  postgres: undefined,
  async: undefined,
};

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'create-domain-e2e-'));
  const given = process.env['PROTEAN_TS_TARBALL'];
  const first = await generate('my-shop', given ? ['--framework', resolve(given)] : [], cleanEnv());
  projects.memory = first;
  if (!ready) return;
  const tarball = given ? resolve(given) : join(first.dir, 'vendor', 'protean-ts-0.1.0.tgz');
  const [postgres, async] = await Promise.all([
    generate('pg-shop', ['--framework', tarball, '--database', 'postgresql'], await ownServices()),
    generate(
      'async-shop',
      ['--framework', tarball, '--database', 'postgresql', '--event-store', 'postgresql'].concat([
        '--broker',
        'redis',
        '--processing',
        'async',
        '--outbox',
      ]),
      await ownServices(),
    ),
  ]);
  Object.assign(projects, { postgres, async });
}, 600_000);

afterAll(async () => {
  for (const cleanup of cleanups) await cleanup().catch(() => undefined);
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

function project(key: keyof typeof projects): Project {
  const found = projects[key];
  if (!found) throw new Error(`the ${key} project was not generated`);
  return found;
}

/** The checks every stack passes: typecheck, its own tests, `protean db setup` with no flags. */
function itWorksOutOfTheBox(key: keyof typeof projects, tests: RegExp) {
  it('typechecks with tsc --noEmit', async () => {
    const { dir, env } = project(key);
    await step('npm run typecheck', npm, ['run', 'typecheck'], dir, env);
  }, 180_000);

  it('passes its own tests, none skipped', async () => {
    const { dir, env } = project(key);
    const { output } = await step('npm test', npm, ['test'], dir, env);

    expect(output).toMatch(tests);
    expect(output).not.toMatch(/\b(failed|skipped)\b/);
  }, 180_000);

  it('sets up its stores with `npx protean db setup` and no flags', async () => {
    const { dir, env } = project(key);
    const { output } = await step(
      'npx protean db setup',
      npx,
      ['protean', 'db', 'setup'],
      dir,
      env,
    );

    expect(output).toMatch(/Set up the schema of domain "\w+"/);
  }, 180_000);

  it('answers `npx protean check-health`', async () => {
    const { dir, env } = project(key);
    const { output } = await step(
      'npx protean check-health',
      npx,
      ['protean', 'check-health'],
      dir,
      env,
    );

    expect(output).toMatch(/ok\s+database/);
  }, 180_000);
}

describe('a project generated with the defaults (memory, sync)', () => {
  it('vendors the workspace protean-ts and depends on it by file:', async () => {
    const { dir } = project('memory');
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };

    expect(manifest.dependencies['protean-ts']).toBe('file:vendor/protean-ts-0.1.0.tgz');
  });

  itWorksOutOfTheBox('memory', /Tests\s+9 passed \(9\)/);

  it('runs src/main.ts with npm start', async () => {
    const { dir, env } = project('memory');
    const { output } = await step('npm start', npm, ['start'], dir, env);

    expect(output).toContain(
      'Domain "my_shop" is running: task "Write the first use case" is done',
    );
  }, 120_000);
});

describe.skipIf(!ready)('a project on PostgreSQL with the inline broker, sync', () => {
  itWorksOutOfTheBox('postgres', /Tests\s+9 passed \(9\)/);

  it('runs src/main.ts against its database once the tables exist', async () => {
    const { dir, env } = project('postgres');
    const { output } = await step('npm start', npm, ['start'], dir, env);

    expect(output).toContain(
      'Domain "pg_shop" is running: task "Write the first use case" is done',
    );
  }, 120_000);
});

describe.skipIf(!ready)('a project on PostgreSQL and Redis, async, with the outbox', () => {
  itWorksOutOfTheBox('async', /Tests\s+9 passed \(9\)/);

  it('stores a command with npm start, which `protean server --test-mode` then handles', async () => {
    const { dir, env } = project('async');
    const before = await step('npm start', npm, ['start'], dir, env);
    expect(before.output).toContain('0 task(s) on the list');
    expect(before.output).toContain('AddTask is stored as command');

    await step(
      'npx protean server --test-mode',
      npx,
      ['protean', 'server', '--test-mode'],
      dir,
      env,
    );

    const after = await step('npm start', npm, ['start'], dir, env);
    expect(after.output).toContain('1 task(s) on the list');
  }, 240_000);
});
