/**
 * Writing a plan, all or nothing: every path is checked before the first byte is written, and a
 * write that still fails (a full disk, say) undoes every one made before it, so the project is
 * left byte for byte as it was.
 */
import * as fs from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { CommandFailure, ExitCode, describeError } from '../exit.js';

/** What a plan writes: new files, and edits of existing ones (with the text they were read with). */
export interface Changes {
  readonly creates: readonly { readonly path: string; readonly content: string }[];
  readonly edits: readonly {
    readonly path: string;
    readonly before: string;
    readonly after: string;
  }[];
}

/** The file operations writing uses; tests replace one to make it fail half-way. */
export interface Writer {
  mkdir(path: string): Promise<void>;
  /** Creates a file that must not exist yet. */
  create(path: string, content: string): Promise<void>;
  /** Replaces the content of an existing file. */
  replace(path: string, content: string): Promise<void>;
  remove(path: string): Promise<void>;
  rmdir(path: string): Promise<void>;
}

/** The real file system. */
export const fileWriter: Writer = {
  mkdir: (path) => fs.mkdir(path),
  create: (path, content) => fs.writeFile(path, content, { flag: 'wx' }),
  replace: (path, content) => fs.writeFile(path, content),
  remove: (path) => fs.unlink(path),
  rmdir: (path) => fs.rmdir(path),
};

/**
 * Checks every path of `changes` under `root`: each new file's folders are folders (or can be
 * made), not files or links; no new file exists; every edited file still holds what was read.
 *
 * @throws CommandFailure (exit code 2) naming the path and what to do, before anything is written.
 */
export async function checkChanges(root: string, changes: Changes): Promise<void> {
  for (const { path } of changes.creates) {
    const parts = path.split('/');
    for (let i = 1; i < parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      const stats = await fs.lstat(join(root, folder)).catch(() => undefined);
      if (!stats) break;
      if (stats.isSymbolicLink()) refuse(`${folder} is a symbolic link`, path);
      if (!stats.isDirectory()) refuse(`${folder} is a file, where a folder is needed`, path);
    }
    if (await exists(join(root, path))) refuse(`${path} already exists`, path);
  }
  for (const { path, before } of changes.edits) {
    const now = await fs.readFile(join(root, path), 'utf8').catch(() => undefined);
    if (now !== before) refuse(`${path} changed while protean add was planning`, path);
  }
}

function refuse(problem: string, path: string): never {
  throw new CommandFailure(
    `cannot write ${path}: ${problem}; protean add never overwrites or writes through links, and ` +
      'has written nothing. Move it out of the way, or choose another name',
    ExitCode.usage,
  );
}

async function exists(path: string): Promise<boolean> {
  return (await fs.lstat(path).catch(() => undefined)) !== undefined;
}

/**
 * Writes `changes` under `root` (checked first with {@link checkChanges}). On a failure, undoes
 * what it wrote and throws.
 *
 * @throws CommandFailure (exit code 1) saying what failed; the project is as it was.
 */
export async function applyChanges(
  root: string,
  changes: Changes,
  writer: Writer = fileWriter,
): Promise<void> {
  const undo: (() => Promise<void>)[] = [];
  try {
    for (const { path, content } of changes.creates) {
      for (const folder of await missingFolders(root, path)) {
        await writer.mkdir(folder);
        undo.push(() => writer.rmdir(folder));
      }
      await writer.create(join(root, path), content);
      undo.push(() => writer.remove(join(root, path)));
    }
    for (const { path, before, after } of changes.edits) {
      undo.push(() => writer.replace(join(root, path), before));
      await writer.replace(join(root, path), after);
    }
  } catch (error) {
    const failures = await undoAll(undo);
    const left = failures.length > 0 ? `; undoing it also failed: ${failures.join('; ')}` : '';
    throw new CommandFailure(
      `writing failed: ${describeError(error)}. ${left ? `Undo was incomplete${left}` : 'Everything written was undone, so the project is as it was'}`,
      ExitCode.error,
      { cause: error },
    );
  }
}

/** The folders on the way to `path` that do not exist yet, outermost first. */
async function missingFolders(root: string, path: string): Promise<string[]> {
  const missing: string[] = [];
  for (let folder = dirname(join(root, path)); folder !== root; folder = dirname(folder)) {
    if (await exists(folder)) break;
    missing.unshift(folder);
  }
  return missing;
}

async function undoAll(undo: (() => Promise<void>)[]): Promise<string[]> {
  const failures: string[] = [];
  for (const step of undo.reverse()) {
    await step().catch((error: unknown) => failures.push(describeError(error)));
  }
  return failures;
}
