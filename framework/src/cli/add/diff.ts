/**
 * Unified diffs (the format of `git diff`, three lines of context) of what `protean add` writes:
 * what `--dry-run` prints, and what a test compares with the files then written.
 */

type Line = { readonly op: ' ' | '-' | '+'; readonly text: string };

/** The diff of `path` from `before` to `after`; `before` undefined for a new file. */
export function unifiedDiff(path: string, before: string | undefined, after: string): string {
  if (before === after) return '';
  const header = `--- ${before === undefined ? '/dev/null' : `a/${path}`}\n+++ b/${path}\n`;
  const ops = diffLines(splitLines(before ?? ''), splitLines(after));
  return header + hunks(ops);
}

/** The lines of `text`; a last line without a newline carries git's marker, so it differs. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  else lines[lines.length - 1] += '\n\\ No newline at end of file';
  return lines;
}

/** The edit script between `a` and `b` from their longest common subsequence. */
function diffLines(a: string[], b: string[]): Line[] {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const lcs = new Uint32Array(rows * cols);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i * cols + j] =
        a[i] === b[j]
          ? lcs[(i + 1) * cols + j + 1]! + 1
          : Math.max(lcs[(i + 1) * cols + j]!, lcs[i * cols + j + 1]!);
    }
  }
  const ops: Line[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ op: ' ', text: a[i++]! });
      j++;
    } else if (
      j < b.length &&
      (i === a.length || lcs[i * cols + j + 1]! >= lcs[(i + 1) * cols + j]!)
    ) {
      ops.push({ op: '+', text: b[j++]! });
    } else {
      ops.push({ op: '-', text: a[i++]! });
    }
  }
  return ops;
}

const CONTEXT = 3;

/** Groups changes with their context into `@@ -a,n +b,m @@` hunks. */
function hunks(ops: Line[]): string {
  const changed = ops.map((line, index) => (line.op === ' ' ? -1 : index)).filter((i) => i >= 0);
  let out = '';
  let start = 0;
  while (start < changed.length) {
    let end = start;
    while (end + 1 < changed.length && changed[end + 1]! - changed[end]! <= 2 * CONTEXT) end++;
    const from = Math.max(0, changed[start]! - CONTEXT);
    const to = Math.min(ops.length, changed[end]! + CONTEXT + 1);
    out += hunk(ops, from, to);
    start = end + 1;
  }
  return out;
}

function hunk(ops: Line[], from: number, to: number): string {
  const before = ops.slice(0, from);
  const body = ops.slice(from, to);
  const count = (lines: Line[], skip: Line['op']) => lines.filter((l) => l.op !== skip).length;
  const range = (startAt: number, size: number) => `${size === 0 ? startAt : startAt + 1},${size}`;
  const old = range(count(before, '+'), count(body, '+'));
  const now = range(count(before, '-'), count(body, '-'));
  return `@@ -${old} +${now} @@\n${body.map((line) => `${line.op}${line.text}\n`).join('')}`;
}
