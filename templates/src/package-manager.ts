/**
 * The package manager that launched create-domain (`npm create`, `pnpm create`, `yarn create`,
 * `bun create`), read from `npm_config_user_agent`, and the commands to print and run with it.
 */

/** Package managers create-domain knows how to talk to. */
export type PackageManagerName = 'npm' | 'pnpm' | 'yarn' | 'bun';

const KNOWN: readonly PackageManagerName[] = ['npm', 'pnpm', 'yarn', 'bun'];

/** A command line split into the program and its arguments. */
export interface CommandLine {
  readonly command: string;
  readonly args: readonly string[];
}

/**
 * Detects the package manager from a user agent such as `pnpm/9.1.0 npm/? node/v20.20.0 linux x64`;
 * anything unknown or missing means npm.
 *
 * @example
 * detectPackageManager(process.env['npm_config_user_agent']); // 'pnpm' under `pnpm create domain`
 */
export function detectPackageManager(userAgent: string | undefined): PackageManagerName {
  const name = userAgent?.trim().split('/', 1)[0]?.toLowerCase();
  return KNOWN.find((known) => known === name) ?? 'npm';
}

/**
 * The command that installs a project's dependencies.
 *
 * @example
 * installCommand('yarn'); // { command: 'yarn', args: ['install'] }
 */
export function installCommand(manager: PackageManagerName): CommandLine {
  return { command: manager, args: ['install'] };
}

/**
 * How to run a package.json script, as the user types it. `bun test` would start bun's own test
 * runner rather than the `test` script, so bun always gets `bun run`.
 *
 * @example
 * runScript('npm', 'test'); // 'npm test'
 * runScript('pnpm', 'dev'); // 'pnpm dev'
 */
export function runScript(manager: PackageManagerName, script: string): string {
  switch (manager) {
    case 'npm':
      return script === 'test' || script === 'start' ? `npm ${script}` : `npm run ${script}`;
    case 'bun':
      return `bun run ${script}`;
    default:
      return `${manager} ${script}`;
  }
}
