import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  DiscoveryError,
  discoverDomain,
  isDomain,
  parseDomainSpec,
} from '../../src/cli/discovery.js';
import { Domain } from '../../src/index.js';
import { PROTEAN, domainModule, project, removeProjects } from './fixtures.js';

afterAll(removeProjects);

/** A TypeScript domain module: the annotation proves it loads without a build. */
const tsDomain = (name: string, exportName = 'domain') =>
  domainModule(
    {},
    `const name: string = '${name}';\nexport const ${exportName} = new Domain({ name });`,
  );

async function discoveryError(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(DiscoveryError);
  return (error as DiscoveryError).message;
}

describe('domain discovery in the current folder (rule 3)', () => {
  it('loads domain.ts without a build', async () => {
    const cwd = await project({ 'domain.ts': tsDomain('bookshelf') });
    const found = await discoverDomain({ cwd, env: {} });
    expect(found.domain).toBeInstanceOf(Domain);
    expect(found).toMatchObject({ source: 'domain.ts:domain', rule: 'current folder' });
    expect(found.domain.name).toBe('bookshelf');
  });

  it('loads domain.js when there is no domain.ts', async () => {
    const cwd = await project({ 'domain.js': domainModule({ domain: 'plain_js' }) });
    const { domain, source } = await discoverDomain({ cwd, env: {} });
    expect([domain.name, source]).toEqual(['plain_js', 'domain.js:domain']);
  });

  it('prefers domain.ts over subdomain.ts', async () => {
    const cwd = await project({
      'domain.ts': tsDomain('main'),
      'subdomain.ts': tsDomain('sub', 'subdomain'),
    });
    expect((await discoverDomain({ cwd, env: {} })).domain.name).toBe('main');
  });

  it('prefers domain.js over subdomain.ts', async () => {
    const cwd = await project({
      'domain.js': domainModule({ domain: 'main' }),
      'subdomain.ts': tsDomain('sub', 'subdomain'),
    });
    expect((await discoverDomain({ cwd, env: {} })).domain.name).toBe('main');
  });

  it('falls back to subdomain.ts and its `subdomain` export', async () => {
    const cwd = await project({ 'subdomain.ts': tsDomain('lending', 'subdomain') });
    const found = await discoverDomain({ cwd, env: {} });
    expect([found.domain.name, found.source]).toEqual(['lending', 'subdomain.ts:subdomain']);
  });

  it('says which files it looked for when the folder has none', async () => {
    const cwd = await project({});
    const message = await discoveryError(discoverDomain({ cwd, env: {} }));
    expect(message).toContain('cannot load the domain in the current folder');
    expect(message).toContain('domain.ts, domain.js, subdomain.ts, subdomain.js');
    expect(message).toContain(cwd);
    expect(message).toMatch(/--domain .*PROTEAN_DOMAIN/);
  });
});

describe('domain discovery with --domain and PROTEAN_DOMAIN (rules 1 and 2)', () => {
  it('takes PROTEAN_DOMAIN over --domain', async () => {
    // #region env-beats-flag
    const cwd = await project({ 'a.ts': tsDomain('from_env'), 'b.ts': tsDomain('from_flag') });
    const found = await discoverDomain({ cwd, domain: 'b.ts', env: { PROTEAN_DOMAIN: 'a.ts' } });
    expect([found.domain.name, found.rule]).toEqual(['from_env', 'PROTEAN_DOMAIN']);
    // #endregion env-beats-flag
  });

  it('takes --domain over the current folder', async () => {
    const cwd = await project({ 'domain.ts': tsDomain('here'), 'other.ts': tsDomain('flag') });
    const found = await discoverDomain({ cwd, domain: 'other.ts', env: {} });
    expect([found.domain.name, found.rule]).toEqual(['flag', '--domain']);
  });

  it('adds the extension to a path given without one', async () => {
    const cwd = await project({ 'src/app.ts': tsDomain('no_extension') });
    expect((await discoverDomain({ cwd, domain: 'src/app', env: {} })).source).toBe(
      join('src', 'app.ts:domain'),
    );
  });

  it("takes a folder's domain.ts", async () => {
    const cwd = await project({ 'src/catalogue/domain.ts': tsDomain('catalogue') });
    const found = await discoverDomain({ cwd, domain: 'src/catalogue', env: {} });
    expect(found.domain.name).toBe('catalogue');
  });

  it("takes a folder's index.ts when it has no domain.*", async () => {
    const cwd = await project({ 'lending/index.ts': tsDomain('lending') });
    const found = await discoverDomain({ cwd, domain: './lending', env: {} });
    expect(found.source).toBe(join('lending', 'index.ts:domain'));
  });

  it('resolves a package name through node_modules and its exports', async () => {
    const cwd = await project({
      'node_modules/@acme/catalogue/package.json': JSON.stringify({
        name: '@acme/catalogue',
        exports: { '.': { types: './nope.d.ts', import: './lib/domain.js' } },
      }),
      'node_modules/@acme/catalogue/lib/domain.js': domainModule({ domain: 'acme' }),
      'src/.keep': '',
    });
    const found = await discoverDomain({
      cwd: join(cwd, 'src'),
      domain: '@acme/catalogue',
      env: {},
    });
    expect(found.domain.name).toBe('acme');
    expect(found.source).toBe(join(cwd, 'node_modules/@acme/catalogue/lib/domain.js:domain'));
  });

  it('says what it tried when the file is missing', async () => {
    const cwd = await project({});
    const message = await discoveryError(discoverDomain({ cwd, domain: './src/nope', env: {} }));
    expect(message).toContain('named by --domain "./src/nope"');
    expect(message).toContain(`${join('src', 'nope')}, ${join('src', 'nope.ts')}`);
  });

  it('names the package it could not find', async () => {
    const cwd = await project({});
    const message = await discoveryError(discoverDomain({ cwd, domain: 'no-such-pkg', env: {} }));
    expect(message).toContain('no package "no-such-pkg" in node_modules');
  });

  it('says what a folder lacks', async () => {
    const cwd = await project({ 'empty/readme.md': '' });
    const message = await discoveryError(discoverDomain({ cwd, domain: 'empty', env: {} }));
    expect(message).toMatch(/folder empty holds none of domain\.ts, .*index\.mjs/);
  });
});

describe('choosing the export', () => {
  it('uses the export named with :name', async () => {
    const cwd = await project({
      'app.ts': domainModule({ catalogue: 'catalogue', lending: 'lending' }),
    });
    const found = await discoverDomain({ cwd, domain: 'app.ts:lending', env: {} });
    expect([found.domain.name, found.source]).toEqual(['lending', 'app.ts:lending']);
  });

  it('calls a factory named with :name()', async () => {
    // #region factory-export
    const factory = "export function createDomain() { return new Domain({ name: 'made' }); }";
    const cwd = await project({ 'app.ts': domainModule({}, factory) });
    const found = await discoverDomain({ cwd, domain: 'app.ts:createDomain()', env: {} });
    expect([found.domain.name, found.source]).toEqual(['made', 'app.ts:createDomain()']);
    // #endregion factory-export
  });

  it('awaits an async factory', async () => {
    const factory = "export const build = async () => new Domain({ name: 'later' });";
    const cwd = await project({ 'app.ts': domainModule({}, factory) });
    expect((await discoverDomain({ cwd, domain: 'app.ts:build()', env: {} })).domain.name).toBe(
      'later',
    );
  });

  it('prefers the `domain` export over other Domain exports', async () => {
    const cwd = await project({ 'domain.ts': domainModule({ other: 'other', domain: 'chosen' }) });
    expect((await discoverDomain({ cwd, env: {} })).domain.name).toBe('chosen');
  });

  it('takes the single exported Domain instance, whatever its name', async () => {
    const cwd = await project({
      'domain.ts': domainModule({ bookshelf: 'bookshelf' }, 'export default bookshelf;'),
    });
    const found = await discoverDomain({ cwd, env: {} });
    expect([found.domain.name, found.source]).toEqual(['bookshelf', 'domain.ts:bookshelf']);
  });

  it('lists several Domain instances and shows how to choose one', async () => {
    const cwd = await project({ 'domain.ts': domainModule({ catalogue: 'c', lending: 'l' }) });
    const message = await discoveryError(discoverDomain({ cwd, env: {} }));
    expect(message).toContain('domain.ts exports several Domain instances (catalogue, lending)');
    expect(message).toContain('--domain domain.ts:catalogue');
  });

  it('says so when nothing exported is a Domain', async () => {
    const cwd = await project({ 'domain.ts': 'export const answer = 42;' });
    const message = await discoveryError(discoverDomain({ cwd, env: {} }));
    expect(message).toContain('domain.ts exports no Domain instance (its exports: answer)');
    expect(message).toContain('export const domain = new Domain(');
  });

  it('says so when the `domain` export is not a Domain', async () => {
    const cwd = await project({ 'domain.ts': "export const domain = 'bookshelf';" });
    const message = await discoveryError(discoverDomain({ cwd, env: {} }));
    expect(message).toContain('export "domain" of domain.ts is a string, not a Domain');
  });

  it('lists the exports when :name names none of them', async () => {
    const cwd = await project({ 'app.ts': domainModule({ catalogue: 'catalogue' }) });
    const message = await discoveryError(discoverDomain({ cwd, domain: 'app.ts:nope', env: {} }));
    expect(message).toContain('app.ts has no export named "nope" (its exports: catalogue)');
  });

  it('suggests the parentheses when :name is a factory', async () => {
    const cwd = await project({ 'app.ts': domainModule({}, 'export const make = () => null;') });
    const message = await discoveryError(discoverDomain({ cwd, domain: 'app.ts:make', env: {} }));
    expect(message).toContain(
      'is a function, not a Domain; to call it as a factory, use --domain app.ts:make()',
    );
  });

  it('reports a factory that throws', async () => {
    const factory = "export function create() { throw new Error('no database url'); }";
    const cwd = await project({ 'app.ts': domainModule({}, factory) });
    const message = await discoveryError(
      discoverDomain({ cwd, domain: 'app.ts:create()', env: {} }),
    );
    expect(message).toContain('create() of app.ts threw: no database url');
  });

  it('reports a factory that returns something else', async () => {
    const cwd = await project({ 'app.ts': 'export const create = async () => 7;' });
    const message = await discoveryError(
      discoverDomain({ cwd, domain: 'app.ts:create()', env: {} }),
    );
    expect(message).toContain('create() of app.ts returned a number, not a Domain');
  });

  it('reports a module that does not compile', async () => {
    const cwd = await project({ 'domain.ts': 'export const domain = ;' });
    const message = await discoveryError(discoverDomain({ cwd, env: {} }));
    expect(message).toContain('importing domain.ts failed:');
  });

  it('recognises a Domain of another copy of protean-ts by its shape', async () => {
    const copy =
      'class Domain { name = "copy"; async init() {} }\nexport const domain = new Domain();';
    const cwd = await project({ 'domain.js': copy });
    const found = await discoverDomain({ cwd, env: {} });
    expect(found.domain).not.toBeInstanceOf(Domain);
    expect(found.domain.name).toBe('copy');
  });
});

describe('the helpers', () => {
  it('parses the parts of a --domain value', () => {
    expect(parseDomainSpec('src/app.ts')).toEqual({ path: 'src/app.ts', call: false });
    expect(parseDomainSpec('src/app.ts:lending')).toEqual({
      path: 'src/app.ts',
      exportName: 'lending',
      call: false,
    });
    expect(parseDomainSpec('@acme/app:make()')).toEqual({
      path: '@acme/app',
      exportName: 'make',
      call: true,
    });
    expect(parseDomainSpec('C:\\app\\domain.ts').path).toBe('C:\\app\\domain.ts');
    expect(parseDomainSpec(`${PROTEAN}:x`).path).toBe(PROTEAN);
  });

  it('tells Domains from look-alikes', () => {
    expect(isDomain(new Domain({ name: 'real' }))).toBe(true);
    expect(isDomain({ name: 'x', init: () => undefined })).toBe(false);
    expect(isDomain(null)).toBe(false);
  });
});
