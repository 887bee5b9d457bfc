/** The values the project blueprint is rendered with. */
import type { ResolvedOptions, StackChoices } from './options.js';
import { installCommand, runScript, type PackageManagerName } from './package-manager.js';
import type { PathVariables } from './render.js';
import { PROTEAN_TS_RANGE } from './versions.js';

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
  readonly proteanRange: string;
  readonly stack: StackChoices;
  /** Where a local PostgreSQL would hold this domain's data (for commented-out settings). */
  readonly databaseUrl: string;
  /** Commands as the user types them with the detected package manager. */
  readonly commands: {
    readonly install: string;
    readonly dev: string;
    readonly start: string;
    readonly test: string;
    readonly typecheck: string;
  };
}

/**
 * The template context for resolved options.
 *
 * @example
 * projectContext(resolveOptions({ dir: 'my-shop' })).domainName; // 'my_shop'
 */
export function projectContext(options: ResolvedOptions): ProjectContext {
  return {
    packageName: options.packageName,
    domainName: options.domainName,
    example: options.example,
    proteanRange: PROTEAN_TS_RANGE,
    stack: options.stack,
    databaseUrl: `postgresql://postgres@127.0.0.1:5432/${options.domainName}`,
    commands: commandsFor(options.packageManager),
  };
}

/**
 * The `__key__` path variables: `__example__` is set only with the example slice.
 *
 * @example
 * projectPathVariables({ example: false }); // { example: undefined }
 */
export function projectPathVariables(options: Pick<ResolvedOptions, 'example'>): PathVariables {
  return { example: options.example ? EXAMPLE_FOLDER : undefined };
}

function commandsFor(manager: PackageManagerName): ProjectContext['commands'] {
  const { command, args } = installCommand(manager);
  return {
    install: [command, ...args].join(' '),
    dev: runScript(manager, 'dev'),
    start: runScript(manager, 'start'),
    test: runScript(manager, 'test'),
    typecheck: runScript(manager, 'typecheck'),
  };
}
