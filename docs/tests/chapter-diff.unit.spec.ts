import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMarkdownRenderer, disposeMdItInstance } from 'vitepress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  compareChapters,
  diffLines,
  expandWhatChanged,
  unifiedDiff,
  whatChangedPlugin,
  WHAT_CHANGED,
} from '../scripts/chapter-diff.js';

const docsRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const repoChapters = resolve(docsRoot, '../chapters');

let chapters: string;

function write(path: string, text: string): void {
  const file = join(chapters, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
}

beforeAll(() => {
  chapters = mkdtempSync(join(tmpdir(), 'docs-chapter-diff-'));
  write('01-one/src/domain.ts', 'line 1\nline 2\nline 3\n');
  write('01-one/src/gone.ts', 'old\n');
  write('01-one/tests/same.unit.spec.ts', 'same\n');
  write('01-one/tests/__snapshots__/main.output.txt', 'output 1\n');
  write('01-one/README.md', 'chapter one\n');
  write('02-two/src/domain.ts', 'line 1\nline two\nline 3\nline 4\n');
  write('02-two/src/money.ts', 'export const money = "```";\n');
  write('02-two/tests/same.unit.spec.ts', 'same\n');
  write('02-two/tests/__snapshots__/main.output.txt', 'output 2\n');
  write('02-two/README.md', 'chapter two\n');
});

afterAll(() => {
  rmSync(chapters, { recursive: true, force: true });
  disposeMdItInstance();
});

describe('what changed between two chapters', () => {
  it('lists the code files added, removed and changed, leaving out README, snapshots and equal files', () => {
    const changes = compareChapters(join(chapters, '01-one'), join(chapters, '02-two'));
    expect(
      changes.map(({ path, status, added, removed }) => [path, status, added, removed]),
    ).toEqual([
      ['src/domain.ts', 'changed', 2, 1],
      ['src/gone.ts', 'removed', 0, 1],
      ['src/money.ts', 'added', 1, 0],
    ]);
  });

  it('diffs a changed file in unified form', () => {
    expect(unifiedDiff(diffLines(['a', 'b', 'c'], ['a', 'B', 'c', 'd']))).toBe(
      ['@@ -1,3 +1,4 @@', ' a', '-b', '+B', ' c', '+d'].join('\n'),
    );
  });

  it('keeps only three lines of context around each change', () => {
    const before = Array.from({ length: 20 }, (_, i) => `line ${i + 1}`);
    const after = before.map((line) => (line === 'line 10' ? 'line ten' : line));
    expect(unifiedDiff(diffLines(before, after)).split('\n')).toEqual([
      '@@ -7,7 +7,7 @@',
      ' line 7',
      ' line 8',
      ' line 9',
      '-line 10',
      '+line ten',
      ' line 11',
      ' line 12',
      ' line 13',
    ]);
  });

  it('replaces the marker with a table and folded diffs, fenced so code with ``` stays inside', () => {
    const markdown = expandWhatChanged('<!--@what-changed: 01-one 02-two-->\n', chapters);
    expect(markdown).toContain('| `src/domain.ts` | changed: +2 −1 |');
    expect(markdown).toContain('| `src/gone.ts` | removed |');
    expect(markdown).toContain(
      '::: details src/domain.ts (changed: +2 −1)\n```diff\n@@ -1,3 +1,4 @@',
    );
    expect(markdown).toContain('::: details src/money.ts (added)\n````ts\nexport const money');
  });

  it('names the folder when a marker points at a chapter that does not exist', () => {
    expect(() => expandWhatChanged('<!--@what-changed: 01-one 03-three-->', chapters)).toThrow(
      /no chapter folder .*03-three/,
    );
  });

  it('is rendered by VitePress as folded, highlighted diffs', async () => {
    const md = await createMarkdownRenderer(docsRoot, {
      config: (renderer) => whatChangedPlugin(renderer, chapters),
    });
    const html = md.render('## What changed\n\n<!--@what-changed: 01-one 02-two-->\n', {});
    expect(html).toContain('<details class="details custom-block">');
    expect(html).toContain('language-diff');
    expect(html).toContain('line two');
    expect(html).not.toContain('@what-changed');
  });
});

describe('the tutorial pages', () => {
  const folders = readdirSync(repoChapters)
    .filter((name) => /^\d\d-/.test(name))
    .sort();

  it.each(folders.slice(1).map((folder, index) => [folder, folders[index]!]))(
    '%s shows what changed since %s',
    (folder, previous) => {
      const page = readFileSync(join(docsRoot, 'tutorial', `${folder}.md`), 'utf8');
      const markers = [...page.matchAll(WHAT_CHANGED)].map(([, from, to]) => `${from} ${to}`);
      expect(markers).toEqual([`${previous} ${folder}`]);
    },
  );
});
