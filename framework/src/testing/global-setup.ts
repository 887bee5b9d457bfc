/**
 * Vitest `globalSetup` module of the integration tier. Add its path to every project's
 * `test.globalSetup`; test files then read the result with `testServices()` from
 * `protean-ts/testing`.
 *
 * Vitest runs a global setup once per project, each time in a fresh module instance, so the
 * resolution is cached on `globalThis` (one process, one cache): the services are probed, the skip
 * line printed and the containers started once per run, however many projects there are.
 */
import type { TestProject } from 'vitest/node';
import { SERVICES_KEY } from './provided-context.js';
import type { ServiceResolution, ServicesHandle } from './services.js';
import { resolveIntegrationTier, type IntegrationTierOptions } from './tier.js';

/**
 * The parts of vitest's `TestProject` the setup uses. `vitest.state.getPaths()` (experimental in
 * vitest 4) lists the files queued for this run; without it, every file of the project counts.
 */
export type SetupProject = Pick<TestProject, 'name' | 'provide' | 'globTestFiles'> & {
  readonly vitest?: { readonly state?: { getPaths?(): string[] } };
};

interface CachedRun {
  readonly handle: Promise<ServicesHandle>;
  users: number;
}

const RUNS = Symbol.for('protean-ts.testing.services');
const TIER_FILE = /\.(int|e2e)\.spec\.ts$/;

/**
 * Resolves the integration services (once per run) and provides them to the project's test files.
 * A project with no `*.int.spec.ts` or `*.e2e.spec.ts` file in the run resolves nothing, so it
 * neither prints the skip line nor fails under `CI=true`. Returns the teardown that stops the
 * containers started, if any, once the last project using them is done. `options` exist for tests
 * and other runners; vitest passes only the project.
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * import { fileURLToPath } from 'node:url';
 * import { defineConfig } from 'vitest/config';
 *
 * export default defineConfig({
 *   test: { globalSetup: [fileURLToPath(import.meta.resolve('protean-ts/testing/global-setup'))] },
 * });
 * ```
 */
export async function setup(
  project: SetupProject,
  options: IntegrationTierOptions = {},
): Promise<(() => Promise<void>) | undefined> {
  if (!(await usesServices(project))) {
    project.provide(SERVICES_KEY, notNeeded(project.name));
    return undefined;
  }
  const env = options.env ?? process.env;
  const run = acquire(env, () => resolveIntegrationTier({ ...options, env }));
  const { resolution } = await run.handle;
  project.provide(SERVICES_KEY, resolution);
  return () => release(env, run);
}

/**
 * Whether this run queued a tier file of this project. Looking at the queued files, not only at the
 * project's files, keeps `vitest run unit.spec` from probing (and failing under CI=true) for nothing.
 */
async function usesServices(project: SetupProject): Promise<boolean> {
  const { testFiles } = await project.globTestFiles();
  const queued = project.vitest?.state?.getPaths?.();
  const inRun = queued && queued.length > 0 ? new Set(queued) : undefined;
  return testFiles.some((file) => TIER_FILE.test(file) && (inRun === undefined || inRun.has(file)));
}

function notNeeded(projectName: string): ServiceResolution {
  const reason = `project "${projectName}" runs no *.int.spec.ts or *.e2e.spec.ts file, so no services were resolved.`;
  return { status: 'skipped', reason, attempts: [] };
}

/** Runs are keyed by the env that drives resolution, so a changed env never reuses a stale one. */
function runKey(env: Readonly<Record<string, string | undefined>>): string {
  return JSON.stringify(
    ['DATABASE_URL', 'REDIS_URL', 'DOCKER_HOST', 'CI'].map((name) => env[name] ?? null),
  );
}

function runs(): Map<string, CachedRun> {
  const global = globalThis as typeof globalThis & { [RUNS]?: Map<string, CachedRun> };
  return (global[RUNS] ??= new Map());
}

function acquire(
  env: Readonly<Record<string, string | undefined>>,
  resolve: () => Promise<ServicesHandle>,
): CachedRun {
  const key = runKey(env);
  const run = runs().get(key) ?? { handle: resolve(), users: 0 };
  runs().set(key, run);
  run.users += 1;
  return run;
}

async function release(
  env: Readonly<Record<string, string | undefined>>,
  run: CachedRun,
): Promise<void> {
  run.users -= 1;
  if (run.users > 0) return;
  runs().delete(runKey(env));
  await (await run.handle).stop();
}
