/**
 * Checks the `<<<` code imports in the docs pages.
 *
 * VitePress 1.x embeds the whole file when a `#region` name is misspelt, so a page can show the
 * wrong code without any build error. This module finds every import line, resolves it the way
 * VitePress does, and reports each missing file or region with the page, the line and the fix.
 *
 * The parsing below mirrors VitePress 1.6.4 (`snippetPlugin` and `findRegion` in
 * `vitepress/dist/node`); `snippets.unit.spec.ts` renders the same fixtures with VitePress itself,
 * so a change in VitePress's syntax shows up as a failing test here.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/** One `<<<` line found in a markdown page. */
export interface SnippetImport {
  /** The page, as an absolute path. */
  page: string;
  /** 1-based line number in the page. */
  line: number;
  /** The import line as written, trimmed. */
  text: string;
  /** The file it points at, as an absolute path. */
  file: string;
  /** The region name after `#`, if any. */
  region: string | undefined;
}

/** An import that VitePress would not embed as the author meant. */
export interface SnippetProblem extends SnippetImport {
  problem: string;
}

/**
 * VitePress 1.6.4's `rawPathRegexp`: path, extension, `#region`, then `{lines lang attrs}`, then
 * `[title]`. Region names are letters, digits, `_` and `-`.
 */
const RAW_PATH =
  /^(.+?(?:(?:\.([a-z0-9]+))?))(?:(#[\w-]+))?(?: ?(?:{(\d+(?:[,-]\d+)*)? ?(\S+)? ?(\S+)?}))? ?(?:\[(.+)\])?$/;

/** The region markers VitePress recognises, per language family (tested on the trimmed line). */
const REGION_MARKERS = [
  /^\/\/ ?#?((?:end)?region) ([\w*-]+)$/, // JavaScript, TypeScript
  /^\/\* ?#((?:end)?region) ([\w*-]+) ?\*\/$/, // CSS
  /^#pragma ((?:end)?region) ([\w*-]+)$/, // C, C++
  /^<!-- #?((?:end)?region) ([\w*-]+) -->$/, // HTML, markdown
  /^#((?:End )Region) ([\w*-]+)$/, // Visual Basic
  /^::#((?:end)region) ([\w*-]+)$/, // Bat
  /^# ?((?:end)?region) ([\w*-]+)$/, // shell, Python, SQL comments, TOML, YAML
];

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** Folders that hold no pages of ours: dependencies and build output anywhere, VitePress's cache. */
const SKIPPED_DIRS = new Set(['node_modules', 'dist', '.tsbuild']);
const SKIPPED_PATHS = new Set([join('.vitepress', 'cache')]);

/** Finds the `<<<` lines of a page, ignoring those shown inside fenced code blocks. */
export function findImportLines(markdown: string): { line: number; text: string }[] {
  const found: { line: number; text: string }[] = [];
  let openFence: string | undefined;
  markdown.split(/\r?\n/).forEach((raw, index) => {
    const fence = FENCE.exec(raw)?.[1];
    if (openFence === undefined && fence !== undefined) {
      openFence = fence;
    } else if (openFence !== undefined) {
      const closes =
        fence !== undefined && fence[0] === openFence[0] && fence.length >= openFence.length;
      if (closes && raw.trim() === fence) openFence = undefined;
    } else if (raw.trimStart().startsWith('<<<')) {
      found.push({ line: index + 1, text: raw.trim() });
    }
  });
  return found;
}

/**
 * Resolves an import line the way VitePress does: a leading `@` is the docs root, anything else is
 * relative to the page.
 */
export function resolveImport(
  text: string,
  page: string,
  docsRoot: string,
): { file: string; region: string | undefined } {
  const rawPath = text.slice(3).trim().replace(/^@/, docsRoot).trim();
  const [, filepath = '', , region = ''] = RAW_PATH.exec(rawPath) ?? [];
  return { file: resolve(dirname(page), filepath), region: region ? region.slice(1) : undefined };
}

/** Where a region starts and ends, following VitePress: the end marker must use the same syntax. */
export function findRegion(
  source: string,
  name: string,
): 'found' | 'no start marker' | 'no end marker' {
  const lines = source.replace(/\r\n/g, '\n').split('\n');
  let marker: RegExp | undefined;
  for (const line of lines) {
    if (marker === undefined) {
      marker = REGION_MARKERS.find((regexp) => isMarker(line, regexp, name, 'region'));
    } else if (isMarker(line, marker, name, 'endregion')) {
      return 'found';
    }
  }
  return marker === undefined ? 'no start marker' : 'no end marker';
}

/** The region names a file declares, to suggest the right one in a failure message. */
export function listRegions(source: string): string[] {
  const names = new Set<string>();
  for (const line of source.split(/\r?\n/)) {
    for (const regexp of REGION_MARKERS) {
      const [, tag, name] = regexp.exec(line.trim()) ?? [];
      if (tag !== undefined && name !== undefined && /^region$/i.test(tag)) names.add(name);
    }
  }
  return [...names];
}

function isMarker(
  line: string,
  regexp: RegExp,
  name: string,
  kind: 'region' | 'endregion',
): boolean {
  const [, tag, found] = regexp.exec(line.trim()) ?? [];
  if (tag === undefined || found !== name) return false;
  return kind === 'region' ? /^region$/i.test(tag) : /^end ?region$/i.test(tag);
}

/** Two mistakes we have seen turn a good import into a missing file. */
function missingFileHint(shown: string): string {
  if (shown.includes('**')) {
    return ' (Prettier turns __name__ into **name** in markdown: put <!-- prettier-ignore --> on the line before the import)';
  }
  if (shown.includes('#')) return ' (region names may use only letters, digits, _ and -)';
  return '';
}

/** Checks one import; returns what is wrong with it, or undefined when VitePress will embed it as meant. */
export function checkImport(entry: SnippetImport, docsRoot: string): string | undefined {
  const shown = relative(docsRoot, entry.file);
  if (!existsSync(entry.file)) return `file not found: ${shown}${missingFileHint(shown)}`;
  if (!statSync(entry.file).isFile()) return `not a file: ${shown}`;
  if (entry.region === undefined) return undefined;
  const source = readFileSync(entry.file, 'utf8');
  const result = findRegion(source, entry.region);
  if (result === 'found') return undefined;
  const known = listRegions(source);
  const regions =
    known.length > 0 ? `regions in that file: ${known.join(', ')}` : 'that file has no regions';
  const region = entry.region;
  return result === 'no start marker'
    ? `region ${region} not found: no \`// #region ${region}\` marker in ${shown} (${regions}); VitePress would embed the whole file`
    : `region ${region} has no \`// #endregion ${region}\` marker in ${shown}; VitePress would embed the whole file`;
}

/** Every import in one page. */
export function importsOfPage(page: string, docsRoot: string): SnippetImport[] {
  return findImportLines(readFileSync(page, 'utf8')).map(({ line, text }) => ({
    page,
    line,
    text,
    ...resolveImport(text, page, docsRoot),
  }));
}

/** Every markdown page under the docs root, skipping dependencies, build output and caches. */
export function listPages(docsRoot: string): string[] {
  const pages: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      const skipped = SKIPPED_DIRS.has(entry.name) || SKIPPED_PATHS.has(relative(docsRoot, path));
      if (entry.isDirectory() && !skipped) visit(path);
      else if (entry.isFile() && entry.name.endsWith('.md')) pages.push(path);
    }
  };
  visit(docsRoot);
  return pages.sort();
}

/** Checks every import of every page; returns the imports seen and the problems found. */
export function checkDocs(docsRoot: string): {
  imports: SnippetImport[];
  problems: SnippetProblem[];
} {
  const imports = listPages(docsRoot).flatMap((page) => importsOfPage(page, docsRoot));
  const problems = imports.flatMap((entry) => {
    const problem = checkImport(entry, docsRoot);
    return problem === undefined ? [] : [{ ...entry, problem }];
  });
  return { imports, problems };
}

/** `tutorial/01-first-aggregate.md:42: <<< ...#bok{ts}` then the problem on the next line. */
export function formatProblem(problem: SnippetProblem, docsRoot: string): string {
  return `${relative(docsRoot, problem.page)}:${problem.line}: ${problem.text}\n  ${problem.problem}`;
}
