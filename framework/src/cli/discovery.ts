import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Domain } from '../domain/domain.js';
import { DiscoveryError, describeError } from './exit.js';
import { displayPath, locateInFolder, locateModule } from './locate.js';
import { requireRegisteredAggregates } from './unregistered.js';

export { DiscoveryError } from './exit.js';

/** Where `discoverDomain()` looks. */
export interface DiscoverOptions {
  /** The `--domain` value: `<file|folder|module>`, optionally `:export` or `:factory()`. */
  domain?: string | undefined;
  /** The folder relative paths and rule 3 start from. @defaultValue `process.cwd()` */
  cwd?: string;
  /** Read for `PROTEAN_DOMAIN`. @defaultValue `process.env` */
  env?: Readonly<Record<string, string | undefined>>;
}

/** Which discovery rule named the domain. */
export type DiscoveryRule = 'PROTEAN_DOMAIN' | '--domain' | 'current folder';

/** The domain found, not yet initialized. */
export interface DiscoveredDomain {
  domain: Domain;
  /** `<file>:<export>` or `<file>:<factory>()`, the file relative to `cwd` when inside it. */
  source: string;
  /** Which rule named it. */
  rule: DiscoveryRule;
}

/** A `--domain` value taken apart: `src/app.ts:createDomain()`. */
export interface DomainSpec {
  /** File, folder or module specifier; '' means the current folder's domain module. */
  path: string;
  /** The export to use; the `domain`/`subdomain`/single-Domain rule when absent. */
  exportName?: string;
  /** Whether the export is a zero-argument factory to call. */
  call: boolean;
}

/**
 * Splits a `--domain` value into path and export. A colon followed by a JavaScript identifier
 * (and optionally `()`) names an export; any other colon belongs to the path.
 */
export function parseDomainSpec(spec: string): DomainSpec {
  const match = /^(.*?):([A-Za-z_$][\w$]*)(\(\))?$/.exec(spec);
  if (!match) return { path: spec, call: false };
  return { path: match[1] ?? '', exportName: match[2], call: match[3] !== undefined };
}

/**
 * Whether `value` is a protean-ts Domain. A project can load a second copy of protean-ts (a global
 * `protean` running a local install's domain, or two versions in node_modules); that copy's Domain
 * is another class, so `instanceof` fails for a perfectly good domain. Such a domain is recognised
 * by shape: a class named `Domain` in its prototype chain, an `init()` method and a `name`.
 */
export function isDomain(value: unknown): value is Domain {
  if (value instanceof Domain) return true;
  if (!value || typeof value !== 'object') return false;
  const { init, name } = value as { init?: unknown; name?: unknown };
  return typeof init === 'function' && typeof name === 'string' && domainClassInChain(value);
}

function domainClassInChain(value: object): boolean {
  for (let proto: unknown = Object.getPrototypeOf(value); proto;) {
    if ((proto as { constructor?: { name?: unknown } }).constructor?.name === 'Domain') return true;
    proto = Object.getPrototypeOf(proto);
  }
  return false;
}

/**
 * Finds and imports the domain, by these rules: 1. `PROTEAN_DOMAIN` when set;
 * 2. `--domain`; 3. `domain.ts`, `domain.js`, `subdomain.ts`, `subdomain.js` in `cwd`. Inside the
 * module: the named export or factory; else the export `domain` or `subdomain`; else the single
 * exported Domain instance. TypeScript loads without a build (tsx). Does not call `init()`.
 *
 * @throws DiscoveryError naming what was tried and what to do.
 */
export async function discoverDomain(options: DiscoverOptions = {}): Promise<DiscoveredDomain> {
  const cwd = options.cwd ?? process.cwd();
  const { spec, rule } = chooseSpec(options.domain, options.env ?? process.env);
  try {
    const target = spec === undefined ? undefined : parseDomainSpec(spec);
    const file = target?.path ? locateModule(target.path, cwd) : locateInFolder(cwd);
    const where = displayPath(file, cwd);
    const found = await pickDomain(await importModule(file, where), where, target);
    requireRegisteredAggregates(found.domain, file, cwd);
    return { domain: found.domain, source: `${where}:${found.exportName}`, rule };
  } catch (error) {
    if (!(error instanceof DiscoveryError)) throw error;
    const origin = spec === undefined ? 'in the current folder' : `named by ${rule} "${spec}"`;
    throw new DiscoveryError(`cannot load the domain ${origin}: ${error.message}`, {
      cause: error.cause,
    });
  }
}

function chooseSpec(
  domain: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { spec?: string; rule: DiscoveryRule } {
  const fromEnv = env['PROTEAN_DOMAIN']?.trim();
  if (fromEnv) return { spec: fromEnv, rule: 'PROTEAN_DOMAIN' };
  if (domain?.trim()) return { spec: domain.trim(), rule: '--domain' };
  return { rule: 'current folder' };
}

type Exports = Record<string, unknown>;

const TYPESCRIPT = new Set(['.ts', '.mts', '.cts', '.tsx']);
/** Shared with bin/protean.js, which registers tsx itself when it runs from the repo's source. */
const TSX_REGISTERED = Symbol.for('protean-ts.tsx-registered');

/**
 * Registers tsx once per process, so `import()` of a `.ts` file works from dist/ as well. Both
 * hooks: a `.ts` file outside a `"type": "module"` package is CommonJS to Node, and with the ESM
 * hook alone Node 20 fails it with "Cannot require() ES Module ... in a cycle".
 */
async function registerTypeScript(): Promise<void> {
  const flags = globalThis as Record<symbol, unknown>;
  flags[TSX_REGISTERED] ??= Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]).then(
    ([esm, cjs]) => {
      esm.register();
      cjs.register();
    },
  );
  await flags[TSX_REGISTERED];
}

async function importModule(file: string, where: string): Promise<Exports> {
  if (TYPESCRIPT.has(extname(file))) await registerTypeScript();
  try {
    return withInteropExports((await import(pathToFileURL(file).href)) as Exports);
  } catch (error) {
    throw new DiscoveryError(`importing ${where} failed: ${describeError(error)}`, {
      cause: error,
    });
  }
}

/**
 * A module compiled to CommonJS (a `.ts` file in a package without `"type": "module"`) may show
 * its exports only as properties of `default`, marked `__esModule`; they count as exports.
 */
function withInteropExports(namespace: Exports): Exports {
  const fallback = namespace['default'] as Exports | null | undefined;
  if (!fallback || typeof fallback !== 'object' || fallback['__esModule'] !== true)
    return namespace;
  const { default: _module, ...exports } = namespace;
  for (const name of Object.keys(fallback)) if (!(name in exports)) exports[name] = fallback[name];
  return exports;
}

type Picked = { domain: Domain; exportName: string };

async function pickDomain(exports: Exports, where: string, spec?: DomainSpec): Promise<Picked> {
  if (spec?.exportName !== undefined) {
    return spec.call
      ? callFactory(exports, where, spec.exportName)
      : namedExport(exports, where, spec.exportName);
  }
  const conventional = ['domain', 'subdomain'].find((name) => name in exports);
  return conventional ? namedExport(exports, where, conventional) : singleDomain(exports, where);
}

function requireExport(exports: Exports, where: string, name: string): unknown {
  if (name in exports) return exports[name];
  throw new DiscoveryError(
    `${where} has no export named "${name}" (its exports: ${exportList(exports)})`,
  );
}

function namedExport(exports: Exports, where: string, name: string): Picked {
  const value = requireExport(exports, where, name);
  if (isDomain(value)) return { domain: value, exportName: name };
  const factoryHint =
    typeof value === 'function' ? `; to call it as a factory, use --domain ${where}:${name}()` : '';
  throw new DiscoveryError(
    `export "${name}" of ${where} is ${describeValue(value)}, not a Domain${factoryHint}`,
  );
}

async function callFactory(exports: Exports, where: string, name: string): Promise<Picked> {
  const factory = requireExport(exports, where, name);
  if (typeof factory !== 'function') {
    throw new DiscoveryError(
      `export "${name}" of ${where} is ${describeValue(factory)}, not a function, so ${name}() ` +
        `cannot be called; name it without parentheses (--domain ${where}:${name}) if it is the Domain`,
    );
  }
  let result: unknown;
  try {
    result = await (factory as () => unknown)();
  } catch (error) {
    throw new DiscoveryError(`${name}() of ${where} threw: ${describeError(error)}`, {
      cause: error,
    });
  }
  if (isDomain(result)) return { domain: result, exportName: `${name}()` };
  throw new DiscoveryError(
    `${name}() of ${where} returned ${describeValue(result)}, not a Domain; make it return one`,
  );
}

function singleDomain(exports: Exports, where: string): Picked {
  const byInstance = new Map<Domain, string[]>();
  for (const [name, value] of Object.entries(exports)) {
    if (isDomain(value)) byInstance.set(value, [...(byInstance.get(value) ?? []), name]);
  }
  const found = [...byInstance.entries()];
  const [first] = found;
  if (first && found.length === 1) {
    const names = first[1];
    return { domain: first[0], exportName: names.find((n) => n !== 'default') ?? 'default' };
  }
  if (found.length > 1) {
    const names = found.map(([, aliases]) => aliases.join(' = '));
    throw new DiscoveryError(
      `${where} exports several Domain instances (${names.join(', ')}); choose one with ` +
        `--domain ${where}:${found[0]?.[1][0] ?? 'name'}, or export the one to use as \`domain\``,
    );
  }
  throw new DiscoveryError(
    `${where} exports no Domain instance (its exports: ${exportList(exports)}); export one, ` +
      "e.g. `export const domain = new Domain({ name: '...' })`, or name a factory with " +
      `--domain ${where}:createDomain()`,
  );
}

function exportList(exports: Exports): string {
  const names = Object.keys(exports);
  return names.length > 0 ? names.join(', ') : 'none';
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'function') return 'a function';
  if (typeof value !== 'object') return `a ${typeof value}`;
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: string } } | null)
    ?.constructor?.name;
  return name && name !== 'Object' ? `an instance of ${name}` : 'an object';
}
