import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProject } from '../src/create-project.js';
import { resolveFrameworkSource, workspaceFramework } from '../src/framework.js';
import { readTarballManifest } from '../src/tarball.js';
import { PROTEAN_TS_RANGE } from '../src/versions.js';
import { useTempDirs } from './helpers.js';

const tempDir = useTempDirs();

/** A tiny stand-in for protean-ts: a package folder with no build script, quick to pack. */
async function fakeFramework(version = '9.8.7', name = 'protean-ts'): Promise<string> {
  const folder = join(await tempDir(), 'framework');
  await mkdir(folder);
  const manifest = { name, version, type: 'module', main: 'index.js', files: ['index.js'] };
  await writeFile(join(folder, 'package.json'), JSON.stringify(manifest));
  await writeFile(join(folder, 'index.js'), 'export const fake = true;\n');
  return folder;
}

function pack(folder: string, destination: string): string {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const output = execFileSync(npm, ['pack', '--json', '--pack-destination', destination], {
    cwd: folder,
    encoding: 'utf8',
  });
  const [{ filename }] = JSON.parse(output) as [{ filename: string }];
  return join(destination, filename);
}

describe('where protean-ts comes from', () => {
  it('is the workspace package in a checkout of the repository', () => {
    const workspace = workspaceFramework();

    expect(workspace).toMatch(/framework[/\\]$/);
    expect(resolveFrameworkSource(undefined, '/')).toMatchObject({
      kind: 'folder',
      version: '0.1.0',
    });
  });

  it('is the registry when create-domain runs from an installed package', () => {
    expect(resolveFrameworkSource(undefined, '/', { workspace: undefined })).toEqual({
      kind: 'registry',
      range: PROTEAN_TS_RANGE,
    });
  });

  it.each(['0.1.0', '^0.2.0', '~1.2', 'latest', 'next'])(
    'takes %j as a registry version',
    (spec) => {
      expect(resolveFrameworkSource(spec, '/')).toEqual({ kind: 'registry', range: spec });
    },
  );

  it('refuses a folder that is not protean-ts, saying what to pass', async () => {
    const folder = await fakeFramework('1.0.0', 'left-pad');

    expect(() => resolveFrameworkSource(folder, '/')).toThrow(
      expect.objectContaining({
        code: 'INVALID_FRAMEWORK',
        message: expect.stringContaining('holds no package.json of protean-ts'),
      }),
    );
  });

  it('refuses a file that is not a tarball', async () => {
    const file = join(await tempDir(), 'notes.txt');
    await writeFile(file, 'hello');

    expect(() => resolveFrameworkSource(file, '/')).toThrow(/is a file but not a \.tgz/);
  });
});

describe('a vendored protean-ts', () => {
  it('packs a protean-ts folder into vendor/ and depends on it by file:', async () => {
    const dir = join(await tempDir(), 'shop');

    const project = await createProject({
      dir,
      install: false,
      git: false,
      framework: await fakeFramework(),
    });

    expect(project.framework).toBe('file:vendor/protean-ts-9.8.7.tgz');
    expect(project.files).toContain('vendor/protean-ts-9.8.7.tgz');
    const manifest = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies['protean-ts']).toBe('file:vendor/protean-ts-9.8.7.tgz');
    expect(readTarballManifest(await readFile(join(dir, 'vendor/protean-ts-9.8.7.tgz')))).toEqual({
      name: 'protean-ts',
      version: '9.8.7',
    });
  });

  it('copies a given tarball byte for byte, named after the version inside it', async () => {
    const tarball = pack(await fakeFramework('3.2.1'), await tempDir());
    const dir = join(await tempDir(), 'shop');

    await createProject({ dir, install: false, git: false, framework: tarball });

    expect(await readFile(join(dir, 'vendor/protean-ts-3.2.1.tgz'))).toEqual(
      await readFile(tarball),
    );
  });

  it('refuses a tarball of another package before writing anything', async () => {
    const tarball = pack(await fakeFramework('1.0.0', 'left-pad'), await tempDir());
    const root = await tempDir();

    await expect(
      createProject({ dir: join(root, 'shop'), install: false, git: false, framework: tarball }),
    ).rejects.toMatchObject({
      code: 'INVALID_FRAMEWORK',
      message: expect.stringContaining('holds the package left-pad, not protean-ts'),
    });
  });

  it('reads no manifest out of something that is not a tarball', () => {
    expect(readTarballManifest(new TextEncoder().encode('plain text'))).toEqual({
      problem: 'it is not a gzip file (an npm package tarball is a .tgz)',
    });
  });
});
