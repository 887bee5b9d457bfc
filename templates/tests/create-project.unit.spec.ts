import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createProject } from '../src/create-project.js';
import { listBlueprint, PROJECT_BLUEPRINT } from '../src/render.js';
import { PROTEAN_TS_RANGE } from '../src/versions.js';
import { useTempDirs } from './helpers.js';

const tempDir = useTempDirs();

const quiet = { install: false, git: false } as const;

const EXAMPLE_FILES = ['src/task/task.ts', 'tests/task.unit.spec.ts'];
const BASE_FILES = [
  '.env.example',
  '.gitignore',
  'README.md',
  'domain.toml',
  'package.json',
  'src/domain.ts',
  'src/main.ts',
  'tests/domain.unit.spec.ts',
  'tsconfig.json',
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
    expect(Object.keys(manifest['scripts']!).sort()).toEqual(['dev', 'start', 'test', 'typecheck']);
    expect(manifest['dependencies']).toEqual({ 'protean-ts': PROTEAN_TS_RANGE });
    for (const name of ['typescript', 'vitest', 'tsx', '@types/node']) {
      expect(manifest['devDependencies']![name], name).toBe(root.devDependencies[name]);
    }
  });

  it('depends on the protean-ts version of this repository', async () => {
    const framework = await readJson<{ version: string }>(
      fileURLToPath(new URL('../../framework/package.json', import.meta.url)),
    );
    expect(PROTEAN_TS_RANGE).toBe(`^${framework.version}`);
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
      '[brokers.default]\n# inline | redis | redis_pubsub\nprovider = "inline"',
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

    const project = await createProject({ dir: join(root, 'shop'), dryRun: true });

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

  it('refuses an unsupported stack before touching the disk', async () => {
    const root = await tempDir();

    await expect(
      createProject({ dir: join(root, 'shop'), database: 'postgresql', ...quiet }),
    ).rejects.toMatchObject({ code: 'UNSUPPORTED_OPTION' });
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
