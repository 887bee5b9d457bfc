import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatReport, passed, resolveOverlay } from '../scripts/exercise-runner.js';
import type { ExerciseReport } from '../scripts/exercise-runner.js';

let chapter: string;

function write(path: string): string {
  const file = join(chapter, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, '');
  return file;
}

beforeAll(() => {
  chapter = mkdtempSync(join(tmpdir(), 'docs-exercise-'));
  write('src/book.ts');
  write('src/values.ts');
  write('src/main.ts');
  write('solution/book.ts');
  write('solution/discount.ts');
});

afterAll(() => rmSync(chapter, { recursive: true, force: true }));

describe('the exercise overlay: which file an import reaches', () => {
  const exercise = () => join(chapter, 'exercise/a.exercise.ts');

  it('sends #src/ imports to the learner src/ when grading their code', () => {
    expect(resolveOverlay(chapter, '#src/book.js', exercise(), false)).toBe(
      join(chapter, 'src/book.ts'),
    );
  });

  it('sends #src/ imports to solution/ where it has the file, and to src/ where it has not', () => {
    expect(resolveOverlay(chapter, '#src/book.js', exercise(), true)).toBe(
      join(chapter, 'solution/book.ts'),
    );
    expect(resolveOverlay(chapter, '#src/values.js', exercise(), true)).toBe(
      join(chapter, 'src/values.ts'),
    );
  });

  it('lets a solution file import its neighbours as if it sat in src/', () => {
    const importer = join(chapter, 'solution/book.ts');
    expect(resolveOverlay(chapter, './values.js', importer, true)).toBe(
      join(chapter, 'src/values.ts'),
    );
    expect(resolveOverlay(chapter, './discount.js', importer, true)).toBe(
      join(chapter, 'solution/discount.ts'),
    );
  });

  it('overlays imports made by unchanged src/ files too', () => {
    const importer = join(chapter, 'src/main.ts');
    expect(resolveOverlay(chapter, './book.js', importer, true)).toBe(
      join(chapter, 'solution/book.ts'),
    );
    expect(resolveOverlay(chapter, './book.js', importer, false)).toBe(
      join(chapter, 'src/book.ts'),
    );
  });

  it('leaves packages and files outside src/ to the usual resolution', () => {
    expect(resolveOverlay(chapter, 'protean-ts', exercise(), true)).toBeUndefined();
    expect(resolveOverlay(chapter, './helpers.js', exercise(), true)).toBeUndefined();
  });
});

describe('the exercise report', () => {
  const report: ExerciseReport = {
    chapter: '02-fields-and-value-objects',
    against: 'src',
    checks: [
      { name: 'a book has a language > is in English', passed: true },
      {
        name: 'a book has a language > refuses others',
        passed: false,
        message: 'expected ValidationError, but it succeeded',
        expected: '{"language": ["must be one of en, fr"]}',
        received: '{}',
      },
    ],
    errors: [],
  };

  it('lists each check, what a failing one expected and received, and the tally', () => {
    expect(formatReport(report)).toBe(
      [
        'Exercise checks for chapter 02-fields-and-value-objects:',
        '',
        '  PASS  a book has a language > is in English',
        '  FAIL  a book has a language > refuses others',
        '          expected ValidationError, but it succeeded',
        '          expected: {"language": ["must be one of en, fr"]}',
        '          received: {}',
        '',
        '1 of 2 checks pass: not done yet. Change the code in src/ until every check passes.',
        '',
      ].join('\n'),
    );
    expect(passed(report)).toBe(false);
  });

  it('counts an exercise with no checks, or a file that cannot load, as not done', () => {
    expect(passed({ ...report, checks: [] })).toBe(false);
    expect(
      passed({ ...report, checks: [report.checks[0]!], errors: ['exercise/a.exercise.ts: boom'] }),
    ).toBe(false);
    expect(passed({ ...report, checks: [report.checks[0]!] })).toBe(true);
  });
});
