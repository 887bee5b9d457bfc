import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createProject } from '../src/create-project.js';
import { listBlueprint, PROJECT_BLUEPRINT } from '../src/render.js';
import { DRIVER_RANGES, PROTEAN_TS_RANGE, TOOL_RANGES } from '../src/versions.js';
import { useTempDirs } from './helpers.js';

const tempDir = useTempDirs();

/** No install, no git, and protean-ts from the registry: nothing is built or packed. */
const quiet = { install: false, git: false, framework: PROTEAN_TS_RANGE } as const;

const EXAMPLE_FILES = [
  'src/task/commands.ts',
  'src/task/events.ts',
  'src/task/handlers.ts',
  'src/task/task-summary.ts',
  'src/task/task.ts',
  'tests/task-flow.unit.spec.ts',
  'tests/task.unit.spec.ts',
];
const BASE_FILES = [
  '.env.example',
  '.gitignore',
  'README.md',
  'domain.toml',
  'domain.ts',
  'package.json',
  'src/domain.ts',
  'src/index.ts',
  'src/main.ts',
  'tests/domain.unit.spec.ts',
  'tsconfig.json',
  'vitest.config.ts',
];

async function readJson<T>(path: string): Promise<T> {
  return JSON.parse(await readFile(path, 'utf8')) as T;
}

describe('createProject() with the project blueprint', () => {
  it('writes the project with the example slice by default', async () => {
    const dir = join(await tempDir(), 'my-shop');

    const project = await createProject({ dir, ...quiet });

    expect([...project.files].sort()).toEqual([...BASE_FILES, ...EXAMPLE_FILES].sort());
    expect(project).toMatchObject({
      targetDir: dir,
      packageName: 'my-shop',
      domainName: 'my_shop',
      dryRun: false,
      installed: false,
      git: 'skipped',
      replaced: [],
    });
    expect(await readFile(join(dir, 'src/domain.ts'), 'utf8')).toContain(
      "export const domain = new Domain({ name: 'my_shop' });",
    );
    expect(await readFile(join(dir, 'domain.ts'), 'utf8')).toContain(
      "export { domain } from './src/index.js';",
    );
  });

  it('registers every module of the example in src/index.ts', async () => {
    const dir = join(await tempDir(), 'shop');
    await createProject({ dir, ...quiet });
    const index = await readFile(join(dir, 'src/index.ts'), 'utf8');

    for (const file of EXAMPLE_FILES.filter((path) => path.startsWith('src/'))) {
      expect(index).toContain(`import './${file.slice('src/'.length).replace(/\.ts$/, '.js')}';`);
    }
  });

  it('leaves the example out with example: false, keeping a smoke test', async () => {
    const dir = join(await tempDir(), 'bare');

    const project = await createProject({ dir, example: false, ...quiet });

    expect([...project.files].sort()).toEqual(BASE_FILES);
    const main = await readFile(join(dir, 'src/main.ts'), 'utf8');
    expect(main).not.toContain('Task');
    expect(await readFile(join(dir, 'README.md'), 'utf8')).not.toContain('src/task/task.ts');
  });

  it('writes a package.json with the scripts and versions of the workspace', async () => {
    const dir = join(await tempDir(), 'shop');
    await createProject({ dir, name: '@acme/shop', ...quiet });
    const manifest = await readJson<Record<string, Record<string, string>>>(
      join(dir, 'package.json'),
    );
    const root = await readJson<{ devDependencies: Record<string, string> }>(
      fileURLToPath(new URL('../../package.json', import.meta.url)),
    );

    expect(manifest['name']).toBe('@acme/shop');
    expect(manifest['type']).toBe('module');
    expect(manifest['private']).toBe(true);
    expect(Object.keys(manifest['scripts']!).sort()).toEqual([
      'db:setup',
      'dev',
      'server',
      'start',
      'test',
      'typecheck',
    ]);
    expect(manifest['scripts']).toMatchObject({
      'db:setup': 'protean db setup',
      server: 'protean server',
    });
    expect(manifest['dependencies']).toEqual({ 'protean-ts': PROTEAN_TS_RANGE });
    expect(manifest['devDependencies']).toEqual(TOOL_RANGES);
    for (const name of ['typescript', 'vitest', 'tsx', '@types/node'] as const) {
      expect(TOOL_RANGES[name], name).toBe(root.devDependencies[name]);
    }
  });

  it('depends on the protean-ts version and drivers of this repository', async () => {
    const framework = await readJson<{ version: string; devDependencies: Record<string, string> }>(
      fileURLToPath(new URL('../../framework/package.json', import.meta.url)),
    );
    expect(PROTEAN_TS_RANGE).toBe(`^${framework.version}`);
    expect(DRIVER_RANGES.pg).toBe(framework.devDependencies['pg']);
    expect(DRIVER_RANGES.ioredis).toBe(framework.devDependencies['ioredis']);
  });

  it('writes domain.toml with the memory, inline, sync defaults and two overlays', async () => {
    const dir = join(await tempDir(), 'shop');
    await createProject({ dir, ...quiet });
    const toml = await readFile(join(dir, 'domain.toml'), 'utf8');

    for (const line of [
      'event_processing = "sync"',
      'command_processing = "sync"',
      'enable_outbox = false',
      '[databases.default]\n# memory | postgresql\nprovider = "memory"',
      '[event_store]\n# memory | postgresql\nprovider = "memory"',
      '[brokers.default]\n# inline | redis (Streams) | redis_pubsub\nprovider = "inline"',
      '[test]',
      '[production]',
      '${DATABASE_URL|postgresql://postgres@127.0.0.1:5432/shop}',
    ]) {
      expect(toml).toContain(line);
    }
  });

  it('prints next steps for the detected package manager', async () => {
    const cwd = await tempDir();

    const project = await createProject({ dir: 'shop', cwd, packageManager: 'pnpm', ...quiet });

    expect(project.nextSteps).toEqual(['cd shop', 'pnpm install', 'pnpm test', 'pnpm dev']);
    expect(project.services).toEqual([]);
  });

  it('quotes a target folder with spaces in the next steps', async () => {
    const cwd = await tempDir();
    const project = await createProject({ dir: 'my shop', cwd, ...quiet });
    expect(project.nextSteps[0]).toBe("cd 'my shop'");
  });
});

describe('createProject() and the target folder', () => {
  it('writes nothing on a dry run, yet lists every file', async () => {
    const root = await tempDir();

    const project = await createProject({ dir: join(root, 'shop'), dryRun: true, ...quiet });

    expect(project.dryRun).toBe(true);
    expect(project.files).toContain('package.json');
    expect(project.git).toBe('skipped');
    expect(project.installed).toBe(false);
    expect(await readdir(root)).toEqual([]);
  });

  it('refuses a non-empty target without overwrite, and writes nothing', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'package.json'), '{"name":"mine"}');

    await expect(createProject({ dir, ...quiet })).rejects.toMatchObject({
      code: 'TARGET_NOT_EMPTY',
    });
    expect(await readdir(dir)).toEqual(['package.json']);
  });

  it('writes into a folder holding only .git', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, '.git'));

    await expect(createProject({ dir, ...quiet })).resolves.toMatchObject({ replaced: [] });
  });

  it('replaces same-path files with overwrite, keeps the rest, and reports them', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'package.json'), '{"name":"mine"}');
    await writeFile(join(dir, 'notes.md'), 'keep me');

    const project = await createProject({ dir, name: 'shop', overwrite: true, ...quiet });

    expect(project.replaced).toEqual(['package.json']);
    expect(await readFile(join(dir, 'notes.md'), 'utf8')).toBe('keep me');
    expect(await readJson<{ name: string }>(join(dir, 'package.json'))).toMatchObject({
      name: 'shop',
    });
  });

  it('refuses a stack protean-ts cannot run before touching the disk', async () => {
    const root = await tempDir();

    await expect(
      createProject({ dir: join(root, 'shop'), outbox: true, ...quiet }),
    ).rejects.toMatchObject({ code: 'INVALID_STACK', exitCode: 2 });
    expect(await readdir(root)).toEqual([]);
  });
});

describe('the project blueprint itself', () => {
  it('holds no file the workspace test runner would collect as one of its own specs', async () => {
    const collectable = (await listBlueprint(PROJECT_BLUEPRINT)).filter((path) =>
      /\.(unit|int|e2e)\.spec\.ts$/.test(path),
    );
    expect(collectable).toEqual([]);
  });
});
