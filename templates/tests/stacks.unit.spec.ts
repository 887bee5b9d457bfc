import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProject } from '../src/create-project.js';
import type { StackChoices } from '../src/stack.js';
import { PROTEAN_TS_RANGE } from '../src/versions.js';
import { useTempDirs } from './helpers.js';

const tempDir = useTempDirs();

const quiet = { install: false, git: false, framework: PROTEAN_TS_RANGE } as const;

async function generate(stack: Partial<StackChoices>, example = true) {
  const dir = join(await tempDir(), 'shop');
  const project = await createProject({ dir, ...stack, example, ...quiet });
  const read = (path: string) => readFile(join(dir, path), 'utf8');
  return { dir, project, read };
}

const POSTGRES_REDIS_ASYNC = {
  database: 'postgresql',
  broker: 'redis',
  processing: 'async',
  outbox: true,
} as const;

describe('a project on PostgreSQL and Redis, processed asynchronously with the outbox', () => {
  it('adds the integration tier, docker-compose.yml and both drivers', async () => {
    const { project, read } = await generate(POSTGRES_REDIS_ASYNC);

    expect(project.files).toEqual(
      expect.arrayContaining([
        'docker-compose.yml',
        'tests/domain.int.spec.ts',
        'tests/integration.ts',
        'tests/task-flow.int.spec.ts',
      ]),
    );
    expect(project.files).not.toContain('tests/task-flow.unit.spec.ts');
    const manifest = JSON.parse(await read('package.json')) as Record<string, object>;
    expect(Object.keys(manifest['dependencies']!).sort()).toEqual(['ioredis', 'pg', 'protean-ts']);
  });

  it('writes domain.toml with ${VAR|default} URIs, stream subscriptions and both overlays', async () => {
    const { read } = await generate(POSTGRES_REDIS_ASYNC);
    const toml = await read('domain.toml');

    for (const line of [
      'event_processing = "async"',
      'command_processing = "async"',
      'enable_outbox = true',
      '[databases.default]\n# memory | postgresql\nprovider = "postgresql"\n' +
        'database_uri = "${DATABASE_URL|postgresql://postgres@127.0.0.1:5432/shop}"',
      '[event_store]\n# memory | postgresql\nprovider = "postgresql"\n' +
        'database_uri = "${DATABASE_URL|postgresql://postgres@127.0.0.1:5432/shop}"',
      'provider = "redis"\nURI = "${REDIS_URL|redis://127.0.0.1:6379/0}"',
      'key_prefix = "${REDIS_KEY_PREFIX|shop:}"',
      "[server]\n# Handlers read the events the outbox publishes from the broker's streams.\n" +
        'default_subscription_type = "stream"',
      '[test]\n# Tests process commands and events as they are sent, and see their effects at once.\n' +
        'event_processing = "sync"\ncommand_processing = "sync"',
      '[production.databases.default]\ndatabase_uri = "${DATABASE_URL}"',
      '[production.brokers.default]\nURI = "${REDIS_URL}"',
    ]) {
      expect(toml).toContain(line);
    }
  });

  it('starts both services in docker-compose.yml, each with a healthcheck', async () => {
    const compose = await (await generate(POSTGRES_REDIS_ASYNC)).read('docker-compose.yml');

    expect(compose).toContain('  postgres:\n    image: postgres:15');
    expect(compose).toContain('POSTGRES_DB: shop');
    expect(compose).toContain('  redis:\n    image: redis:7');
    expect(compose.match(/healthcheck:/g)).toHaveLength(2);
  });

  it('lists DATABASE_URL, REDIS_URL and PROTEAN_ENV in .env.example', async () => {
    const env = await (await generate(POSTGRES_REDIS_ASYNC)).read('.env.example');

    expect(env).toContain('DATABASE_URL=postgresql://postgres@127.0.0.1:5432/shop');
    expect(env).toContain('REDIS_URL=redis://127.0.0.1:6379/0');
    expect(env).toContain('PROTEAN_ENV=');
  });
});

describe('a project on PostgreSQL with the inline broker, processed synchronously', () => {
  it('starts only PostgreSQL, and adds ioredis for the integration set-up only', async () => {
    const { project, read } = await generate({ database: 'postgresql' });
    const compose = await read('docker-compose.yml');
    const manifest = JSON.parse(await read('package.json')) as Record<string, object>;

    expect(compose).toContain('postgres:');
    expect(compose).not.toContain('redis');
    expect(Object.keys(manifest['dependencies']!).sort()).toEqual(['pg', 'protean-ts']);
    expect(manifest['devDependencies']).toHaveProperty('ioredis');
    expect(project.nextSteps).toContain('npm run db:setup');
    expect(project.nextSteps).not.toContain('npm run server');
  });
});

describe('a project in memory', () => {
  it('has no docker-compose.yml and no integration tier', async () => {
    const { project } = await generate({});

    expect(project.files.filter((path) => /compose|\.int\.|integration/.test(path))).toEqual([]);
  });
});

describe.each([
  ['in memory', {}, true],
  ['in memory, without the example', {}, false],
  ['on PostgreSQL and Redis', POSTGRES_REDIS_ASYNC, true],
  ['on PostgreSQL, without the example', { database: 'postgresql' } as const, false],
] as const)('the README of a project %s', (_name, stack, example) => {
  it('links only to files the project has', async () => {
    const { project, read } = await generate(stack, example);
    const readme = await read('README.md');
    const targets = [...readme.matchAll(/\]\(([^)]+)\)/g)].map((match) => match[1]!);

    expect(targets.length).toBeGreaterThan(3);
    for (const target of targets) {
      expect(target, 'a link that leaves the project').not.toMatch(/^[a-z]+:/);
      expect(project.files, target).toContain(target);
    }
  });

  it('names every command the scripts define', async () => {
    const { read } = await generate(stack, example);
    const readme = await read('README.md');

    for (const command of ['npm test', 'npm run typecheck', 'npm start', 'npm run dev']) {
      expect(readme).toContain(`\`${command}\``);
    }
  });
});
