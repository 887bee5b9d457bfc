/**
 * Test-side access to the integration services. The only module of `protean-ts/testing` that loads
 * vitest at runtime (an optional peer dependency): it reads what the global setup provided.
 */
import { describe, inject } from 'vitest';
import { SERVICES_KEY } from './provided-context.js';
import type { ServiceResolution } from './services.js';

/** The services of a `ready` tier: both URLs, and where each came from. */
export type ReadyServices = Extract<ServiceResolution, { status: 'ready' }>;

/**
 * What the global setup resolved for this test file's project: `ready` with both URLs, or
 * `skipped` with the reason.
 *
 * @example
 * ```ts
 * const services = testServices();
 * it.skipIf(services.status !== 'ready')('reads from PostgreSQL', async () => {
 *   expect(integrationServices().postgres.url).toMatch(/^postgresql:/);
 * });
 * ```
 */
export function testServices(): ServiceResolution {
  const provided: ServiceResolution | undefined = inject(SERVICES_KEY);
  if (provided === undefined) {
    throw new Error(
      'No integration services were provided to this test file: the project has no protean-ts ' +
        'global setup (received undefined for "protean-ts:services"). Add the path of ' +
        "protean-ts's testing/global-setup module to the project's `test.globalSetup`.",
    );
  }
  return provided;
}

/**
 * The URLs of PostgreSQL and Redis. Call it inside a hook or a test of a
 * {@link describeIntegration} block (never at describe level): there it only runs when the tier is
 * ready, and elsewhere it throws with the reason the tier was skipped.
 *
 * @example
 * ```ts
 * let database: TestDatabase;
 * beforeAll(async () => {
 *   database = await createTestDatabase(integrationServices().postgres.url);
 * });
 * ```
 */
export function integrationServices(): ReadyServices {
  const services = testServices();
  if (services.status === 'ready') return services;
  throw new Error(
    `The integration services are not available (${services.reason}). Wrap the tests that need ` +
      'them in describeIntegration() so they are skipped instead.',
  );
}

/**
 * A `describe` block of the integration tier: it runs when PostgreSQL and Redis were resolved and
 * is reported as skipped otherwise (the global setup has already said why, once).
 *
 * @example
 * ```ts
 * describeIntegration('the PostgreSQL event store', () => {
 *   it('appends and reads back a stream', async () => {
 *     const { url } = integrationServices().postgres;
 *     // ...
 *   });
 * });
 * ```
 */
export function describeIntegration(name: string, fn: () => void): void {
  describe.skipIf(testServices().status !== 'ready')(name, fn);
}
