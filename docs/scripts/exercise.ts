/**
 * `npm run exercise -w @bookshelf/chNN-slug`: grades the chapter's "Try it yourself" exercise.
 *
 * Run from a chapter folder (npm runs workspace scripts there):
 *
 *   tsx ../../docs/scripts/exercise.ts              checks your src/; exits 1 until they all pass
 *   tsx ../../docs/scripts/exercise.ts --solution   checks the reference solution/ instead
 *   tsx ../../docs/scripts/exercise.ts --check      for CI: prints both reports as JSON; exits 0
 *                                                   when the solution passes and src/ does not
 */
import { formatReport, passed, runExercise } from './exercise-runner.js';

const chapterDir = process.cwd();
const args = new Set(process.argv.slice(2));

if (args.has('--check')) {
  const src = await runExercise(chapterDir, 'src');
  const solution = await runExercise(chapterDir, 'solution');
  console.log(JSON.stringify({ src, solution }));
  process.exitCode = passed(solution) && !passed(src) ? 0 : 1;
} else {
  const report = await runExercise(chapterDir, args.has('--solution') ? 'solution' : 'src');
  process.stdout.write(formatReport(report));
  process.exitCode = passed(report) ? 0 : 1;
}
