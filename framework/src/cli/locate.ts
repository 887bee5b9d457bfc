import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DiscoveryError } from './exit.js';

/** Extensions tried after a path given without one, in this order. */
const EXTENSIONS = ['.ts', '.mts', '.js', '.mjs'];
/** What the current folder may hold, in this order (rule 3 of `discoverDomain()`). */
export const CWD_CANDIDATES = ['domain.ts', 'domain.js', 'subdomain.ts', 'subdomain.js'];
/** What a folder given as `--domain` may hold, in this order. */
const FOLDER_CANDIDATES = ['domain', 'index'].flatMap((base) => EXTENSIONS.map((e) => base + e));
/** The export conditions Node uses for `import` without `--conditions`. */
const CONDITIONS = new Set(['node', 'import', 'default']);

/** `path` relative to `cwd` when it lies inside it, absolute otherwise: what messages show. */
export function displayPath(path: string, cwd: string): string {
  const shown = relative(cwd, path);
  return shown && !shown.startsWith('..') && !isAbsolute(shown) ? shown : path;
}

const isFile = (path: string) => existsSync(path) && statSync(path).isFile();
const isFolder = (path: string) => existsSync(path) && statSync(path).isDirectory();
const firstFile = (folder: string, names: readonly string[]) =>
  names.map((name) => join(folder, name)).find(isFile);

/**
 * The domain module of the current folder: `domain.ts`, `domain.js`, `subdomain.ts`,
 * `subdomain.js`, the first that exists.
 */
export function locateInFolder(cwd: string): string {
  const file = firstFile(cwd, CWD_CANDIDATES);
  if (file) return file;
  throw new DiscoveryError(
    `found none of ${CWD_CANDIDATES.join(', ')} in ${cwd}; run protean from the folder of ` +
      'your domain, pass --domain <file|folder|module>[:export], or set PROTEAN_DOMAIN',
  );
}

/**
 * The file a `--domain` path or module specifier means: the file itself; a folder's `domain.*` or
 * `index.*`; the path with `.ts`, `.mts`, `.js` or `.mjs` added; else a package resolved like Node
 * from `cwd` (`node_modules` of `cwd` and its parents, `exports` with the `node`, `import` and
 * `default` conditions, else `main`, else `index.js`).
 */
export function locateModule(specifier: string, cwd: string): string {
  const path = specifier.startsWith('file:') ? fileURLToPath(specifier) : resolve(cwd, specifier);
  if (isFolder(path)) return inFolder(path, cwd);
  const file = [path, ...EXTENSIONS.map((extension) => path + extension)].find(isFile);
  if (file) return file;
  const fromPackage = isBare(specifier) ? locatePackage(specifier, cwd) : undefined;
  if (fromPackage) return fromPackage;
  const tried = [path, ...EXTENSIONS.map((extension) => `${path}${extension}`)];
  const asPackage = isBare(specifier) ? `, and no package "${specifier}" in node_modules` : '';
  throw new DiscoveryError(
    `no file or folder at ${tried.map((p) => displayPath(p, cwd)).join(', ')}${asPackage}; ` +
      'check the path, or point --domain at the module that creates your Domain',
  );
}

function inFolder(folder: string, cwd: string): string {
  const file = firstFile(folder, FOLDER_CANDIDATES);
  if (file) return file;
  throw new DiscoveryError(
    `folder ${displayPath(folder, cwd)} holds none of ${FOLDER_CANDIDATES.join(', ')}; ` +
      'pass the file that creates your Domain instead (--domain <folder>/<file>)',
  );
}

function isBare(specifier: string): boolean {
  return !/^(\.{1,2}(\/|\\|$)|\/|\\|file:)/.test(specifier) && !isAbsolute(specifier);
}

/** `@scope/name/sub/path` -> `@scope/name` and `./sub/path`. */
function splitSpecifier(specifier: string): { name: string; subpath: string } {
  const parts = specifier.split('/');
  const size = specifier.startsWith('@') ? 2 : 1;
  const rest = parts.slice(size).join('/');
  return { name: parts.slice(0, size).join('/'), subpath: rest ? `./${rest}` : '.' };
}

function locatePackage(specifier: string, cwd: string): string | undefined {
  const { name, subpath } = splitSpecifier(specifier);
  for (let folder = cwd; ; folder = dirname(folder)) {
    const candidate = join(folder, 'node_modules', name);
    if (isFile(join(candidate, 'package.json'))) return packageEntry(candidate, subpath, cwd);
    if (dirname(folder) === folder) return undefined;
  }
}

interface Manifest {
  name?: string;
  main?: string;
  exports?: unknown;
}

function packageEntry(folder: string, subpath: string, cwd: string): string {
  const manifest = JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Manifest;
  if (manifest.exports === undefined) {
    const entry = subpath === '.' ? (manifest.main ?? 'index.js') : subpath;
    return locateModule(resolve(folder, entry), folder);
  }
  const target = exportTarget(manifest.exports, subpath);
  if (target === undefined) {
    throw new DiscoveryError(
      `package "${manifest.name ?? displayPath(folder, cwd)}" exports nothing at "${subpath}" ` +
        'for import (conditions node, import, default); name one of its exports or the file itself',
    );
  }
  return resolve(folder, target);
}

function exportTarget(exports: unknown, subpath: string): string | undefined {
  const keys = exports && typeof exports === 'object' ? Object.keys(exports) : [];
  const bySubpath = keys.some((key) => key.startsWith('.'));
  const map = (bySubpath ? exports : { '.': exports }) as Record<string, unknown>;
  if (subpath in map) return conditionTarget(map[subpath]);
  for (const [key, value] of Object.entries(map)) {
    const [before, after, extra] = key.split('*');
    if (before === undefined || after === undefined || extra !== undefined) continue;
    const fits = subpath.startsWith(before) && subpath.endsWith(after);
    if (!fits || subpath.length < key.length - 1) continue;
    const star = subpath.slice(before.length, subpath.length - after.length);
    return conditionTarget(value)?.replaceAll('*', star);
  }
  return undefined;
}

/** The first target whose condition Node would match, in the object's own key order. */
function conditionTarget(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(conditionTarget).find((t) => t !== undefined);
  if (!value || typeof value !== 'object') return undefined;
  for (const [condition, target] of Object.entries(value)) {
    if (!CONDITIONS.has(condition)) continue;
    const found = conditionTarget(target);
    if (found !== undefined) return found;
  }
  return undefined;
}
