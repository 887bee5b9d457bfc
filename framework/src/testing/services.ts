/**
 * Finds the PostgreSQL and Redis the integration tier runs against. Free of vitest on purpose: any
 * test runner (or a script) can call {@link resolveServices}.
 */
import { startContainers, type ContainerImages, type StartedServices } from './containers.js';
import {
  DEFAULT_PROBE_TIMEOUT_MS,
  dockerEndpoint,
  probeDocker,
  probePostgres,
  probeRedis,
  type ProbeResult,
} from './probes.js';

/** The two services of the integration tier. */
export type ServiceName = 'postgres' | 'redis';

/** Where a service's URL came from: an env var, the local default, or a container we started. */
export type ServiceSource = 'env' | 'local' | 'testcontainers';

/** A service that answered its probe. */
export interface ResolvedService {
  readonly url: string;
  readonly source: ServiceSource;
}

/** One thing that was tried, for the explanation. URLs are shown with their password masked. */
export interface Attempt {
  readonly service: ServiceName | 'docker';
  readonly tried: string;
  readonly reason: string;
}

/**
 * What the integration tier may use. Plain data only: vitest passes it from the global setup to
 * test files with `provide`/`inject`, which require serialisable values.
 */
export type ServiceResolution =
  | {
      readonly status: 'ready';
      readonly postgres: ResolvedService;
      readonly redis: ResolvedService;
    }
  | { readonly status: 'skipped'; readonly reason: string; readonly attempts: readonly Attempt[] };

/** The local defaults. `127.0.0.1`, not `localhost`: `localhost` may resolve to `::1` first. */
export const LOCAL_SERVICE_URLS: Readonly<Record<ServiceName, string>> = {
  postgres: 'postgresql://postgres@127.0.0.1:5432/postgres',
  redis: 'redis://127.0.0.1:6379',
};

const LABELS: Readonly<Record<ServiceName, string>> = { postgres: 'PostgreSQL', redis: 'Redis' };

/** The env var that names each service explicitly. */
export const SERVICE_ENV_VARS: Readonly<Record<ServiceName, string>> = {
  postgres: 'DATABASE_URL',
  redis: 'REDIS_URL',
};

/** Options of {@link resolveServices}; every field has a default. */
export interface ResolveServicesOptions {
  /** Where `DATABASE_URL`, `REDIS_URL` and `DOCKER_HOST` are read. @defaultValue `process.env` */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Budget of each reachability probe, in ms. @defaultValue 2000 */
  readonly timeoutMs?: number;
  /** URLs tried when no env var is set. @defaultValue {@link LOCAL_SERVICE_URLS} */
  readonly localUrls?: Readonly<Record<ServiceName, string>>;
  /** Images Testcontainers starts. @defaultValue `postgres:15`, `redis:7` */
  readonly images?: Partial<ContainerImages>;
  /** Module loaded for Testcontainers, an optional dependency. @defaultValue `'testcontainers'` */
  readonly testcontainersModule?: string;
}

/** A resolution, plus how to stop the containers it started (if any). */
export interface ServicesHandle {
  readonly resolution: ServiceResolution;
  /** Stops the containers started for this resolution; a no-op when none were. */
  stop(): Promise<void>;
}

/**
 * Resolves PostgreSQL and Redis for tests, each in this order:
 *
 * 1. `DATABASE_URL` / `REDIS_URL`;
 * 2. the local defaults ({@link LOCAL_SERVICE_URLS});
 * 3. containers started by Testcontainers, when a Docker engine answers `GET /_ping`.
 *
 * An env var is a statement of intent, so it is final: when `DATABASE_URL` is set but unreachable,
 * the tier is skipped with that failure as the reason, and neither the local default nor a container
 * stands in for it (a test run against some other database would hide the misconfiguration).
 * Only a service with no env var falls through to the next source.
 *
 * The tier is all or nothing: it is `ready` only when both services answer a real round trip
 * (`SELECT 1`, `PING`). An empty env var counts as unset. Nothing is printed here:
 * `resolveIntegrationTier()` adds the skip line and the `CI=true` policy.
 *
 * @example
 * ```ts
 * const { resolution, stop } = await resolveServices();
 * if (resolution.status === 'ready') console.log(resolution.postgres.url);
 * else console.error(resolution.reason);
 * await stop();
 * ```
 */
export async function resolveServices(
  options: ResolveServicesOptions = {},
): Promise<ServicesHandle> {
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const localUrls = options.localUrls ?? LOCAL_SERVICE_URLS;
  const [postgres, redis] = await Promise.all([
    resolveWithoutDocker('postgres', env, localUrls, timeoutMs),
    resolveWithoutDocker('redis', env, localUrls, timeoutMs),
  ]);
  if (postgres.resolved && redis.resolved) return readyHandle(postgres.resolved, redis.resolved);

  const missing = [postgres, redis].filter((step) => !step.resolved).map((step) => step.service);
  const attempts = [...postgres.attempts, ...redis.attempts];
  const explicit = missing.filter((service) => env[SERVICE_ENV_VARS[service]]);
  if (explicit.length > 0) return skippedHandle(attempts, explicit.map(explicitFailure).join(' '));
  return resolveWithDocker({ postgres, redis, missing, attempts, env, timeoutMs, options });
}

/** The result of trying the non-Docker source of one service. */
interface SourceStep {
  readonly service: ServiceName;
  readonly resolved: ResolvedService | undefined;
  readonly attempts: Attempt[];
}

async function resolveWithoutDocker(
  service: ServiceName,
  env: Readonly<Record<string, string | undefined>>,
  localUrls: Readonly<Record<ServiceName, string>>,
  timeoutMs: number,
): Promise<SourceStep> {
  const fromEnv = env[SERVICE_ENV_VARS[service]];
  const url = fromEnv || localUrls[service];
  const source: ServiceSource = fromEnv ? 'env' : 'local';
  const result = await probe(service, url, timeoutMs);
  if (result.ok) return { service, resolved: { url, source }, attempts: [] };
  const tried = fromEnv ? `${SERVICE_ENV_VARS[service]}=${maskUrl(url)}` : maskUrl(url);
  return { service, resolved: undefined, attempts: [{ service, tried, reason: result.reason }] };
}

interface DockerStepInput {
  readonly postgres: SourceStep;
  readonly redis: SourceStep;
  readonly missing: ServiceName[];
  readonly attempts: Attempt[];
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly timeoutMs: number;
  readonly options: ResolveServicesOptions;
}

async function resolveWithDocker(input: DockerStepInput): Promise<ServicesHandle> {
  const { env, timeoutMs, options, attempts, missing } = input;
  const endpoint = dockerEndpoint(env['DOCKER_HOST']);
  const where =
    'socketPath' in endpoint ? endpoint.socketPath : `${endpoint.host}:${endpoint.port}`;
  const docker = await probeDocker(endpoint, timeoutMs);
  if (!docker.ok) {
    const dockerAttempt = {
      service: 'docker' as const,
      tried: `GET /_ping on ${where}`,
      reason: docker.reason,
    };
    const reason = `${missing.map((service) => LABELS[service]).join(' and ')} not reachable, and no Docker engine answered.`;
    return skippedHandle([...attempts, dockerAttempt], reason);
  }
  const started = await startContainers(missing, {
    module: options.testcontainersModule ?? 'testcontainers',
    images: options.images ?? {},
    // A container that just logged "ready" may still be finishing its start; give it longer.
    probe: (service, url) => probe(service, url, timeoutMs * 5),
  });
  if (!started.ok) {
    const answered = { service: 'docker' as const, tried: `GET /_ping on ${where}`, reason: 'OK' };
    return skippedHandle([...attempts, answered], started.reason);
  }
  return mergeStarted(input, started.services);
}

function mergeStarted(input: DockerStepInput, started: StartedServices): ServicesHandle {
  // startContainers() returns ok only with a URL for every service it was asked to start.
  const from = (step: SourceStep): ResolvedService =>
    step.resolved ?? { url: started.urls[step.service] ?? '', source: 'testcontainers' };
  return {
    resolution: { status: 'ready', postgres: from(input.postgres), redis: from(input.redis) },
    stop: started.stop,
  };
}

function probe(service: ServiceName, url: string, timeoutMs: number): Promise<ProbeResult> {
  return service === 'postgres' ? probePostgres(url, timeoutMs) : probeRedis(url, timeoutMs);
}

function explicitFailure(service: ServiceName): string {
  const name = SERVICE_ENV_VARS[service];
  return `${name} is set but unreachable; an explicit ${name} is never replaced by another source.`;
}

function readyHandle(postgres: ResolvedService, redis: ResolvedService): ServicesHandle {
  return { resolution: { status: 'ready', postgres, redis }, stop: async () => undefined };
}

function skippedHandle(attempts: Attempt[], reason: string): ServicesHandle {
  return { resolution: { status: 'skipped', reason, attempts }, stop: async () => undefined };
}

/**
 * Replaces the password of a URL with `***`, so explanations can be printed safely.
 *
 * @example
 * ```ts
 * maskUrl('postgresql://app:secret@db:5432/app'); // 'postgresql://app:***@db:5432/app'
 * ```
 */
export function maskUrl(url: string): string {
  // A password cannot contain a raw '/' or '@' in a URL (they must be percent-encoded).
  return url.replace(/(\/\/[^:/@]*:)[^@/]+@/, '$1***@');
}
