/**
 * The project `protean add` works on: found from the current folder (the nearest folder with a
 * `package.json`, which must hold `src/index.ts`, the module that imports every element), and its
 * TypeScript modules under `src/`, read once.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { CommandFailure, ExitCode } from '../exit.js';

/** Where the project imports every element module, relative to its root. */
export const INDEX = 'src/index.ts';

/** A project as read from disk: its root and its modules' text, by path relative to the root. */
export interface ProjectFiles {
  readonly root: string;
  /** Every `.ts` module under `src/` (and `tests/domain.*.spec.ts`), by POSIX relative path. */
  readonly sources: ReadonlyMap<string, string>;
}

/**
 * The root of the project `cwd` is in.
 *
 * @throws CommandFailure (exit code 2) when there is none, naming where it looked.
 */
export function findProjectRoot(cwd: string): string {
  for (let folder = cwd; ; folder = dirname(folder)) {
    if (existsSync(join(folder, 'package.json'))) {
      if (isFile(join(folder, INDEX))) return folder;
      throw new CommandFailure(
        `${folder} has a package.json but no ${INDEX}, so protean add cannot tell where to ` +
          'register new elements; run it in a project made by create-domain (npm create domain), ' +
          `or add ${INDEX} that imports every element module`,
        ExitCode.usage,
      );
    }
    if (dirname(folder) === folder) break;
  }
  throw new CommandFailure(
    `found no package.json in ${cwd} or the folders above it; run protean add inside a project ` +
      'made by create-domain (npm create domain -- my-shop)',
    ExitCode.usage,
  );
}

/** Reads the project's modules (see {@link ProjectFiles}). */
export function readProject(root: string): ProjectFiles {
  const sources = new Map<string, string>();
  for (const path of listModules(root, 'src'))
    sources.set(path, readFileSync(join(root, path), 'utf8'));
  if (isFolder(join(root, 'tests'))) {
    for (const name of readdirSync(join(root, 'tests')).sort()) {
      if (/^domain\.[\w-]+\.spec\.ts$/.test(name)) {
        sources.set(`tests/${name}`, readFileSync(join(root, 'tests', name), 'utf8'));
      }
    }
  }
  return { root, sources };
}

function listModules(root: string, folder: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(join(root, folder), { withFileTypes: true })) {
    const path = `${folder}/${entry.name}`;
    if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') {
      found.push(...listModules(root, path));
    } else if (entry.isFile() && /\.m?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      found.push(path);
    }
  }
  return found.sort();
}

/** `path` relative to `root`, with `/` whatever the platform. */
export function projectPath(root: string, path: string): string {
  return relative(root, path).split(sep).join('/');
}

function isFile(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

function isFolder(path: string): boolean {
  return existsSync(path) && statSync(path).isDirectory();
}
