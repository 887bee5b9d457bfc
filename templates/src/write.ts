/**
 * The target folder: is it safe to write into, which files would be replaced, and the writing
 * itself. Every path is checked before the first byte is written, so a refused plan writes nothing.
 */
import { lstat, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative, resolve, sep } from 'node:path';
import { CreateDomainError } from './errors.js';
import { checkRelative, type PlannedFile } from './render.js';

/** What is in the target folder before anything is written. */
export interface TargetState {
  readonly exists: boolean;
  /** Entry names, except `.git` (a folder holding only `.git` counts as empty). */
  readonly entries: readonly string[];
}

/**
 * Looks at the target folder. Throws `TARGET_NOT_A_DIRECTORY` when the path is a file.
 *
 * @example
 * await inspectTarget('/tmp/my-shop'); // { exists: false, entries: [] }
 */
export async function inspectTarget(dir: string): Promise<TargetState> {
  // stat, not lstat: a target that is a link to a folder is the user's own choice of folder.
  const stats = await stat(dir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!stats) return { exists: false, entries: [] };
  if (!stats.isDirectory()) {
    throw new CreateDomainError(
      'TARGET_NOT_A_DIRECTORY',
      `The target ${dir} exists and is not a folder. Choose another [dir], or move the file away.`,
    );
  }
  const entries = (await readdir(dir)).filter((name) => name !== '.git').sort();
  return { exists: true, entries };
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

/**
 * Writes the planned files into `dir`, creating folders as needed. Every destination is checked
 * with {@link safeDestination} first; one bad path and nothing is written.
 *
 * @example
 * await writeFiles('/tmp/shop', await planFiles(PROJECT_BLUEPRINT, context, variables));
 */
export async function writeFiles(dir: string, files: readonly PlannedFile[]): Promise<void> {
  const destinations: string[] = [];
  for (const file of files) destinations.push(await safeDestination(dir, file.path));
  await mkdir(dir, { recursive: true });
  for (const [index, file] of files.entries()) {
    const destination = destinations[index]!;
    await mkdir(resolve(destination, '..'), { recursive: true });
    await writeFile(destination, file.content);
  }
}
