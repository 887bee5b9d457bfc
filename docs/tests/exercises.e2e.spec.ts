import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { formatReport } from '../scripts/exercise-runner.js';
import type { ExerciseReport } from '../scripts/exercise-runner.js';

const docsRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const chaptersDir = resolve(docsRoot, '../chapters');
const runner = join(docsRoot, 'scripts/exercise.ts');

const withExercises = readdirSync(chaptersDir)
  .filter((name) => existsSync(join(chaptersDir, name, 'exercise')))
  .sort();

/** Environment without this vitest run's variables, as `npm run exercise` would have it. */
function cleanEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !name.startsWith('VITEST') && name !== 'NODE_ENV',
    ),
  );
}

describe("each chapter's exercise", () => {
  it('exists from chapter 2 on', () => {
    expect(withExercises.length).toBeGreaterThanOrEqual(2);
  });

  it.each(withExercises)(
    '%s: the solution passes every check, the unmodified src/ does not',
    async (chapter) => {
      const cwd = join(chaptersDir, chapter);
      let stdout: string;
      try {
        ({ stdout } = await promisify(execFile)(
          process.execPath,
          ['--import', 'tsx', runner, '--check'],
          { cwd, env: cleanEnvironment() },
        ));
      } catch (error) {
        stdout = (error as { stdout: string }).stdout;
      }
      const { src, solution } = JSON.parse(stdout) as Record<'src' | 'solution', ExerciseReport>;

      expect(formatReport(solution)).toMatch(/All \d+ checks pass: exercise done\.\n$/);
      expect(src.errors).toEqual([]);
      expect(src.checks.filter((check) => !check.passed).length).toBeGreaterThan(0);
      // What `npm run exercise` prints before the learner starts; the page shows this file.
      await expect(formatReport(src)).toMatchFileSnapshot(
        join(cwd, 'exercise/__snapshots__/unsolved.output.txt'),
      );
    },
    180_000,
  );
});
