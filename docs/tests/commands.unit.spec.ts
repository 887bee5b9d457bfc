import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  findShellBlocks,
  runnableCommands,
  stripComment,
  tutorialPages,
} from '../scripts/commands.js';

const docsRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

describe('the docs command check: finding commands', () => {
  const page = [
    '# A page',
    '',
    '<!-- runnable -->',
    '',
    '```sh',
    'npm start -w @bookshelf/ch01-first-aggregate   # run the walkthrough',
    '',
    'npm test -w @bookshelf/ch01-first-aggregate',
    '```',
    '',
    '<!-- runnable exit=1 -->',
    '```sh',
    'npm run exercise -w @bookshelf/ch02-fields-and-value-objects',
    '```',
    '',
    '<!-- not runnable: needs your own clone -->',
    '```bash',
    'git clone https://example.org/x.git',
    '```',
    '',
    '```sh',
    'echo unmarked',
    '```',
    '',
    '```ts',
    'const notShell = 1;',
    '```',
  ].join('\n');

  it('reads each block, its marker and its commands, without comments or blank lines', () => {
    expect(findShellBlocks(page)).toEqual([
      {
        line: 5,
        marker: { runnable: true, exitCode: 0 },
        commands: [
          'npm start -w @bookshelf/ch01-first-aggregate',
          'npm test -w @bookshelf/ch01-first-aggregate',
        ],
      },
      {
        line: 12,
        marker: { runnable: true, exitCode: 1 },
        commands: ['npm run exercise -w @bookshelf/ch02-fields-and-value-objects'],
      },
      {
        line: 17,
        marker: { runnable: false, reason: 'needs your own clone' },
        commands: ['git clone https://example.org/x.git'],
      },
      { line: 21, marker: undefined, commands: ['echo unmarked'] },
    ]);
  });

  it('keeps a # that is part of a word', () => {
    expect(stripComment('npm test -w a#b   # comment')).toBe('npm test -w a#b');
  });

  describe('over several pages', () => {
    const dir = mkdtempSync(join(tmpdir(), 'docs-commands-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('lists each distinct command once, with every place that shows it', () => {
      writeFileSync(join(dir, 'a.md'), page);
      writeFileSync(
        join(dir, 'b.md'),
        '<!-- runnable -->\n```sh\nnpm test -w @bookshelf/ch01-first-aggregate\n```\n',
      );
      const commands = runnableCommands(tutorialPages(dir), (file) => relative(dir, file));
      expect(commands).toEqual([
        {
          command: 'npm start -w @bookshelf/ch01-first-aggregate',
          exitCode: 0,
          shownAt: ['a.md:5'],
        },
        {
          command: 'npm test -w @bookshelf/ch01-first-aggregate',
          exitCode: 0,
          shownAt: ['a.md:5', 'b.md:2'],
        },
        {
          command: 'npm run exercise -w @bookshelf/ch02-fields-and-value-objects',
          exitCode: 1,
          shownAt: ['a.md:12'],
        },
      ]);
    });
  });
});

describe('the tutorial pages', () => {
  const pages = tutorialPages(join(docsRoot, 'tutorial'));

  it('mark every shell block: runnable, or not runnable with a reason', () => {
    const unmarked = pages.flatMap((page) =>
      findShellBlocks(readPage(page))
        .filter((block) => block.marker === undefined)
        .map((block) => `${relative(docsRoot, page)}:${block.line}`),
    );
    expect(unmarked, 'put <!-- runnable --> or <!-- not runnable: why --> before each').toEqual([]);
  });

  it('show commands the check runs', () => {
    expect(runnableCommands(pages, (page) => page).length).toBeGreaterThan(0);
  });
});

function readPage(page: string): string {
  return readFileSync(page, 'utf8');
}
