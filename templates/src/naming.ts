/**
 * Project names: the npm package name (from `--name` or the target folder) and the domain name
 * derived from it. Pure functions; every failure is an `INVALID_NAME` error that says what was
 * received and what to do.
 */
import validatePackageName from 'validate-npm-package-name';
import { CreateDomainError } from './errors.js';

/** The names a new project is created with. */
export interface ProjectNames {
  /** The npm package name, e.g. `my-shop` or `@acme/shop`. */
  readonly packageName: string;
  /** The protean-ts domain name, e.g. `my_shop`. */
  readonly domainName: string;
}

const DOMAIN_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * Turns a folder name into a likely npm package name: lower case, runs of characters npm does not
 * allow become `-`, and leading `.`, `_` and `-` are dropped. The result still needs checking.
 *
 * @example
 * packageNameFromDir('My Shop'); // 'my-shop'
 */
export function packageNameFromDir(dirName: string): string {
  return dirName
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9._~-]+/g, '-')
    .replace(/^[._-]+/, '')
    .replace(/-+$/, '');
}

/**
 * Throws `INVALID_NAME` unless `name` is valid for a new npm package.
 *
 * @param origin where the name came from, for the message (`--name`, `the folder name`)
 * @example
 * checkPackageName('my-shop', '--name'); // ok
 * checkPackageName('My Shop', '--name'); // throws: ... try "my-shop"
 */
export function checkPackageName(name: string, origin: string): void {
  const problems = npmProblems(name);
  if (problems === undefined) return;
  const suggestion = suggestionFor(name);
  const hint = suggestion
    ? `try --name ${suggestion}`
    : 'pass --name with lower-case letters, digits and -, such as --name my-shop';
  throw new CreateDomainError(
    'INVALID_NAME',
    `The package name ${JSON.stringify(name)} (from ${origin}) is not a valid npm package name: ` +
      `${problems}. To fix it, ${hint}.`,
  );
}

/** What validate-npm-package-name objects to, as one line; `undefined` for a good new name. */
function npmProblems(name: string): string | undefined {
  const result = validatePackageName(name);
  if (result.validForNewPackages) return undefined;
  return [...(result.errors ?? []), ...(result.warnings ?? [])].join('; ');
}

/** A valid name close to `name`, if normalising it gives one. */
function suggestionFor(name: string): string | undefined {
  const suggestion = packageNameFromDir(name);
  const usable = suggestion !== '' && suggestion !== name && npmProblems(suggestion) === undefined;
  return usable ? suggestion : undefined;
}

/**
 * Derives the domain name from a package name: the part after any `@scope/`, in lower snake_case.
 *
 * @example
 * domainNameFromPackage('@acme/my-shop'); // 'my_shop'
 */
export function domainNameFromPackage(packageName: string): string {
  const bare = packageName.replace(/^@[^/]+\//, '');
  return bare
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
}

/**
 * Throws `INVALID_NAME` unless `domainName` matches protean-ts's rule `/^[a-z][a-z0-9_]*$/`.
 *
 * @example
 * checkDomainName('my_shop', 'my-shop'); // ok
 * checkDomainName('2shop', '2shop');     // throws: must start with a letter
 */
export function checkDomainName(domainName: string, packageName: string): void {
  if (DOMAIN_NAME.test(domainName)) return;
  throw new CreateDomainError(
    'INVALID_NAME',
    `The domain name ${JSON.stringify(domainName)}, derived from the package name ` +
      `${JSON.stringify(packageName)}, is not valid: a domain name starts with a lower-case ` +
      'letter and holds only lower-case letters, digits and _. ' +
      'To fix it, pass a --name that starts with a letter, such as --name my-shop.',
  );
}

/**
 * A short description of what is wrong with a typed package name, or `undefined` when it is fine:
 * for validating an answer at a prompt.
 *
 * @example
 * nameProblem('My Shop'); // 'Not a valid npm package name: ...; try my-shop.'
 */
export function nameProblem(name: string): string | undefined {
  const problems = npmProblems(name);
  if (problems !== undefined) {
    const suggestion = suggestionFor(name);
    return `Not a valid npm package name: ${problems}${suggestion ? `; try ${suggestion}` : ''}.`;
  }
  const domainName = domainNameFromPackage(name);
  return DOMAIN_NAME.test(domainName)
    ? undefined
    : `The domain name derived from it, ${JSON.stringify(domainName)}, must start with a letter.`;
}

/**
 * Resolves and checks the package and domain names: `name` when given (checked as typed, never
 * silently changed), otherwise one derived from the target folder's name.
 *
 * @example
 * resolveNames({ dirName: 'My Shop' }); // { packageName: 'my-shop', domainName: 'my_shop' }
 * resolveNames({ name: '@acme/shop', dirName: 'x' });
 * // { packageName: '@acme/shop', domainName: 'shop' }
 */
export function resolveNames(input: { name?: string | undefined; dirName: string }): ProjectNames {
  const packageName = input.name ?? packageNameFromDir(input.dirName);
  const origin =
    input.name !== undefined ? '--name' : `the folder name ${JSON.stringify(input.dirName)}`;
  checkPackageName(packageName, origin);
  const domainName = domainNameFromPackage(packageName);
  checkDomainName(domainName, packageName);
  return { packageName, domainName };
}
