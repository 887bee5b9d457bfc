/**
 * `protean add <kind> <name> [--aggregate <A>] [--dry-run]`: reads the project, plans, refuses
 * what it cannot do before writing anything, then prints the plan (`--dry-run`) or writes it.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CommandFailure, ExitCode } from '../exit.js';
import type { CliIo } from '../io.js';
import { applyChanges, checkChanges, fileWriter } from './apply.js';
import type { Changes, Writer } from './apply.js';
import { planContext, specifier } from './context.js';
import { unifiedDiff } from './diff.js';
import { KINDS } from './kinds.js';
import type { Kind } from './kinds.js';
import { elementName } from './names.js';
import { planAdd } from './plan.js';
import type { AddRequest, Plan } from './plan.js';
import { INDEX, findProjectRoot, readProject } from './project.js';
import type { ProjectFiles } from './project.js';
import { expectHandlers, registerInIndex } from './registry.js';
import { scanProject } from './scan.js';
import type { Declaration } from './scan.js';
import { loadTypeScript } from './typescript.js';
import type { TS } from './typescript.js';

/** The options of `protean add`. */
export interface AddOptions {
  readonly aggregate?: string | undefined;
  readonly dryRun?: boolean | undefined;
}

/** Runs `protean add`; `writer` is for tests that make writing fail. */
export async function runAdd(
  kind: string,
  name: string,
  options: AddOptions,
  io: CliIo,
  writer: Writer = fileWriter,
): Promise<void> {
  const request = readRequest(kind, name, options);
  const root = findProjectRoot(io.cwd);
  const ts = await loadTypeScript(root);
  const project = readProject(root);
  const declarations = scanProject(ts, project);
  const plan = planAdd(planContext(project, declarations), request);
  const { changes, unchanged, differing } = await changesOf(ts, project, plan);
  const nothing = changes.creates.length + changes.edits.length + differing.length === 0;
  if (nothing) {
    io.out(
      `Nothing to do: the ${plan.title} is already in the project (${unchanged.join(', ')}).\n`,
    );
    return;
  }
  refuseRedeclaring(plan, declarations, unchanged);
  refuseOverwriting(plan, differing);
  if (options.dryRun) {
    io.out(`Would add the ${plan.title} (dry run, nothing written):\n${summary(changes)}\n`);
    io.out(patchOf(changes));
    return;
  }
  await checkChanges(root, changes);
  await applyChanges(root, changes, writer);
  io.out(`Added the ${plan.title}:\n${summary(changes)}Check it: npm run typecheck && npm test\n`);
}

function readRequest(kind: string, name: string, options: AddOptions): AddRequest {
  if (!(KINDS as readonly string[]).includes(kind)) {
    throw new CommandFailure(
      `cannot add "${kind}": the kinds are ${KINDS.join(', ')}`,
      ExitCode.usage,
    );
  }
  if (kind === 'aggregate' && options.aggregate !== undefined) {
    throw new CommandFailure(
      'an aggregate is not part of another aggregate: drop --aggregate',
      ExitCode.usage,
    );
  }
  return {
    kind: kind as Kind,
    name: elementName(name, `name of the ${kind}`),
    aggregate:
      options.aggregate === undefined ? undefined : elementName(options.aggregate, '--aggregate'),
  };
}

/** The files to create and edit; files already there are `unchanged` or `differing`. */
async function changesOf(ts: TS, project: ProjectFiles, plan: Plan) {
  const creates: Changes['creates'][number][] = [];
  const unchanged: string[] = [];
  const differing: string[] = [];
  for (const file of plan.files) {
    const existing = await readFile(join(project.root, file.path), 'utf8').catch(() => undefined);
    if (existing === undefined) creates.push(file);
    else (existing === file.content ? unchanged : differing).push(file.path);
  }
  const changes: Changes = { creates, edits: registryEdits(ts, project, plan) };
  return { changes, unchanged, differing };
}

function refuseOverwriting(plan: Plan, differing: readonly string[]): void {
  const [first] = differing;
  if (first === undefined) return;
  throw new CommandFailure(
    `${first} already exists, with other content than the ${plan.title} would have; ` +
      'protean add never overwrites: choose another name, or move the file away',
    ExitCode.usage,
  );
}

function registryEdits(ts: TS, project: ProjectFiles, plan: Plan): Changes['edits'][number][] {
  const edits = [];
  const index = project.sources.get(INDEX) ?? '';
  const entries = plan.registrations.map((r) => ({
    specifier: specifier(INDEX, r.module),
    exports: r.exports,
  }));
  edits.push({ path: INDEX, before: index, after: registerInIndex(ts, index, entries) });
  for (const [path, text] of project.sources) {
    if (!path.startsWith('tests/')) continue;
    edits.push({ path, before: text, after: expectHandlers(ts, text, plan.handlers) });
  }
  return edits.filter((edit) => edit.before !== edit.after);
}

/** Refuses names the project already declares, except in files the plan would write as they are. */
function refuseRedeclaring(plan: Plan, declarations: readonly Declaration[], unchanged: string[]) {
  for (const name of plan.declares) {
    const clash = declarations.find((d) => d.name === name && !unchanged.includes(d.file));
    if (!clash) continue;
    throw new CommandFailure(
      `${name} is already declared in ${clash.file} (a ${clash.kind}), and names are unique in a ` +
        'domain; choose another name',
      ExitCode.usage,
    );
  }
}

function summary(changes: Changes): string {
  return [
    ...changes.creates.map(({ path }) => `  create  ${path}\n`),
    ...changes.edits.map(({ path }) => `  update  ${path}\n`),
  ].join('');
}

/** The unified diff of every change: new files whole, edits with their context. */
export function patchOf(changes: Changes): string {
  return [
    ...changes.creates.map(({ path, content }) => unifiedDiff(path, undefined, content)),
    ...changes.edits.map(({ path, before, after }) => unifiedDiff(path, before, after)),
  ].join('');
}
