/** The values the project blueprint is rendered with. */
import type { ResolvedOptions } from './options.js';
import { installCommand, runScript, type PackageManagerName } from './package-manager.js';
import type { PathVariables } from './render.js';
import { servicesOf, type StackChoices } from './stack.js';
import { DRIVER_RANGES, TOOL_RANGES } from './versions.js';

/**
 * The example slice: the Task aggregate in `src/task/` and its tests. The blueprint spells the
 * files out; the `__example__` path variable decides whether they are written, and where.
 */
export const EXAMPLE_FOLDER = 'task';

/** Everything a blueprint template may refer to. */
export interface ProjectContext {
  readonly packageName: string;
  readonly domainName: string;
  /** Whether the example slice is included. */
  readonly example: boolean;
  readonly stack: StackChoices;
  /** Shorthands for the templates' `{{#if}}`s. */
  readonly is: {
    readonly async: boolean;
    readonly outbox: boolean;
    readonly postgres: boolean;
    readonly redis: boolean;
    /** PostgreSQL or Redis: the project has an integration tier and a docker-compose.yml. */
    readonly services: boolean;
    readonly databasePostgres: boolean;
    readonly eventStorePostgres: boolean;
  };
  /** The project's dependencies: protean-ts (as prepared) and the drivers the stack needs. */
  readonly dependencies: Readonly<Record<string, string>>;
  /**
   * The development tools, and the driver the stack does not use when it has an integration
   * tier: protean-ts's integration set-up probes both PostgreSQL and Redis.
   */
  readonly devDependencies: Readonly<Record<string, string>>;
  /** Local defaults of the `${VAR|default}` references in domain.toml. */
  readonly urls: {
    readonly database: string;
    readonly redis: string;
    readonly redisKeyPrefix: string;
  };
  /** Commands as the user types them with the detected package manager. */
  readonly commands: {
    readonly install: string;
    readonly dev: string;
    readonly start: string;
    readonly test: string;
    readonly typecheck: string;
    readonly dbSetup: string;
    readonly server: string;
  };
}

/**
 * The template context for resolved options and the `protean-ts` dependency as prepared.
 *
 * @example
 * projectContext(resolveOptions({ dir: 'my-shop' }), '^0.1.0').domainName; // 'my_shop'
 */
export function projectContext(options: ResolvedOptions, proteanTs: string): ProjectContext {
  const { stack } = options;
  const services = servicesOf(stack);
  return {
    packageName: options.packageName,
    domainName: options.domainName,
    example: options.example,
    stack,
    is: {
      async: stack.processing === 'async',
      outbox: stack.outbox,
      postgres: services.postgres,
      redis: services.redis,
      services: services.postgres || services.redis,
      databasePostgres: stack.database === 'postgresql',
      eventStorePostgres: stack.eventStore === 'postgresql',
    },
    dependencies: {
      ...(services.redis ? { ioredis: DRIVER_RANGES.ioredis } : {}),
      ...(services.postgres ? { pg: DRIVER_RANGES.pg } : {}),
      'protean-ts': proteanTs,
    },
    devDependencies: {
      '@types/node': TOOL_RANGES['@types/node'],
      ...(services.postgres && !services.redis ? { ioredis: DRIVER_RANGES.ioredis } : {}),
      ...(services.redis && !services.postgres ? { pg: DRIVER_RANGES.pg } : {}),
      tsx: TOOL_RANGES.tsx,
      typescript: TOOL_RANGES.typescript,
      vitest: TOOL_RANGES.vitest,
    },
    urls: {
      database: `postgresql://postgres@127.0.0.1:5432/${options.domainName}`,
      redis: 'redis://127.0.0.1:6379/0',
      redisKeyPrefix: `${options.domainName}:`,
    },
    commands: commandsFor(options.packageManager),
  };
}

/**
 * The `__key__` path variables: `__example__` only with the example slice; `__tier__` names the
 * tier of the tests that initialise the domain (`int` when it needs PostgreSQL or Redis); and
 * `__int__`, `__integration__` and `__compose__` are set only when there are services (the
 * integration tier's files and docker-compose.yml).
 *
 * @example
 * projectPathVariables({ example: false, stack: DEFAULT_STACK });
 * // { example: undefined, tier: 'unit', int: undefined, integration: undefined, compose: undefined }
 */
export function projectPathVariables(
  options: Pick<ResolvedOptions, 'example' | 'stack'>,
): PathVariables {
  const { postgres, redis } = servicesOf(options.stack);
  const services = postgres || redis;
  return {
    example: options.example ? EXAMPLE_FOLDER : undefined,
    tier: services ? 'int' : 'unit',
    int: services ? 'int' : undefined,
    integration: services ? 'integration' : undefined,
    compose: services ? 'docker-compose.yml' : undefined,
  };
}

function commandsFor(manager: PackageManagerName): ProjectContext['commands'] {
  const { command, args } = installCommand(manager);
  return {
    install: [command, ...args].join(' '),
    dev: runScript(manager, 'dev'),
    start: runScript(manager, 'start'),
    test: runScript(manager, 'test'),
    typecheck: runScript(manager, 'typecheck'),
    dbSetup: runScript(manager, 'db:setup'),
    server: runScript(manager, 'server'),
  };
}
