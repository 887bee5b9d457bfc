/**
 * The target folder: is it safe to write into, which files would be replaced, and the writing
 * itself. Every path is checked before the first byte is written, so a refused plan writes
 * nothing; and a write that fails half-way (a full disk, a file locked by another program) is
 * undone, so the target is left exactly as it was.
 */
import { constants, statSync } from 'node:fs';
import {
  access,
  lstat,
  mkdir,
  readdir,
  readFile,
  rmdir,
  stat,
  unlink,
  writeFile,
} from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { CreateDomainError } from './errors.js';
import { checkRelative, type PlannedFile } from './render.js';

/** What is in the target folder before anything is written. */
export interface TargetState {
  readonly exists: boolean;
  /** Entry names, except `.git` (a folder holding only `.git` counts as empty). */
  readonly entries: readonly string[];
}

/**
 * Looks at the target folder. Throws `TARGET_NOT_A_DIRECTORY` when the path, or a folder on the
 * way to it, is a file, and `TARGET_NOT_WRITABLE` when it cannot be read.
 *
 * @example
 * await inspectTarget('/tmp/my-shop'); // { exists: false, entries: [] }
 */
export async function inspectTarget(dir: string): Promise<TargetState> {
  // stat, not lstat: a target that is a link to a folder is the user's own choice of folder.
  const stats = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw targetProblem(dir, error);
  });
  if (!stats) return { exists: false, entries: [] };
  if (!stats.isDirectory()) {
    throw new CreateDomainError(
      'TARGET_NOT_A_DIRECTORY',
      `The target ${dir} exists and is not a folder. Choose another [dir], or move the file away.`,
    );
  }
  const names = await readdir(dir).catch((error: NodeJS.ErrnoException) => {
    throw targetProblem(dir, error);
  });
  return { exists: true, entries: names.filter((name) => name !== '.git').sort() };
}

/** ENOTDIR and EACCES on the way to the target, as messages that say what to do. */
function targetProblem(dir: string, error: NodeJS.ErrnoException): Error {
  if (error.code === 'ENOTDIR') {
    return new CreateDomainError(
      'TARGET_NOT_A_DIRECTORY',
      `The target ${dir} cannot be a folder: ${nearestFile(dir)} on the way to it is a file. ` +
        'Choose another [dir], or move that file away.',
      { cause: error },
    );
  }
  if (error.code === 'EACCES' || error.code === 'EPERM') {
    return notWritable(dir, 'cannot be read (permission denied)', error);
  }
  return error;
}

/** The file that stands where a folder on the way to `dir` should be (only to word a message). */
function nearestFile(dir: string): string {
  for (let path = dirname(dir); path !== dirname(path); path = dirname(path)) {
    if (statSync(path, { throwIfNoEntry: false })?.isFile()) return path;
  }
  return 'a path';
}

function notWritable(path: string, why: string, cause?: unknown): CreateDomainError {
  return new CreateDomainError(
    'TARGET_NOT_WRITABLE',
    `${path} ${why}, so create-domain cannot write the project there. Nothing was written. ` +
      'Choose a folder you can write to, or change its permissions.',
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Throws `TARGET_NOT_EMPTY` when the folder holds anything but `.git` and `overwrite` is off.
 *
 * @example
 * checkTargetEmpty('/tmp/shop', await inspectTarget('/tmp/shop'), false);
 */
export function checkTargetEmpty(dir: string, state: TargetState, overwrite: boolean): void {
  if (overwrite || state.entries.length === 0) return;
  const shown = state.entries.slice(0, 5).join(', ') + (state.entries.length > 5 ? ', ...' : '');
  throw new CreateDomainError(
    'TARGET_NOT_EMPTY',
    `The target folder ${dir} is not empty (it holds ${shown}). ` +
      'Choose a new or empty folder, or pass --overwrite to write into it ' +
      '(files with the same paths are replaced; other files are kept).',
  );
}

/**
 * The absolute path of a planned file, after refusing paths that would land outside `dir`:
 * `..` segments, absolute paths, and symbolic links on the way (the link could point anywhere).
 *
 * @example
 * await safeDestination('/tmp/shop', 'src/domain.ts'); // '/tmp/shop/src/domain.ts'
 */
export async function safeDestination(dir: string, path: string): Promise<string> {
  const root = resolve(dir);
  const destination = resolve(root, checkRelative(path));
  const inside = relative(root, destination);
  if (inside === '' || inside.startsWith('..') || resolve(root, inside) !== destination) {
    throw escapes(path, 'it resolves outside the target folder');
  }
  let current = root;
  for (const segment of inside.split(sep)) {
    current = join(current, segment);
    const stats = await lstat(current).catch(() => undefined);
    if (!stats) break;
    if (stats.isSymbolicLink()) throw escapes(path, `${current} is a symbolic link`);
  }
  return destination;
}

function escapes(path: string, why: string): CreateDomainError {
  return new CreateDomainError(
    'PATH_ESCAPES_TARGET',
    `Refusing to write ${JSON.stringify(path)}: ${why}, and create-domain writes only inside the ` +
      'target folder. Remove the link or choose another folder.',
  );
}

/**
 * The planned paths that already exist in `dir` (and would be replaced).
 *
 * @example
 * await existingFiles('/tmp/shop', files); // ['package.json']
 */
export async function existingFiles(dir: string, files: readonly PlannedFile[]): Promise<string[]> {
  const found: string[] = [];
  for (const file of files) {
    const exists = await lstat(join(dir, file.path)).then(
      () => true,
      () => false,
    );
    if (exists) found.push(file.path);
  }
  return found;
}

/** One file of a checked plan: where it goes, and what was there before (to put it back). */
interface PlannedWrite {
  readonly file: PlannedFile;
  readonly destination: string;
  readonly previous: Uint8Array | undefined;
}

/** Writes that have been checked against the disk: nothing in the way, everything writable. */
export interface WritePlan {
  readonly dir: string;
  readonly writes: readonly PlannedWrite[];
  /** Folders to create, parents before children. */
  readonly folders: readonly string[];
}

/**
 * Checks every planned file against the disk before anything is written: no symbolic link or
 * `..` on the way, no planned file that exists as a folder, no planned folder that exists as a
 * file, and every place written to writable. Throws `PATH_ESCAPES_TARGET`, `TARGET_CLASH` or
 * `TARGET_NOT_WRITABLE`, naming the path and what to do.
 *
 * @example
 * const plan = await planWrites('/tmp/shop', files);
 * await writePlan(plan);
 */
export async function planWrites(dir: string, files: readonly PlannedFile[]): Promise<WritePlan> {
  const root = resolve(dir);
  const folders = new Set<string>();
  const writes: PlannedWrite[] = [];
  for (const file of files) {
    const destination = await safeDestination(root, file.path);
    await collectFolders(dirname(destination), file.path, folders);
    writes.push({ file, destination, previous: await previousContent(destination, file.path) });
  }
  await checkWritable(writes, folders);
  return { dir: root, writes, folders: [...folders].sort((a, b) => a.length - b.length) };
}

/**
 * Records the folders missing on the way to `folder` (the target itself included); a file where
 * one of them should be is a clash.
 */
async function collectFolders(
  folder: string,
  planned: string,
  missing: Set<string>,
): Promise<void> {
  for (let path = folder; ; path = dirname(path)) {
    const stats = await stat(path).catch(() => undefined);
    if (stats?.isDirectory()) return;
    if (stats) {
      throw new CreateDomainError(
        'TARGET_CLASH',
        `Cannot write ${planned}: ${path} must be a folder but is a file. Nothing was written. ` +
          'Move that file away, or choose another folder.',
      );
    }
    missing.add(path);
    if (dirname(path) === path) return;
  }
}

/** What a planned file replaces, to put back on failure; a folder in its place clashes. */
async function previousContent(
  destination: string,
  planned: string,
): Promise<Uint8Array | undefined> {
  const stats = await lstat(destination).catch(() => undefined);
  if (!stats) return undefined;
  if (!stats.isFile()) {
    const what = stats.isDirectory() ? 'a folder' : 'not a regular file';
    throw new CreateDomainError(
      'TARGET_CLASH',
      `Cannot write ${planned}: ${destination} exists and is ${what}, and --overwrite replaces ` +
        'files only. Nothing was written. Move it away, or choose another folder.',
    );
  }
  try {
    await access(destination, constants.R_OK | constants.W_OK);
    return new Uint8Array(await readFile(destination));
  } catch (error) {
    throw notWritable(destination, 'cannot be replaced (permission denied)', error);
  }
}

/** Every existing folder that gets a new entry (a file or a missing folder) must be writable. */
async function checkWritable(
  writes: readonly PlannedWrite[],
  missing: ReadonlySet<string>,
): Promise<void> {
  const parents = new Set<string>();
  for (const write of writes) parents.add(dirname(write.destination));
  for (const folder of missing) parents.add(dirname(folder));
  for (const folder of parents) {
    if (missing.has(folder)) continue;
    try {
      await access(folder, constants.W_OK | constants.X_OK);
    } catch (error) {
      throw notWritable(folder, 'is not writable (permission denied)', error);
    }
  }
}

/**
 * Writes a checked plan. When a write fails part-way, everything already done is undone
 * (replaced files get their old bytes back, new files and folders are removed) and
 * `WRITE_FAILED` says what failed.
 *
 * @example
 * await writePlan(await planWrites('/tmp/shop', files));
 */
export async function writePlan(plan: WritePlan): Promise<void> {
  const createdFolders: string[] = [];
  const written: PlannedWrite[] = [];
  try {
    for (const folder of plan.folders) {
      await mkdir(folder);
      createdFolders.push(folder);
    }
    for (const write of plan.writes) {
      written.push(write);
      await writeFile(write.destination, write.file.content);
    }
  } catch (error) {
    await undo(written, createdFolders);
    const reason = error instanceof Error ? error.message : String(error);
    throw new CreateDomainError(
      'WRITE_FAILED',
      `Writing the project into ${plan.dir} failed (${reason}); everything written was undone, ` +
        'so the folder is as it was. Fix the cause (disk space, permissions, another program ' +
        'holding a file) and run create-domain again.',
      { cause: error },
    );
  }
}

async function undo(written: readonly PlannedWrite[], folders: readonly string[]): Promise<void> {
  for (const write of [...written].reverse()) {
    await (
      write.previous ? writeFile(write.destination, write.previous) : unlink(write.destination)
    ).catch(() => undefined);
  }
  for (const folder of [...folders].reverse()) await rmdir(folder).catch(() => undefined);
}

/**
 * Checks, then writes, the planned files into `dir` ({@link planWrites}, {@link writePlan}):
 * one bad path and nothing is written; a failed write is undone.
 *
 * @example
 * await writeFiles('/tmp/shop', await planFiles(PROJECT_BLUEPRINT, context, variables));
 */
export async function writeFiles(dir: string, files: readonly PlannedFile[]): Promise<void> {
  await writePlan(await planWrites(dir, files));
}
