/**
 * The options of `createProject()`: one typed object with documented defaults, resolved and
 * checked once, here.
 */
import { basename, resolve } from 'node:path';
import { CreateDomainError } from './errors.js';
import { resolveNames, type ProjectNames } from './naming.js';
import { detectPackageManager, type PackageManagerName } from './package-manager.js';
import { silentReporter, type Reporter } from './reporter.js';

/** The values each infrastructure option accepts (the spec's table). */
export const STACK_CHOICES = {
  database: ['memory', 'postgresql'],
  eventStore: ['memory', 'postgresql'],
  broker: ['inline', 'redis', 'redis_pubsub'],
  processing: ['sync', 'async'],
} as const;

/** The infrastructure a project is generated for. */
export interface StackChoices {
  /** `[databases.default]` provider. */
  readonly database: (typeof STACK_CHOICES.database)[number];
  /** `[event_store]` provider. */
  readonly eventStore: (typeof STACK_CHOICES.eventStore)[number];
  /** `[brokers.default]` provider. */
  readonly broker: (typeof STACK_CHOICES.broker)[number];
  /** Event and command processing. */
  readonly processing: (typeof STACK_CHOICES.processing)[number];
  /** `enable_outbox`. */
  readonly outbox: boolean;
}

/** The only stack this version generates: everything in memory, processed synchronously. */
export const SUPPORTED_STACK: StackChoices = Object.freeze({
  database: 'memory',
  eventStore: 'memory',
  broker: 'inline',
  processing: 'sync',
  outbox: false,
});

/** Options of {@link createProject}; the defaults are those of the `create-domain` command. */
export interface CreateProjectOptions extends Partial<StackChoices> {
  /** Target folder, absolute or relative to `cwd`; its name is the default project name. */
  readonly dir: string;
  /** Package name (a valid npm name); the domain name derives from it. @defaultValue from `dir` */
  readonly name?: string | undefined;
  /** Include the example aggregate slice with its tests. @defaultValue true */
  readonly example?: boolean | undefined;
  /** Run the package manager's install in the new project. @defaultValue true */
  readonly install?: boolean | undefined;
  /** `git init` and a first commit. @defaultValue true */
  readonly git?: boolean | undefined;
  /** Allow a non-empty target; files with the same path are replaced. @defaultValue false */
  readonly overwrite?: boolean | undefined;
  /** Work out and report the files, write nothing, run nothing. @defaultValue false */
  readonly dryRun?: boolean | undefined;
  /** @defaultValue detected from `npm_config_user_agent`, else npm */
  readonly packageManager?: PackageManagerName | undefined;
  /** Base for a relative `dir`. @defaultValue `process.cwd()` */
  readonly cwd?: string | undefined;
  /** Receives progress lines. @defaultValue silent */
  readonly reporter?: Reporter | undefined;
}

/** {@link CreateProjectOptions} with every default applied and every value checked. */
export interface ResolvedOptions extends ProjectNames {
  /** Absolute path of the target folder. */
  readonly targetDir: string;
  /** The folder relative paths were resolved against (next steps are printed relative to it). */
  readonly cwd: string;
  readonly example: boolean;
  readonly install: boolean;
  readonly git: boolean;
  readonly overwrite: boolean;
  readonly dryRun: boolean;
  readonly stack: StackChoices;
  readonly packageManager: PackageManagerName;
  readonly reporter: Reporter;
}

/**
 * Applies the defaults and checks the options: the names, and that the stack is the one this
 * version can generate. Throws `CreateDomainError` (`MISSING_DIR`, `INVALID_NAME`,
 * `UNSUPPORTED_OPTION`).
 *
 * @example
 * const resolved = resolveOptions({ dir: 'my-shop', install: false });
 * resolved.domainName; // 'my_shop'
 */
export function resolveOptions(
  options: CreateProjectOptions,
  env: NodeJS.ProcessEnv = process.env,
): ResolvedOptions {
  if (!options.dir || options.dir.trim() === '') {
    throw new CreateDomainError(
      'MISSING_DIR',
      'No target folder was given. Name the folder to create, for example `create-domain my-shop`.',
    );
  }
  const stack = resolveStack(options);
  const cwd = resolve(options.cwd ?? process.cwd());
  const targetDir = resolve(cwd, options.dir);
  return {
    ...resolveNames({ name: options.name, dirName: basename(targetDir) }),
    targetDir,
    cwd,
    example: options.example ?? true,
    install: options.install ?? true,
    git: options.git ?? true,
    overwrite: options.overwrite ?? false,
    dryRun: options.dryRun ?? false,
    stack,
    packageManager: options.packageManager ?? detectPackageManager(env['npm_config_user_agent']),
    reporter: options.reporter ?? silentReporter,
  };
}

const FLAGS: Record<keyof StackChoices, string> = {
  database: '--database',
  eventStore: '--event-store',
  broker: '--broker',
  processing: '--processing',
  outbox: '--outbox',
};

/**
 * Fills in the stack defaults and refuses anything but the supported stack, so that no choice is
 * silently ignored.
 *
 * @example
 * resolveStack({ database: 'postgresql' }); // throws UNSUPPORTED_OPTION naming --database
 */
export function resolveStack(choices: Partial<StackChoices>): StackChoices {
  const stack = { ...SUPPORTED_STACK, ...definedOnly(choices) };
  for (const key of Object.keys(SUPPORTED_STACK) as (keyof StackChoices)[]) {
    if (stack[key] === SUPPORTED_STACK[key]) continue;
    const given = key === 'outbox' ? FLAGS.outbox : `${FLAGS[key]} ${String(stack[key])}`;
    throw new CreateDomainError(
      'UNSUPPORTED_OPTION',
      `${given} is not supported yet: this version of create-domain generates only the ` +
        'synchronous, memory-only project (--database memory, --event-store memory, ' +
        '--broker inline, --processing sync, no --outbox). ' +
        `Leave ${FLAGS[key]} out to get that project.`,
    );
  }
  return stack;
}

function definedOnly(choices: Partial<StackChoices>): Partial<StackChoices> {
  return Object.fromEntries(
    Object.entries(choices).filter(([key, value]) => key in SUPPORTED_STACK && value !== undefined),
  ) as Partial<StackChoices>;
}
