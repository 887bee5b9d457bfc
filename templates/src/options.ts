/**
 * The options of `createProject()`: one typed object with documented defaults, resolved and
 * checked once, here.
 */
import { basename, resolve } from 'node:path';
import { CreateDomainError } from './errors.js';
import { resolveFrameworkSource, type FrameworkSource } from './framework.js';
import { resolveNames, type ProjectNames } from './naming.js';
import { detectPackageManager, type PackageManagerName } from './package-manager.js';
import { silentReporter, type Reporter } from './reporter.js';
import { resolveStack, type StackChoices } from './stack.js';

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
  /**
   * Where protean-ts comes from: its package folder or a tarball made by `npm pack` (either is
   * vendored into the project), or a registry version, range or tag.
   * @defaultValue the workspace's protean-ts in a checkout of the repository, else the registry
   */
  readonly framework?: string | undefined;
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
  readonly framework: FrameworkSource;
  readonly packageManager: PackageManagerName;
  readonly reporter: Reporter;
}

/**
 * Applies the defaults and checks the options: the names, the stack (a combination protean-ts can
 * run) and where protean-ts comes from. Throws `CreateDomainError` (`MISSING_DIR`, `INVALID_NAME`,
 * `INVALID_STACK`, `INVALID_FRAMEWORK`).
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
    framework: resolveFrameworkSource(options.framework, cwd),
    packageManager: options.packageManager ?? detectPackageManager(env['npm_config_user_agent']),
    reporter: options.reporter ?? silentReporter,
  };
}
