/**
 * What a plan is made from (the project, read once) and what it is made of (files to create,
 * modules to register), with the look-ups every kind of element shares.
 */
import { existsSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { CommandFailure, ExitCode } from '../exit.js';
import type { ElementName } from './names.js';
import { elementName } from './names.js';
import type { ProjectFiles } from './project.js';
import type { Declaration, FieldInfo } from './scan.js';
import type { Imported } from './templates/elements.js';
import type { Tier } from './templates/text.js';

/** Where the Domain is created, relative to the project root. */
export const DOMAIN_MODULE = 'src/domain.ts';

/** The project as a plan sees it. */
export interface PlanContext {
  readonly project: ProjectFiles;
  readonly declarations: readonly Declaration[];
  /** `int` when the project has the integration tier (tests/integration.ts). */
  readonly tier: Tier;
}

/** A module `src/index.ts` must import, and the names it must re-export from it. */
export interface Registration {
  /** Relative to the project root: `src/order/ship-order.ts`. */
  readonly module: string;
  readonly exports: readonly string[];
}

/** Everything one `protean add` would do. */
export interface Plan {
  /** `command ShipOrder (part of Order)`: what the messages call it. */
  readonly title: string;
  /** New files, by path relative to the project root. */
  readonly files: readonly { readonly path: string; readonly content: string }[];
  readonly registrations: readonly Registration[];
  /** Handler names the project's smoke test (tests/domain.*.spec.ts) must list. */
  readonly handlers: readonly string[];
  /** The elements it declares: none may exist already, except in a file it would write as is. */
  readonly declares: readonly string[];
}

/** Builds the plan context of a project. */
export function planContext(project: ProjectFiles, declarations: Declaration[]): PlanContext {
  if (!project.sources.has(DOMAIN_MODULE)) {
    throw new CommandFailure(
      `${project.root} has no ${DOMAIN_MODULE}; protean add declares new elements on the Domain ` +
        `created there, as in a project made by create-domain`,
      ExitCode.usage,
    );
  }
  const tier = existsSync(join(project.root, 'tests', 'integration.ts')) ? 'int' : 'unit';
  return { project, declarations, tier };
}

/** The specifier that imports `to` from `from` (both relative to the root): `'../domain.js'`. */
export function specifier(from: string, to: string): string {
  const path = posix.relative(posix.dirname(from), to).replace(/\.(m?)ts$/, '.$1js');
  return path.startsWith('.') ? path : `./${path}`;
}

/** The export of `declaration` as a module at `from` imports it. */
export function importOf(declaration: Declaration, from: string): Imported {
  return { name: exportName(declaration), from: specifier(from, declaration.file) };
}

/** The name `declaration` is exported under; it must be exported for others to use it. */
export function exportName(declaration: Declaration): string {
  if (declaration.exportName) return declaration.exportName;
  throw new CommandFailure(
    `${declaration.name} is declared in ${declaration.file} but not exported, so the new ` +
      `element cannot import it; export it (export const ${declaration.name} = ...) and run ` +
      'the command again',
    ExitCode.usage,
  );
}

/** The aggregate named `name`, which must exist. */
export function requireAggregate(context: PlanContext, name: ElementName): Declaration {
  const found = find(context, 'aggregate', name.pascal);
  if (found) return found;
  const known = names(context, 'aggregate');
  throw new CommandFailure(
    `this project has no aggregate ${name.pascal} (its aggregates: ${known || 'none'}); add it ` +
      `with \`protean add aggregate ${name.pascal}\`, or pass --aggregate with one of those`,
    ExitCode.usage,
  );
}

/** The folder of the aggregate's module: new elements of it go there. */
export function folderOf(aggregate: Declaration): string {
  return dirname(aggregate.file);
}

/** The declaration of kind `kind` named `name`, if any. */
export function find(context: PlanContext, kind: Declaration['kind'], name: string) {
  return context.declarations.find((d) => d.kind === kind && d.name === name);
}

/** The names of every declaration of `kind`, as a list for messages. */
export function names(context: PlanContext, kind: Declaration['kind']): string {
  return context.declarations
    .filter((d) => d.kind === kind)
    .map((d) => d.name)
    .join(', ');
}

/**
 * The event a new reaction of `aggregate` handles: its created event (`OrderCreated`) when it has
 * one, else the first it declares.
 */
export function eventToReactTo(context: PlanContext, aggregate: Declaration, what: string) {
  const events = context.declarations.filter(
    (d) => d.kind === 'event' && d.partOf === aggregate.name,
  );
  const event = events.find((e) => e.name === `${aggregate.name}Created`) ?? events[0];
  if (event) return event;
  throw new CommandFailure(
    `${what} reacts to an event of ${aggregate.name}, which declares none; add one first ` +
      `(protean add event ${aggregate.name}Created --aggregate ${aggregate.name})`,
    ExitCode.usage,
  );
}

/** The path of a test of the tier that runs the domain: `tests/ship-order-handler.unit.spec.ts`. */
export function domainTestPath(context: PlanContext, base: string): string {
  return `tests/${base}.${context.tier}.spec.ts`;
}

/** The aggregate's name in its three spellings. */
export function aggregateName(aggregate: Declaration): ElementName {
  return elementName(aggregate.name, `name of aggregate ${aggregate.name}`);
}

/** An `<aggregate>Id` identifier field, required. */
export function idField(a: ElementName): FieldInfo {
  const name = `${a.camel}Id`;
  const text = `${name}: field.identifier({ required: true })`;
  return { name, factory: 'identifier', text, needed: true, identifier: false, choices: [] };
}
