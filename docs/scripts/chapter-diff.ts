/**
 * "What changed since chapter N-1", generated when the docs are built: a page writes one line,
 *
 *   <!--@what-changed: 01-first-aggregate 02-fields-and-value-objects-->
 *
 * and `whatChangedPlugin` replaces it with the list of files that differ between the two chapter
 * folders' code (`src/` and `tests/`, recorded output left out) and a diff of each changed file.
 * Nothing on the page is written by hand, so editing a chapter changes it at the next build.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** The marker line, as a page writes it. */
export const WHAT_CHANGED = /^<!--\s*@what-changed:\s*(\S+)\s+(\S+)\s*-->[ \t]*$/gm;

/** The folders of a chapter whose files are compared; snapshots of output are left out. */
const COMPARED = ['src', 'tests'];
const SKIPPED = new Set(['__snapshots__', 'node_modules', '.tsbuild']);

/** Lines of context around each change in a diff, as `diff -u` shows. */
const CONTEXT = 3;

export interface FileChange {
  /** The file's path inside the chapter folder, with `/` separators. */
  path: string;
  status: 'added' | 'removed' | 'changed';
  /** Lines added and removed (every line of an added or removed file). */
  added: number;
  removed: number;
  /** The unified diff of a changed file (hunks only, no file header). */
  diff: string;
  /** The text of an added file. */
  text: string;
}

/** Every file of the compared folders, as paths relative to the chapter folder. */
export function listFiles(chapterDir: string): string[] {
  const files: string[] = [];
  const visit = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (SKIPPED.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) visit(path);
      else if (entry.isFile()) files.push(relative(chapterDir, path).split(sep).join('/'));
    }
  };
  for (const folder of COMPARED) {
    if (existsSync(join(chapterDir, folder))) visit(join(chapterDir, folder));
  }
  return files.sort();
}

/** The files that differ between two chapter folders, in path order. */
export function compareChapters(fromDir: string, toDir: string): FileChange[] {
  const before = new Set(listFiles(fromDir));
  const after = new Set(listFiles(toDir));
  const paths = [...new Set([...before, ...after])].sort();
  return paths.flatMap((path): FileChange[] => {
    const oldText = before.has(path) ? readFileSync(join(fromDir, path), 'utf8') : undefined;
    const newText = after.has(path) ? readFileSync(join(toDir, path), 'utf8') : undefined;
    if (oldText === newText) return [];
    if (oldText === undefined) {
      return [
        {
          path,
          status: 'added',
          added: lines(newText!).length,
          removed: 0,
          diff: '',
          text: newText!,
        },
      ];
    }
    if (newText === undefined) {
      return [
        { path, status: 'removed', added: 0, removed: lines(oldText).length, diff: '', text: '' },
      ];
    }
    const edits = diffLines(lines(oldText), lines(newText));
    return [
      {
        path,
        status: 'changed',
        added: edits.filter((edit) => edit.kind === '+').length,
        removed: edits.filter((edit) => edit.kind === '-').length,
        diff: unifiedDiff(edits),
        text: '',
      },
    ];
  });
}

function lines(text: string): string[] {
  const all = text.split(/\r?\n/);
  if (all.at(-1) === '') all.pop();
  return all;
}

interface Edit {
  kind: ' ' | '-' | '+';
  line: string;
  /** 1-based line numbers in the old and new file (of the line, or of where it would be). */
  oldNo: number;
  newNo: number;
}

/** A line diff by longest common subsequence; chapter files are small, so O(n·m) is fine. */
export function diffLines(oldLines: string[], newLines: string[]): Edit[] {
  const n = oldLines.length;
  const m = newLines.length;
  // common[i][j]: length of the longest common subsequence of oldLines[i..] and newLines[j..].
  const common = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      common[i]![j] =
        oldLines[i] === newLines[j]
          ? common[i + 1]![j + 1]! + 1
          : Math.max(common[i + 1]![j]!, common[i]![j + 1]!);
    }
  }
  const edits: Edit[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && oldLines[i] === newLines[j]) {
      edits.push({ kind: ' ', line: oldLines[i]!, oldNo: ++i, newNo: ++j });
    } else if (i < n && (j === m || common[i + 1]![j]! >= common[i]![j + 1]!)) {
      edits.push({ kind: '-', line: oldLines[i]!, oldNo: ++i, newNo: j });
    } else {
      edits.push({ kind: '+', line: newLines[j]!, oldNo: i, newNo: ++j });
    }
  }
  return edits;
}

/** Hunks in `diff -u` form: `@@ -a,b +c,d @@`, then the lines with ` `, `-` or `+`. */
export function unifiedDiff(edits: Edit[]): string {
  const changed = edits.flatMap((edit, index) => (edit.kind === ' ' ? [] : [index]));
  const hunks: [number, number][] = [];
  for (const index of changed) {
    const start = Math.max(0, index - CONTEXT);
    const end = Math.min(edits.length - 1, index + CONTEXT);
    const last = hunks.at(-1);
    if (last && start <= last[1] + 1) last[1] = end;
    else hunks.push([start, end]);
  }
  return hunks
    .map(([start, end]) => {
      const slice = edits.slice(start, end + 1);
      const oldCount = slice.filter((edit) => edit.kind !== '+').length;
      const newCount = slice.filter((edit) => edit.kind !== '-').length;
      const first = slice[0]!;
      const oldStart = first.kind === '+' ? first.oldNo + 1 : first.oldNo;
      const newStart = first.kind === '-' ? first.newNo + 1 : first.newNo;
      const header = `@@ -${oldCount ? oldStart : oldStart - 1},${oldCount} +${newCount ? newStart : newStart - 1},${newCount} @@`;
      return [header, ...slice.map((edit) => `${edit.kind}${edit.line}`)].join('\n');
    })
    .join('\n');
}

/** A fence longer than any run of backticks in `text`, so code holding ``` stays inside. */
function fenceFor(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  return '`'.repeat(longest + 1);
}

const LANGUAGES: Record<string, string> = { ts: 'ts', json: 'json', md: 'md', txt: 'text' };

function languageOf(path: string): string {
  return LANGUAGES[path.split('.').at(-1) ?? ''] ?? 'text';
}

/** The markdown that replaces a marker: a table of the files, then each file's change, folded. */
export function whatChangedMarkdown(changes: FileChange[], from: string, to: string): string {
  if (changes.length === 0) return `_The code of \`${to}\` is the same as \`${from}\`'s._\n`;
  const counts = (change: FileChange) =>
    change.status === 'changed' ? `changed: +${change.added} −${change.removed}` : change.status;
  const table = [
    `Compared with \`chapters/${from}/\`, the code (\`src/\` and \`tests/\`) of \`chapters/${to}/\` has:`,
    '',
    '| File | Change |',
    '| --- | --- |',
    ...changes.map((change) => `| \`${change.path}\` | ${counts(change)} |`),
    '',
  ];
  const details = changes
    .filter((change) => change.status !== 'removed')
    .flatMap((change) => {
      const body = change.status === 'added' ? change.text : `${change.diff}\n`;
      const fence = fenceFor(body);
      const language = change.status === 'added' ? languageOf(change.path) : 'diff';
      return [
        `::: details ${change.path} (${counts(change)})`,
        `${fence}${language}`,
        body.trimEnd(),
        fence,
        ':::',
        '',
      ];
    });
  return [...table, ...details].join('\n');
}

/** Replaces every marker in a page's markdown with the generated section. */
export function expandWhatChanged(markdown: string, chaptersDir: string): string {
  return markdown.replace(WHAT_CHANGED, (_marker, from: string, to: string) => {
    const fromDir = join(chaptersDir, from);
    const toDir = join(chaptersDir, to);
    for (const dir of [fromDir, toDir]) {
      if (!existsSync(dir)) {
        throw new Error(
          `<!--@what-changed: ${from} ${to}-->: no chapter folder ${dir}; name two folders of chapters/.`,
        );
      }
    }
    return whatChangedMarkdown(compareChapters(fromDir, toDir), from, to);
  });
}

/**
 * A markdown-it plugin: expands the markers before the page is parsed, so the generated markdown
 * (tables, `::: details` containers, fenced diffs) is rendered like any other.
 *
 * @example
 * markdown: { config: (md) => whatChangedPlugin(md, chaptersDir) }
 */
export function whatChangedPlugin<E, R>(
  md: { parse(src: string, env: E): R },
  chaptersDir: string,
): void {
  const parse = md.parse.bind(md);
  md.parse = (src: string, env: E) => parse(expandWhatChanged(src, chaptersDir), env);
}
