/**
 * Nothing half-written: a run that fails leaves the target exactly as it was, byte for byte,
 * also under --overwrite.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createProject } from '../src/create-project.js';
import { runCli } from '../src/program.js';
import type { PlannedFile } from '../src/render.js';
import { PROTEAN_TS_RANGE } from '../src/versions.js';
import { planWrites, writePlan } from '../src/write.js';
import { captureEnvironment, useTempDirs } from './helpers.js';
import { snapshotTree } from './tree.js';

const tempDir = useTempDirs();

const quiet = { install: false, git: false, framework: PROTEAN_TS_RANGE } as const;

/** A folder the user already has: their package.json and notes. */
async function usersFolder(): Promise<string> {
  const dir = await tempDir();
  await writeFile(join(dir, 'package.json'), '{"name":"mine"}\n');
  await writeFile(join(dir, 'notes.md'), 'keep me\n');
  return dir;
}

describe('a failed --overwrite leaves the target byte for byte as it was', () => {
  it('when a planned file exists as a folder', async () => {
    const dir = await usersFolder();
    await mkdir(join(dir, 'tsconfig.json'));
    await writeFile(join(dir, 'tsconfig.json', 'inside.txt'), 'x');
    const before = await snapshotTree(dir);

    await expect(
      createProject({ dir, name: 'shop', overwrite: true, ...quiet }),
    ).rejects.toMatchObject({
      code: 'TARGET_CLASH',
      exitCode: 2,
      message: expect.stringContaining(
        `Cannot write tsconfig.json: ${join(dir, 'tsconfig.json')} exists and is a folder`,
      ),
    });
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('when a planned folder exists as a file', async () => {
    const dir = await usersFolder();
    await writeFile(join(dir, 'src'), 'a file where src/ should be');
    const before = await snapshotTree(dir);

    await expect(
      createProject({ dir, name: 'shop', overwrite: true, ...quiet }),
    ).rejects.toMatchObject({
      code: 'TARGET_CLASH',
      message: expect.stringContaining(`${join(dir, 'src')} must be a folder but is a file`),
    });
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('when a deeper planned folder exists as a file', async () => {
    const dir = await usersFolder();
    await mkdir(join(dir, 'src'));
    await writeFile(join(dir, 'src', 'task'), 'mine');
    const before = await snapshotTree(dir);

    await expect(
      createProject({ dir, name: 'shop', overwrite: true, ...quiet }),
    ).rejects.toMatchObject({
      code: 'TARGET_CLASH',
    });
    expect(await snapshotTree(dir)).toEqual(before);
  });

  it('says so on the command line with exit code 2, without a raw EISDIR', async () => {
    const dir = await usersFolder();
    await mkdir(join(dir, 'package.json.d'));
    await mkdir(join(dir, 'domain.toml'));
    const before = await snapshotTree(dir);
    const environment = captureEnvironment({ cwd: dir });

    const code = await runCli(
      ['.', '--name', 'shop', '--overwrite', '--no-install', '--no-git', '--framework', '0.1.0'],
      environment,
    );

    expect(code).toBe(2);
    expect(environment.stderrText()).toContain('exists and is a folder');
    expect(environment.stderrText()).toContain('Nothing was written.');
    expect(environment.stderrText()).not.toMatch(/EISDIR|ENOTDIR/);
    expect(await snapshotTree(dir)).toEqual(before);
  });
});

describe('a target that cannot be a folder', () => {
  it('is refused with TARGET_NOT_A_DIRECTORY when a file stands on the way to it', async () => {
    const root = await tempDir();
    await writeFile(join(root, 'file'), 'mine');
    const before = await snapshotTree(root);

    await expect(
      createProject({ dir: join(root, 'file', 'shop'), ...quiet }),
    ).rejects.toMatchObject({
      code: 'TARGET_NOT_A_DIRECTORY',
      exitCode: 2,
      message: expect.stringContaining(`${join(root, 'file')} on the way to it is a file`),
    });
    expect(await snapshotTree(root)).toEqual(before);
  });
});

describe('a write that fails part-way', () => {
  it('is undone: replaced files get their bytes back, new files and folders go', async () => {
    const dir = await usersFolder();
    const file = (path: string, content: string): PlannedFile => ({
      path,
      content: new TextEncoder().encode(content),
    });
    const plan = await planWrites(dir, [
      file('notes.md', 'replaced'),
      file('src/a.ts', 'new'),
      file('src/deep/b.ts', 'new'),
      file('zz-last.txt', 'fails'),
    ]);
    const before = await snapshotTree(dir);
    // Something else takes the last path after the checks: its write fails after the others.
    await mkdir(join(dir, 'zz-last.txt'));
    const taken = await snapshotTree(dir);

    await expect(writePlan(plan)).rejects.toMatchObject({
      code: 'WRITE_FAILED',
      message: expect.stringContaining('everything written was undone'),
    });
    expect(await snapshotTree(dir)).toEqual(taken);
    expect(await readFile(join(dir, 'notes.md'), 'utf8')).toBe('keep me\n');
    expect(Object.keys(before)).toEqual(['notes.md', 'package.json']);
  });
});

describe.skipIf(process.getuid?.() === 0)('a target without write permission', () => {
  it('is refused with TARGET_NOT_WRITABLE before anything is written', async () => {
    const { chmod } = await import('node:fs/promises');
    const dir = await tempDir();
    await chmod(dir, 0o555);
    try {
      await expect(createProject({ dir, name: 'shop', ...quiet })).rejects.toMatchObject({
        code: 'TARGET_NOT_WRITABLE',
        message: expect.stringContaining('is not writable (permission denied)'),
      });
    } finally {
      await chmod(dir, 0o755);
    }
  });
});
