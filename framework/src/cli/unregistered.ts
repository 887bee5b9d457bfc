/**
 * A domain loaded with no aggregates while modules beside it declare some: their modules were
 * never imported, so the domain is missing them. `protean db setup` would then create no table
 * and `protean server` would run no handler, both reporting success; this makes it an error.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Domain } from '../domain/domain.js';
import { DiscoveryError } from './exit.js';
import { displayPath } from './locate.js';

/** Folders never searched: dependencies, builds, tooling. */
const SKIPPED = new Set(['node_modules', 'dist', 'build', 'coverage', 'vendor']);
/** Enough for any one domain's folder; a bigger tree is not searched further. */
const MAX_FILES = 2000;
const DECLARATION = /\.aggregate\(\s*['"`]([A-Za-z_$][\w$]*)['"`]/g;

/**
 * Throws when `domain` has no aggregates but a module in the folder of `file` (its own module)
 * or below declares one, naming the modules and what to do.
 */
export function requireRegisteredAggregates(domain: Domain, file: string, cwd: string): void {
  if (aggregateCount(domain) !== 0) return;
  const declared = declaredAggregates(dirname(file));
  if (declared.length === 0) return;
  const where = displayPath(file, cwd);
  const list = declared
    .slice(0, 5)
    .map(({ name, path }) => `${name} (${displayPath(path, cwd)})`)
    .join(', ');
  throw new DiscoveryError(
    `domain "${domain.name}" from ${where} has no aggregates, but modules in its folder declare ` +
      `some: ${list}${declared.length > 5 ? ', ...' : ''}. Nothing ${where} imports loads ` +
      'those modules, so they never registered. Import every element module from the module ' +
      'protean loads (in a project made by create-domain, src/index.ts imports them and ' +
      'domain.ts re-exports it), or point --domain at the module that does',
  );
}

/**
 * How many aggregates `domain` has registered, or undefined when it cannot tell. The registry is
 * not public API; a domain from another copy of protean-ts has the same shape, or is let pass.
 */
function aggregateCount(domain: Domain): number | undefined {
  const registry = (domain as unknown as { registry?: { elements?: unknown } }).registry;
  const elements = registry?.elements;
  if (!(elements instanceof Map)) return undefined;
  return [...elements.values()].filter(
    (element) => (element as { meta?: { kind?: unknown } }).meta?.kind === 'aggregate',
  ).length;
}

function declaredAggregates(folder: string): { name: string; path: string }[] {
  const found: { name: string; path: string }[] = [];
  for (const path of modulesUnder(folder, { left: MAX_FILES })) {
    // Comments may show a declaration as an example (src/domain.ts of a new project does).
    const text = readFileSync(path, 'utf8')
      .replace(/\/\*[\s\S]*?\*\//g, '')
      .replace(/(^|[^:])\/\/.*$/gm, '$1');
    for (const match of text.matchAll(DECLARATION)) found.push({ name: match[1] ?? '', path });
  }
  return found;
}

function modulesUnder(folder: string, budget: { left: number }): string[] {
  const paths: string[] = [];
  for (const name of readdirSync(folder).sort()) {
    if (budget.left <= 0) break;
    if (name.startsWith('.') || SKIPPED.has(name)) continue;
    const path = join(folder, name);
    const stats = statSync(path, { throwIfNoEntry: false });
    if (stats?.isDirectory()) paths.push(...modulesUnder(path, budget));
    else if (stats?.isFile() && /\.[mc]?[jt]s$/.test(name) && !/\.(spec|test|d)\./.test(name)) {
      budget.left--;
      paths.push(path);
    }
  }
  return paths;
}
