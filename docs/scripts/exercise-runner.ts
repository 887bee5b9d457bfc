/**
 * Grades a chapter's "Try it yourself" exercise: runs the chapter's `exercise/*.exercise.ts` tests
 * with vitest against the learner's `src/`, or against the reference `solution/` laid over `src/`.
 *
 * A chapter's layout:
 *
 * ```
 * src/                    the chapter's code; the learner changes it
 * solution/               only the files of src/ the exercise changes (or adds), same paths
 * exercise/*.exercise.ts  the checks; they import the chapter's code as `#src/<file>.js`
 * ```
 *
 * `#src/book.js` means "src/book.ts, unless the overlay is on and solution/book.ts exists". A file
 * in solution/ resolves its relative imports as if it lived in src/, so it can import the
 * unchanged files it needs. The chapter's tsconfig mirrors this for the typechecker (`rootDirs`
 * and `paths`), so the checks are typed against the finished exercise.
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { defaultServerConditions } from 'vite';
import type { Plugin } from 'vite';
import { createVitest } from 'vitest/node';
import type { Reporter, TestModule } from 'vitest/node';

/** Where the checks import the chapter's code from. */
export const SOURCE_PREFIX = '#src/';

/** What a run of the checks found. */
export interface ExerciseReport {
  /** The chapter folder's name, such as `02-fields-and-value-objects`. */
  chapter: string;
  /** The code the checks ran against. */
  against: 'src' | 'solution';
  /** One entry per check, in the order vitest reports them. */
  checks: CheckResult[];
  /** Files that could not run at all (an import that fails, a syntax error), with the reason. */
  errors: string[];
}

export interface CheckResult {
  /** The describe blocks and the test's name, joined by ` > `. */
  name: string;
  passed: boolean;
  /** The first line of the failure, when it failed. */
  message?: string;
  /** What the check expected and what it received, each on one line, when the failure says. */
  expected?: string;
  received?: string;
}

/** Whether every check ran and passed. */
export function passed(report: ExerciseReport): boolean {
  return (
    report.errors.length === 0 &&
    report.checks.length > 0 &&
    report.checks.every((check) => check.passed)
  );
}

/**
 * Where an import of a chapter file should come from: the learner's `src/`, or with `useSolution`
 * the file of the same name in `solution/` when there is one. Returns undefined for imports this
 * overlay does not handle (packages, files outside the chapter's code).
 */
export function resolveOverlay(
  chapterDir: string,
  specifier: string,
  importer: string | undefined,
  useSolution: boolean,
): string | undefined {
  const src = join(chapterDir, 'src');
  const solution = join(chapterDir, 'solution');
  let target: string;
  if (specifier.startsWith(SOURCE_PREFIX)) {
    target = join(src, specifier.slice(SOURCE_PREFIX.length));
  } else if (specifier.startsWith('.') && importer !== undefined) {
    // A solution file imports as if it sat in src/.
    const from = isInside(solution, importer) ? join(src, relative(solution, importer)) : importer;
    target = resolve(dirname(from), specifier);
  } else {
    return undefined;
  }
  if (!isInside(src, target)) return undefined;
  const path = relative(src, target);
  if (useSolution) {
    const overlaid = sourceFile(join(solution, path));
    if (overlaid !== undefined) return overlaid;
  }
  return sourceFile(join(src, path));
}

/** `book.js` is written for `book.ts` (NodeNext style). */
function sourceFile(path: string): string | undefined {
  const candidates = [path.replace(/\.js$/, '.ts'), path];
  return candidates.find((candidate) => existsSync(candidate));
}

function isInside(folder: string, path: string): boolean {
  return path.startsWith(folder + sep);
}

/** The vite plugin that applies `resolveOverlay` to every import. */
export function overlayPlugin(chapterDir: string, useSolution: boolean): Plugin {
  return {
    name: 'bookshelf-exercise-overlay',
    enforce: 'pre',
    resolveId(specifier, importer) {
      const importerPath = importer?.split('?')[0];
      return resolveOverlay(chapterDir, specifier, importerPath, useSolution) ?? null;
    },
  };
}

/** Collects each check's result instead of printing vitest's own report. */
class Collector implements Reporter {
  modules: readonly TestModule[] = [];

  onTestRunEnd(modules: readonly TestModule[]): void {
    this.modules = modules;
  }
}

/** Runs the chapter's exercise checks against `src/`, or against `solution/` laid over it. */
export async function runExercise(
  chapterDir: string,
  against: 'src' | 'solution',
): Promise<ExerciseReport> {
  const collector = new Collector();
  const conditions = ['source', ...defaultServerConditions];
  const vitest = await createVitest(
    'test',
    {
      config: false,
      root: chapterDir,
      include: ['exercise/**/*.exercise.ts'],
      watch: false,
      reporters: [collector],
    },
    {
      plugins: [overlayPlugin(chapterDir, against === 'solution')],
      resolve: { conditions },
      ssr: { resolve: { conditions } },
      logLevel: 'silent',
    },
  );
  try {
    await vitest.start();
  } finally {
    await vitest.close();
  }
  return reportOf(chapterDir, against, collector.modules);
}

function reportOf(
  chapterDir: string,
  against: 'src' | 'solution',
  modules: readonly TestModule[],
): ExerciseReport {
  const checks: CheckResult[] = [];
  const errors: string[] = [];
  for (const module of modules) {
    for (const error of module.errors()) {
      errors.push(`${relative(chapterDir, module.moduleId)}: ${firstLine(error.message)}`);
    }
    for (const test of module.children.allTests()) {
      const result = test.result();
      const failure = result.state === 'failed' ? result.errors[0] : undefined;
      checks.push({
        name: test.fullName,
        passed: result.state === 'passed',
        ...(result.state === 'passed'
          ? {}
          : { message: firstLine(failure?.message ?? result.state) }),
        ...(failure?.expected === undefined ? {} : { expected: oneLine(failure.expected) }),
        ...(failure?.actual === undefined ? {} : { received: oneLine(failure.actual) }),
      });
    }
  }
  if (modules.length === 0) errors.push('no exercise/*.exercise.ts files were found');
  return { chapter: chapterDir.split(sep).at(-1) ?? chapterDir, against, checks, errors };
}

function firstLine(text: string): string {
  return text.split('\n')[0]?.trim() ?? '';
}

/** A serialized value (vitest pretty-prints it over several lines) squeezed onto one line. */
function oneLine(text: string): string {
  const squeezed = text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/([[{]) /g, '$1')
    .replace(/,? ([\]}])/g, '$1');
  return squeezed.length > 160 ? `${squeezed.slice(0, 157)}...` : squeezed;
}

/**
 * The summary a learner reads: one line per check, then what to do next. Deterministic (no
 * timings, no paths outside the chapter), so a test can record it for the docs page.
 */
export function formatReport(report: ExerciseReport): string {
  const lines = [`Exercise checks for chapter ${report.chapter}:`, ''];
  for (const check of report.checks) {
    lines.push(`  ${check.passed ? 'PASS' : 'FAIL'}  ${check.name}`);
    if (check.passed) continue;
    if (check.message) lines.push(`          ${check.message}`);
    if (check.expected !== undefined) lines.push(`          expected: ${check.expected}`);
    if (check.received !== undefined) lines.push(`          received: ${check.received}`);
  }
  for (const error of report.errors) lines.push(`  ERROR ${error}`);
  const done = report.checks.filter((check) => check.passed).length;
  lines.push('');
  lines.push(
    passed(report)
      ? `All ${done} checks pass: exercise done.`
      : `${done} of ${report.checks.length} checks pass: not done yet. ` +
          'Change the code in src/ until every check passes.',
  );
  return lines.join('\n') + '\n';
}
