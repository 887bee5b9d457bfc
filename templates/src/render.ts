/**
 * Blueprints: folder trees under `blueprints/`. A `*.hbs` file is rendered with handlebars and
 * loses the suffix; every other file is copied byte for byte. In paths, `_gitignore` becomes
 * `.gitignore` (npm would drop a real `.gitignore` from the published package) and `__key__`
 * segments take the value of a path variable; a file whose variable is unset is left out.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, posix, win32 } from 'node:path';
import { fileURLToPath } from 'node:url';
import Handlebars from 'handlebars';
import { CreateDomainError } from './errors.js';

/** The blueprint of a new project, shipped in the package's `blueprints/` folder. */
export const PROJECT_BLUEPRINT = fileURLToPath(new URL('../blueprints/project/', import.meta.url));

/** One file to write: a `/`-separated path relative to the target folder and its bytes. */
export interface PlannedFile {
  readonly path: string;
  readonly content: Uint8Array;
}

/** Values for `__key__` path segments; `undefined` leaves out the files that use the key. */
export type PathVariables = Readonly<Record<string, string | undefined>>;

const TEMPLATE_SUFFIX = '.hbs';
const PLACEHOLDER = /__([a-z][a-zA-Z0-9]*)__/g;

/** An isolated handlebars environment, so helpers registered here never leak to other users. */
const handlebars = Handlebars.create();
handlebars.registerHelper('json', (value: unknown) => JSON.stringify(value));
// `${NAME|fallback}` for domain.toml; written out in a template, the closing `}` would run into
// handlebars' own `}}`.
handlebars.registerHelper(
  'envRef',
  (name: unknown, fallback: unknown) => `\${${String(name)}|${String(fallback)}}`,
);

/**
 * Every file under `root`, as sorted `/`-separated relative paths.
 *
 * @example
 * await listBlueprint(PROJECT_BLUEPRINT); // ['README.md.hbs', '_gitignore', ...]
 */
export async function listBlueprint(root: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(join(root, prefix), { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (entry) => {
      const path = prefix ? `${prefix}/${entry.name}` : entry.name;
      if (entry.isDirectory()) return listBlueprint(root, path);
      return entry.isFile() ? [path] : [];
    }),
  );
  return nested.flat().sort();
}

/**
 * Where a blueprint file lands in the project, or `null` when a path variable it needs is unset.
 * Throws `PATH_ESCAPES_TARGET` for a result that is absolute or climbs out with `..`.
 *
 * @example
 * outputPath('src/__example__/__example__.ts.hbs', { example: 'task' }); // 'src/task/task.ts'
 * outputPath('_gitignore', {});                                         // '.gitignore'
 * outputPath('src/__example__/x.ts', { example: undefined });           // null
 */
export function outputPath(source: string, variables: PathVariables): string | null {
  let missing = false;
  const substituted = source.replace(PLACEHOLDER, (_match, key: string) => {
    const value = variables[key];
    if (value === undefined || value === '') missing = true;
    return value ?? '';
  });
  if (missing) return null;
  const renamed = substituted
    .split('/')
    .map((segment) => (segment === '_gitignore' ? '.gitignore' : segment))
    .join('/');
  const path = renamed.endsWith(TEMPLATE_SUFFIX)
    ? renamed.slice(0, -TEMPLATE_SUFFIX.length)
    : renamed;
  return checkRelative(path);
}

/**
 * Throws `PATH_ESCAPES_TARGET` unless `path` stays inside the folder it is relative to; returns
 * it normalised.
 *
 * @example
 * checkRelative('src/./domain.ts'); // 'src/domain.ts'
 * checkRelative('../outside.txt');  // throws
 */
export function checkRelative(path: string): string {
  const normalised = posix.normalize(path.replaceAll('\\', '/'));
  const escapes = normalised === '..' || normalised.startsWith('../') || normalised === '.';
  if (posix.isAbsolute(normalised) || win32.isAbsolute(path) || escapes) {
    throw new CreateDomainError(
      'PATH_ESCAPES_TARGET',
      `Refusing to write ${JSON.stringify(path)}: every file must stay inside the target folder. ` +
        'This is a bug in the blueprint or its path variables; please report it.',
    );
  }
  return normalised;
}

/**
 * Renders handlebars source. `noEscape` because the output is code, not HTML; `strict` so that a
 * misspelt variable fails loudly instead of rendering as an empty string.
 *
 * @example
 * renderTemplate('const name = {{json name}};', { name: 'shop' }); // 'const name = "shop";'
 */
export function renderTemplate(source: string, context: object, name = 'template'): string {
  try {
    return handlebars.compile(source, { noEscape: true, strict: true })(context);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`Could not render the blueprint file ${name}: ${reason}`, { cause: error });
  }
}

/**
 * Reads a blueprint and works out every file of the result, in memory: rendered templates and
 * byte-for-byte copies, at their output paths. Nothing is written.
 *
 * @example
 * const files = await planFiles(PROJECT_BLUEPRINT, context, { example: 'task' });
 */
export async function planFiles(
  root: string,
  context: object,
  variables: PathVariables,
): Promise<PlannedFile[]> {
  const planned: PlannedFile[] = [];
  const sources = new Map<string, string>();
  for (const source of await listBlueprint(root)) {
    const path = outputPath(source, variables);
    if (path === null) continue;
    const clash = sources.get(path);
    if (clash) {
      throw new Error(
        `Blueprint files ${clash} and ${source} would both write ${path}; remove one.`,
      );
    }
    sources.set(path, source);
    const bytes = await readFile(join(root, source));
    const content = source.endsWith(TEMPLATE_SUFFIX)
      ? new TextEncoder().encode(renderTemplate(bytes.toString('utf8'), context, source))
      : new Uint8Array(bytes);
    planned.push({ path, content });
  }
  // Code-unit order, like listBlueprint(): the same on every machine, whatever its locale.
  return planned.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
