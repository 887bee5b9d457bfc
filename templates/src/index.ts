/**
 * create-domain: scaffold a domain-driven, event-driven TypeScript project on protean-ts.
 * The `create-domain` bin is the usual way in; this module is the same thing as a function.
 *
 * @example
 * import { createProject } from 'create-domain';
 * const project = await createProject({ dir: 'my-shop', install: false, git: false });
 */
export { createProject } from './create-project.js';
export type { CreatedProject } from './create-project.js';
export { CreateDomainError, ExitCode } from './errors.js';
export type { CreateDomainErrorCode } from './errors.js';
export { resolveOptions } from './options.js';
export type { CreateProjectOptions, ResolvedOptions } from './options.js';
export {
  DEFAULT_STACK,
  resolveStack,
  STACK_CHOICES,
  stackProblems,
  stackWarning,
} from './stack.js';
export type { StackChoices } from './stack.js';
export { resolveFrameworkSource, workspaceFramework } from './framework.js';
export type { FrameworkSource } from './framework.js';
export {
  checkPackageName,
  domainNameFromPackage,
  packageNameFromDir,
  resolveNames,
} from './naming.js';
export type { ProjectNames } from './naming.js';
export { detectPackageManager } from './package-manager.js';
export type { PackageManagerName } from './package-manager.js';
export type { Reporter } from './reporter.js';
export { runCli } from './program.js';
export type { CliEnvironment } from './program.js';
export type { GitOutcome } from './git.js';
