/** `createProject()`: the whole scaffolding run, as named steps. The CLI and the tests call it. */
import { relative } from 'node:path';
import { projectContext, projectPathVariables } from './context.js';
import { initGitRepository, type GitOutcome } from './git.js';
import { installDependencies } from './install.js';
import { resolveOptions, type CreateProjectOptions, type ResolvedOptions } from './options.js';
import { prepareFramework } from './framework.js';
import { installCommand, runScript } from './package-manager.js';
import { PROJECT_BLUEPRINT, planFiles, type PlannedFile } from './render.js';
import { servicesOf, stackWarning } from './stack.js';
import {
  checkTargetEmpty,
  existingFiles,
  inspectTarget,
  planWrites,
  writePlan,
  type WritePlan,
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
  /** What must be running for those commands (PostgreSQL, Redis), as sentences. */
  readonly services: readonly string[];
  /** The `protean-ts` dependency written to package.json. */
  readonly framework: string;
}

/**
 * Creates a protean-ts project: checks the options and the target folder, gets protean-ts ready
 * (packing the workspace's into `vendor/` when run from a checkout), renders the project blueprint
 * and checks every path against the disk, all before the first byte is written; then writes it
 * (undoing everything if a write fails), installs dependencies and makes the first git commit
 * (each optional). Throws `CreateDomainError` for anything the caller can fix; with `dryRun` it
 * only reports.
 *
 * @example
 * const project = await createProject({ dir: 'my-shop', install: false, git: false });
 * console.log(project.files.length, project.nextSteps);
 */
export async function createProject(options: CreateProjectOptions): Promise<CreatedProject> {
  const resolved = resolveOptions(options);
  const planned = await planProject(resolved);
  const warning = stackWarning(resolved.stack);
  if (warning) resolved.reporter.warn(warning);
  if (resolved.dryRun) return summary(resolved, planned, { installed: false, git: 'skipped' });

  resolved.reporter.step(`Writing ${planned.files.length} files to ${resolved.targetDir}`);
  await writePlan(planned.plan);
  const installed = await installStep(resolved);
  const git = await gitStep(resolved);
  return summary(resolved, planned, { installed, git });
}

/** Everything decided before writing: the files, the checked writes, what they replace. */
interface PlannedProject {
  readonly files: PlannedFile[];
  readonly plan: WritePlan;
  readonly replaced: string[];
  readonly framework: string;
}

/**
 * Checks the target, renders the blueprint in memory and checks every destination against the
 * disk; only then builds and packs protean-ts (slow) when it is vendored. Nothing is written.
 */
async function planProject(resolved: ResolvedOptions): Promise<PlannedProject> {
  const state = await inspectTarget(resolved.targetDir);
  checkTargetEmpty(resolved.targetDir, state, resolved.overwrite);
  const { dryRun, reporter } = resolved;
  const planned = await prepareFramework(resolved.framework, { dryRun: true, reporter });
  const context = projectContext(resolved, planned.dependency);
  const rendered = await planFiles(PROJECT_BLUEPRINT, context, projectPathVariables(resolved));
  const withFramework = (vendored: readonly PlannedFile[]) =>
    [...rendered, ...vendored].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  let files = withFramework(planned.files);
  let plan = await planWrites(resolved.targetDir, files);
  if (!dryRun && resolved.framework.kind === 'folder') {
    const framework = await prepareFramework(resolved.framework, { dryRun, reporter });
    files = withFramework(framework.files);
    plan = await planWrites(resolved.targetDir, files);
  }
  const replaced = state.exists ? await existingFiles(resolved.targetDir, files) : [];
  return { files, plan, replaced, framework: planned.dependency };
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
  planned: PlannedProject,
  outcome: { installed: boolean; git: GitOutcome | 'skipped' },
): CreatedProject {
  return {
    targetDir: resolved.targetDir,
    packageName: resolved.packageName,
    domainName: resolved.domainName,
    files: planned.files.map((file) => file.path),
    replaced: planned.replaced,
    dryRun: resolved.dryRun,
    ...outcome,
    nextSteps: nextSteps(resolved, outcome.installed),
    services: servicesNeeded(resolved),
    framework: planned.framework,
  };
}

/**
 * The commands to run after creation, spelled for the detected package manager: `cd` (when the
 * project is not the current folder), install (when it was skipped), test, `db:setup` (with
 * PostgreSQL), dev, and `server` (with async processing, which the server does).
 */
function nextSteps(resolved: ResolvedOptions, installed: boolean): string[] {
  const manager = resolved.packageManager;
  const steps: string[] = [];
  const path = relative(resolved.cwd, resolved.targetDir);
  if (path !== '')
    steps.push(`cd ${shellQuote(path.startsWith('..') ? resolved.targetDir : path)}`);
  if (!installed) {
    const { command, args } = installCommand(manager);
    steps.push([command, ...args].join(' '));
  }
  steps.push(runScript(manager, 'test'));
  if (servicesOf(resolved.stack).postgres) steps.push(runScript(manager, 'db:setup'));
  steps.push(runScript(manager, 'dev'));
  if (resolved.stack.processing === 'async') steps.push(runScript(manager, 'server'));
  return steps;
}

/** What must be running before the next steps, and how to get it. */
function servicesNeeded(resolved: ResolvedOptions): string[] {
  const { postgres, redis } = servicesOf(resolved.stack);
  const needs: string[] = [];
  if (postgres) {
    needs.push(
      `PostgreSQL with a database ${resolved.domainName} (DATABASE_URL, by default ` +
        `postgresql://postgres@127.0.0.1:5432/${resolved.domainName}; on your own server: ` +
        `createdb -h 127.0.0.1 -U postgres ${resolved.domainName})`,
    );
  }
  if (redis) needs.push('Redis (REDIS_URL, by default redis://127.0.0.1:6379/0)');
  return needs;
}

function shellQuote(path: string): string {
  return /^[\w@%+=:,./-]+$/.test(path) ? path : `'${path.replaceAll("'", "'\\''")}'`;
}
