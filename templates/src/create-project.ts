/** `createProject()`: the whole scaffolding run, as named steps. The CLI and the tests call it. */
import { relative } from 'node:path';
import { projectContext, projectPathVariables } from './context.js';
import { initGitRepository, type GitOutcome } from './git.js';
import { installDependencies } from './install.js';
import { resolveOptions, type CreateProjectOptions, type ResolvedOptions } from './options.js';
import { installCommand, runScript } from './package-manager.js';
import { PROJECT_BLUEPRINT, planFiles, type PlannedFile } from './render.js';
import {
  checkTargetEmpty,
  existingFiles,
  inspectTarget,
  safeDestination,
  writeFiles,
} from './write.js';

/** What {@link createProject} did (or, with `dryRun`, would do). */
export interface CreatedProject {
  /** Absolute path of the project folder. */
  readonly targetDir: string;
  readonly packageName: string;
  readonly domainName: string;
  /** Every file written (or that would be written), relative to `targetDir`, `/`-separated. */
  readonly files: readonly string[];
  /** The subset of `files` that existed before and were (or would be) replaced. */
  readonly replaced: readonly string[];
  readonly dryRun: boolean;
  /** Whether dependencies were installed. */
  readonly installed: boolean;
  /** What the git step did; `skipped` with `git: false` or `dryRun`. */
  readonly git: GitOutcome | 'skipped';
  /** Commands for the user to run next, in order. */
  readonly nextSteps: readonly string[];
}

/**
 * Creates a protean-ts project: checks the options and the target folder, renders the project
 * blueprint, writes it, then installs dependencies and makes the first git commit (each optional).
 * Throws `CreateDomainError` for anything the caller can fix; with `dryRun` it only reports.
 *
 * @example
 * const project = await createProject({ dir: 'my-shop', install: false, git: false });
 * console.log(project.files.length, project.nextSteps);
 */
export async function createProject(options: CreateProjectOptions): Promise<CreatedProject> {
  const resolved = resolveOptions(options);
  const { files, replaced } = await planProject(resolved);
  if (resolved.dryRun)
    return summary(resolved, files, replaced, { installed: false, git: 'skipped' });

  resolved.reporter.step(`Writing ${files.length} files to ${resolved.targetDir}`);
  await writeFiles(resolved.targetDir, files);
  const installed = await installStep(resolved);
  const git = await gitStep(resolved);
  return summary(resolved, files, replaced, { installed, git });
}

/** Checks the target, renders the blueprint in memory and checks every destination. */
async function planProject(
  resolved: ResolvedOptions,
): Promise<{ files: PlannedFile[]; replaced: string[] }> {
  const state = await inspectTarget(resolved.targetDir);
  checkTargetEmpty(resolved.targetDir, state, resolved.overwrite);
  const context = projectContext(resolved);
  const files = await planFiles(PROJECT_BLUEPRINT, context, projectPathVariables(resolved));
  for (const file of files) await safeDestination(resolved.targetDir, file.path);
  const replaced = state.exists ? await existingFiles(resolved.targetDir, files) : [];
  return { files, replaced };
}

async function installStep(resolved: ResolvedOptions): Promise<boolean> {
  if (!resolved.install) return false;
  resolved.reporter.step(`Installing dependencies with ${resolved.packageManager}`);
  await installDependencies(resolved.targetDir, resolved.packageManager);
  return true;
}

async function gitStep(resolved: ResolvedOptions): Promise<GitOutcome | 'skipped'> {
  if (!resolved.git) return 'skipped';
  resolved.reporter.step('Creating a git repository with a first commit');
  return initGitRepository(resolved.targetDir, resolved.reporter);
}

function summary(
  resolved: ResolvedOptions,
  files: readonly PlannedFile[],
  replaced: readonly string[],
  outcome: { installed: boolean; git: GitOutcome | 'skipped' },
): CreatedProject {
  return {
    targetDir: resolved.targetDir,
    packageName: resolved.packageName,
    domainName: resolved.domainName,
    files: files.map((file) => file.path),
    replaced,
    dryRun: resolved.dryRun,
    ...outcome,
    nextSteps: nextSteps(resolved, outcome.installed),
  };
}

/**
 * The commands to run after creation: `cd` (when the project is not the current folder), install
 * (when it was skipped), test and dev, spelled for the detected package manager.
 */
function nextSteps(resolved: ResolvedOptions, installed: boolean): string[] {
  const steps: string[] = [];
  const path = relative(resolved.cwd, resolved.targetDir);
  if (path !== '')
    steps.push(`cd ${shellQuote(path.startsWith('..') ? resolved.targetDir : path)}`);
  if (!installed) {
    const { command, args } = installCommand(resolved.packageManager);
    steps.push([command, ...args].join(' '));
  }
  steps.push(runScript(resolved.packageManager, 'test'), runScript(resolved.packageManager, 'dev'));
  return steps;
}

function shellQuote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}
