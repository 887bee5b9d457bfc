import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { PlannedFile } from '../src/render.js';
import {
  checkTargetEmpty,
  existingFiles,
  inspectTarget,
  safeDestination,
  writeFiles,
} from '../src/write.js';
import { useTempDirs } from './helpers.js';

const tempDir = useTempDirs();

const file = (path: string, content = path): PlannedFile => ({
  path,
  content: new TextEncoder().encode(content),
});

describe('the target folder', () => {
  it('does not need to exist', async () => {
    expect(await inspectTarget(join(await tempDir(), 'new'))).toEqual({
      exists: false,
      entries: [],
    });
  });

  it('counts as empty when it holds only .git', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, '.git'));

    const state = await inspectTarget(dir);

    expect(state).toEqual({ exists: true, entries: [] });
    expect(() => checkTargetEmpty(dir, state, false)).not.toThrow();
  });

  it('is refused when it holds anything else, unless overwrite is on', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'notes.md'), 'mine');
    const state = await inspectTarget(dir);

    expect(() => checkTargetEmpty(dir, state, false)).toThrow(
      expect.objectContaining({
        code: 'TARGET_NOT_EMPTY',
        exitCode: 2,
        message: expect.stringContaining(`${dir} is not empty (it holds notes.md)`),
      }),
    );
    expect(() => checkTargetEmpty(dir, state, true)).not.toThrow();
  });

  it('is refused when it is a file', async () => {
    const path = join(await tempDir(), 'file');
    await writeFile(path, '');

    await expect(inspectTarget(path)).rejects.toMatchObject({ code: 'TARGET_NOT_A_DIRECTORY' });
  });
});

describe('safeDestination()', () => {
  it('resolves a path inside the target', async () => {
    const dir = await tempDir();
    expect(await safeDestination(dir, 'src/domain.ts')).toBe(join(dir, 'src', 'domain.ts'));
  });

  it.each(['../escape.txt', 'src/../../escape.txt', '/tmp/escape.txt'])(
    'refuses %j',
    async (path) => {
      await expect(safeDestination(await tempDir(), path)).rejects.toMatchObject({
        code: 'PATH_ESCAPES_TARGET',
      });
    },
  );

  it('refuses to write through a symbolic link inside the target', async () => {
    const [dir, elsewhere] = [await tempDir(), await tempDir()];
    await symlink(elsewhere, join(dir, 'src'));

    await expect(safeDestination(dir, 'src/domain.ts')).rejects.toMatchObject({
      code: 'PATH_ESCAPES_TARGET',
      message: expect.stringContaining(`${join(dir, 'src')} is a symbolic link`),
    });
  });
});

describe('writeFiles()', () => {
  it('writes every file, creating folders as needed', async () => {
    const dir = join(await tempDir(), 'project');

    await writeFiles(dir, [file('a.txt'), file('src/deep/b.ts')]);

    expect(await readFile(join(dir, 'src/deep/b.ts'), 'utf8')).toBe('src/deep/b.ts');
    expect((await readdir(dir)).sort()).toEqual(['a.txt', 'src']);
  });

  it('writes nothing at all when one path escapes the target', async () => {
    const root = await tempDir();
    const dir = join(root, 'project');

    await expect(writeFiles(dir, [file('a.txt'), file('../escaped.txt')])).rejects.toMatchObject({
      code: 'PATH_ESCAPES_TARGET',
    });
    expect(await readdir(root)).toEqual([]);
  });

  it('replaces files with the same path and keeps the others', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'a.txt'), 'old');
    await writeFile(join(dir, 'mine.txt'), 'mine');

    expect(await existingFiles(dir, [file('a.txt'), file('b.txt')])).toEqual(['a.txt']);
    await writeFiles(dir, [file('a.txt', 'new')]);

    expect(await readFile(join(dir, 'a.txt'), 'utf8')).toBe('new');
    expect(await readFile(join(dir, 'mine.txt'), 'utf8')).toBe('mine');
  });
});
