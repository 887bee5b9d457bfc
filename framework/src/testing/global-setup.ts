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

/** The parts of vitest's `TestProject` the setup uses. */
export type SetupProject = Pick<TestProject, 'name' | 'provide' | 'globTestFiles'>;

interface CachedRun {
  readonly handle: Promise<ServicesHandle>;
  users: number;
}

const RUNS = Symbol.for('protean-ts.testing.services');
const TIER_FILE = /\.(int|e2e)\.spec\.ts$/;

/**
 * Resolves the integration services (once per run) and provides them to the project's test files.
 * A project without `*.int.spec.ts` or `*.e2e.spec.ts` files resolves nothing, so it neither prints
 * the skip line nor fails under `CI=true`. Returns the teardown that stops any containers started,
 * after the last project that uses them is done.
 *
 * @example
 * ```ts
 * // vitest.config.ts
 * export default defineConfig({
 *   test: { globalSetup: ['node_modules/protean-ts/src/testing/global-setup.ts'] },
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

async function usesServices(project: SetupProject): Promise<boolean> {
  const { testFiles } = await project.globTestFiles();
  return testFiles.some((file) => TIER_FILE.test(file));
}

function notNeeded(projectName: string): ServiceResolution {
  const reason = `project "${projectName}" has no *.int.spec.ts or *.e2e.spec.ts files, so no services were resolved.`;
  return { status: 'skipped', reason, attempts: [] };
}

/** Runs are keyed by the env that drives resolution, so a changed env never reuses a stale one. */
function runKey(env: Readonly<Record<string, string | undefined>>): string {
  return JSON.stringify(['DATABASE_URL', 'REDIS_URL', 'DOCKER_HOST', 'CI'].map((name) => env[name] ?? null));
}

function runs(): Map<string, CachedRun> {
  const global = globalThis as typeof globalThis & { [RUNS]?: Map<string, CachedRun> };
  return (global[RUNS] ??= new Map());
}

function acquire(env: Readonly<Record<string, string | undefined>>, resolve: () => Promise<ServicesHandle>): CachedRun {
  const key = runKey(env);
  const run = runs().get(key) ?? { handle: resolve(), users: 0 };
  runs().set(key, run);
  run.users += 1;
  return run;
}

async function release(env: Readonly<Record<string, string | undefined>>, run: CachedRun): Promise<void> {
  run.users -= 1;
  if (run.users > 0) return;
  runs().delete(runKey(env));
  await (await run.handle).stop();
}
