/** The optional install step: the detected package manager's `install` in the new project. */
import { CreateDomainError } from './errors.js';
import { installCommand, type PackageManagerName } from './package-manager.js';
import { runCommand, tail } from './run.js';

/**
 * Installs the new project's dependencies. Throws `INSTALL_FAILED` (with the end of the package
 * manager's output) when the package manager is missing or fails; the files stay written.
 *
 * @example
 * await installDependencies('/tmp/my-shop', 'npm');
 */
export async function installDependencies(dir: string, manager: PackageManagerName): Promise<void> {
  const { command, args } = installCommand(manager);
  const typed = [command, ...args].join(' ');
  const result = await runCommand(command, args, dir);
  if (result.code === 0) return;
  const why = result.startError
    ? `${command} could not be started (${result.startError.message}); ` +
      'is it installed and on the PATH?'
    : `it exited with code ${result.code}:\n${tail(result.output)}`;
  throw new CreateDomainError(
    'INSTALL_FAILED',
    `The project was written to ${dir}, but \`${typed}\` failed: ${why}\n` +
      `Fix the problem, then run \`${typed}\` in ${dir}.`,
  );
}
