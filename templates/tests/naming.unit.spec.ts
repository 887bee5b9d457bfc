import { describe, expect, it } from 'vitest';
import { CreateDomainError } from '../src/errors.js';
import {
  checkDomainName,
  checkPackageName,
  domainNameFromPackage,
  nameProblem,
  packageNameFromDir,
  resolveNames,
} from '../src/naming.js';

function errorOf(action: () => unknown): CreateDomainError {
  try {
    action();
  } catch (error) {
    if (error instanceof CreateDomainError) return error;
    throw error;
  }
  throw new Error('expected a CreateDomainError, and nothing was thrown');
}

describe('package names', () => {
  it.each([
    ['my-shop', 'my-shop'],
    ['My Shop', 'my-shop'],
    ['  Shop!  ', 'shop'],
    ['.hidden', 'hidden'],
    ['_private', 'private'],
    ['café', 'caf'],
  ])('derives %j from the folder name as %j', (dir, name) => {
    expect(packageNameFromDir(dir)).toBe(name);
  });

  it('accepts plain and scoped npm names', () => {
    expect(() => checkPackageName('my-shop', '--name')).not.toThrow();
    expect(() => checkPackageName('@acme/shop', '--name')).not.toThrow();
  });

  it('refuses an invalid name, saying what was received, what is wrong and what to pass', () => {
    const error = errorOf(() => checkPackageName('My Shop', '--name'));

    expect(error.code).toBe('INVALID_NAME');
    expect(error.exitCode).toBe(2);
    expect(error.message).toContain('"My Shop" (from --name)');
    expect(error.message).toContain('can no longer contain capital letters');
    expect(error.message).toContain('try --name my-shop');
  });

  it('suggests a generic name when no fix can be derived', () => {
    expect(errorOf(() => checkPackageName('', '--name')).message).toContain(
      'such as --name my-shop',
    );
  });
});

describe('domain names', () => {
  it.each([
    ['my-shop', 'my_shop'],
    ['@acme/my-shop', 'my_shop'],
    ['shop.v2', 'shop_v2'],
    ['orders', 'orders'],
  ])('derives the domain name of %j as %j', (packageName, domainName) => {
    expect(domainNameFromPackage(packageName)).toBe(domainName);
  });

  it('refuses a domain name that does not start with a letter, naming its package', () => {
    const error = errorOf(() => checkDomainName('2shop', '2shop'));

    expect(error.code).toBe('INVALID_NAME');
    expect(error.message).toContain('"2shop", derived from the package name "2shop"');
    expect(error.message).toContain('pass a --name that starts with a letter');
  });
});

describe('resolveNames()', () => {
  it('derives both names from the folder when --name is absent', () => {
    expect(resolveNames({ dirName: 'My Shop' })).toEqual({
      packageName: 'my-shop',
      domainName: 'my_shop',
    });
  });

  it('uses --name as typed and derives the domain name from it', () => {
    expect(resolveNames({ name: '@acme/shop', dirName: 'anything' })).toEqual({
      packageName: '@acme/shop',
      domainName: 'shop',
    });
  });

  it('never silently changes an explicit --name', () => {
    expect(errorOf(() => resolveNames({ name: 'Shop', dirName: 'x' })).message).toContain(
      '"Shop" (from --name)',
    );
  });

  it('names the folder when the derived name is invalid', () => {
    expect(errorOf(() => resolveNames({ dirName: '...' })).message).toContain(
      'from the folder name "..."',
    );
  });
});

describe('nameProblem(), for answers at a prompt', () => {
  it('accepts a good name', () => {
    expect(nameProblem('my-shop')).toBeUndefined();
  });

  it('explains a bad one briefly, with a suggestion', () => {
    expect(nameProblem('My Shop')).toMatch(/^Not a valid npm package name: .*; try my-shop\.$/);
    expect(nameProblem('1shop')).toContain('"1shop", must start with a letter');
  });
});
