/**
 * The last source of the integration services: containers started with Testcontainers.
 *
 * `testcontainers` is an optional dependency that protean-ts does not install. It is loaded with a
 * dynamic `import()` only after a Docker engine has answered, and only the few members used here
 * are typed locally, so the package is needed neither to compile nor to run without Docker.
 */
import type { ProbeResult } from './probes.js';
import { describeError } from './probes.js';

/** Images started for each service. */
export interface ContainerImages {
  readonly postgres: string;
  readonly redis: string;
}

/** The images of the repository's docker-compose.yml, so every source runs the same versions. */
const DEFAULT_IMAGES: ContainerImages = { postgres: 'postgres:15', redis: 'redis:7' };

/** The containers a resolution started, and how to stop them. */
export interface StartedServices {
  readonly urls: Partial<Record<'postgres' | 'redis', string>>;
  stop(): Promise<void>;
}

/** Options of {@link startContainers}. */
export interface StartContainersOptions {
  /** Module specifier to load Testcontainers from. */
  readonly module: string;
  readonly images: Partial<ContainerImages>;
  /** Confirms a started service really answers, as for the other sources. */
  readonly probe: (service: 'postgres' | 'redis', url: string) => Promise<ProbeResult>;
}

/** The members of the `testcontainers` module used here (its own types are not available). */
interface TestcontainersModule {
  GenericContainer: new (image: string) => ContainerBuilder;
  Wait: { forLogMessage(message: RegExp, times?: number): unknown };
}

interface ContainerBuilder {
  withEnvironment(environment: Record<string, string>): ContainerBuilder;
  withExposedPorts(...ports: number[]): ContainerBuilder;
  withWaitStrategy(strategy: unknown): ContainerBuilder;
  start(): Promise<StartedContainer>;
}

interface StartedContainer {
  getHost(): string;
  getMappedPort(port: number): number;
  stop(): Promise<unknown>;
}

/**
 * Starts a container for each service in `services` and checks it answers. Never throws: a failure
 * (Testcontainers not installed, an image that cannot be pulled, a container that does not answer)
 * comes back as a reason, after stopping whatever had already started.
 */
export async function startContainers(
  services: readonly ('postgres' | 'redis')[],
  options: StartContainersOptions,
): Promise<{ ok: true; services: StartedServices } | { ok: false; reason: string }> {
  const loaded = await loadTestcontainers(options.module);
  if (!loaded.ok) return loaded;
  const images = { ...DEFAULT_IMAGES, ...options.images };
  const running: StartedContainer[] = [];
  const stop = async (): Promise<void> => {
    await Promise.allSettled(running.splice(0).map((container) => container.stop()));
  };
  const urls: StartedServices['urls'] = {};
  try {
    for (const service of services) {
      const container = await start(loaded.module, service, images);
      running.push(container);
      urls[service] = urlOf(service, container);
      const answer = await options.probe(service, urls[service]);
      if (!answer.ok) throw new Error(`the ${service} container does not answer: ${answer.reason}`);
    }
    return { ok: true, services: { urls, stop } };
  } catch (error) {
    await stop();
    return {
      ok: false,
      reason: `A Docker engine answered but Testcontainers failed: ${describeError(error)}.`,
    };
  }
}

async function loadTestcontainers(
  specifier: string,
): Promise<{ ok: true; module: TestcontainersModule } | { ok: false; reason: string }> {
  try {
    return { ok: true, module: (await import(specifier)) as TestcontainersModule };
  } catch (error) {
    return {
      ok: false,
      reason:
        `A Docker engine answered, but "${specifier}" could not be loaded (${describeError(error)}). ` +
        'Testcontainers is an optional dependency: install it with `npm i -D testcontainers`.',
    };
  }
}

function start(
  module: TestcontainersModule,
  service: 'postgres' | 'redis',
  images: ContainerImages,
): Promise<StartedContainer> {
  if (service === 'redis') {
    return new module.GenericContainer(images.redis).withExposedPorts(6379).start();
  }
  // PostgreSQL logs "ready" twice: once for the init-time server, once for the real one.
  return new module.GenericContainer(images.postgres)
    .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: 'trust' })
    .withExposedPorts(5432)
    .withWaitStrategy(
      module.Wait.forLogMessage(/database system is ready to accept connections/, 2),
    )
    .start();
}

function urlOf(service: 'postgres' | 'redis', container: StartedContainer): string {
  const host = container.getHost();
  return service === 'postgres'
    ? `postgresql://postgres@${host}:${container.getMappedPort(5432)}/postgres`
    : `redis://${host}:${container.getMappedPort(6379)}`;
}
