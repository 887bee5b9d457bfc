/**
 * One module per element added to an existing aggregate: `src/order/ship-order.ts` and the like.
 * Each imports what it uses by the paths the plan worked out (see ../plan.ts).
 */
import type { ElementName } from '../names.js';
import { lines, phrase, quote, withArticle } from './text.js';

/** A module another module imports from: its export and the specifier to import it by. */
export interface Imported {
  readonly name: string;
  readonly from: string;
}

/** What every element module needs: where the Domain is, and the aggregate it belongs to. */
export interface ElementContext {
  /** The specifier of `src/domain.ts` from the new module: `'../domain.js'`. */
  readonly domainFrom: string;
  readonly aggregate: ElementName;
}

function importsOf(...imported: Imported[]): string[] {
  return imported
    .sort((a, b) => a.from.localeCompare(b.from, 'en'))
    .map(({ name, from }) => `import { ${name} } from ${quote(from)};`);
}

/** A command of `aggregate`, carrying the id of the aggregate it asks to change. */
export function commandModule(context: ElementContext, command: ElementName): string {
  const a = context.aggregate;
  return lines(
    "import { field } from 'protean-ts';",
    `import { domain } from ${quote(context.domainFrom)};`,
    '',
    `/** Asks the ${phrase(a)} \`${a.camel}Id\` to ${phrase(command)}: add the fields it needs. */`,
    `export const ${command.pascal} = domain.command(`,
    `  '${command.pascal}',`,
    `  { ${a.camel}Id: field.identifier({ required: true }) },`,
    `  { partOf: '${a.pascal}' },`,
    ');',
  );
}

/** The thin handler of `command`: load the aggregate, (call its method), save it. */
export function commandHandlerModule(
  context: ElementContext,
  command: Imported,
  aggregate: Imported,
): string {
  const a = context.aggregate;
  return lines(
    `import { domain } from ${quote(context.domainFrom)};`,
    ...importsOf(aggregate, command),
    '',
    '/*',
    ` * Thin: load the ${phrase(a)}, call the one method of ${a.pascal} that carries out ${command.name}, save`,
    ' * it. The rule it must respect and the event it raises belong in that method, not here.',
    ' */',
    `domain.handle(${command.name}, async (command, { repository }) => {`,
    `  const ${a.camel} = await repository(${a.pascal}).get(command.${a.camel}Id);`,
    `  // Here: ${a.camel}.<method>(...), the ${a.pascal} method that carries out ${command.name}.`,
    `  await repository(${a.pascal}).add(${a.camel});`,
    '});',
  );
}

/** An event of `aggregate`, carrying the id of the aggregate it happened to. */
export function eventModule(context: ElementContext, event: ElementName): string {
  const a = context.aggregate;
  return lines(
    "import { field } from 'protean-ts';",
    `import { domain } from ${quote(context.domainFrom)};`,
    '',
    '/**',
    ` * A fact about ${withArticle(a)}: ${phrase(event)}. Raise it only from the ${a.pascal} method that`,
    ' * makes it happen, with the data that records the change.',
    ' */',
    `export const ${event.pascal} = domain.event(`,
    `  '${event.pascal}',`,
    `  { ${a.camel}Id: field.identifier({ required: true }) },`,
    `  { partOf: '${a.pascal}' },`,
    ');',
  );
}

/** An event handler reacting to one event of the aggregate. */
export function eventHandlerModule(
  context: ElementContext,
  handler: ElementName,
  event: Imported,
): string {
  return lines(
    `import { domain } from ${quote(context.domainFrom)};`,
    ...importsOf(event),
    '',
    '/**',
    ` * ${handler.pascal}: what follows from ${event.name} elsewhere in the domain. Keep each reaction`,
    ' * thin: process a command on another aggregate, or change it through its repository.',
    ' */',
    'domain',
    `  .eventHandler('${handler.pascal}', { idempotent: true })`,
    `  .on(${event.name}, async () => {`,
    `    // Here: what ${handler.pascal} does about ${event.name}, e.g. await process(new ...).`,
    '  });',
  );
}

/** A projection keyed by the aggregate's id, with `fields` (declarations copied as written). */
export function projectionModule(
  context: ElementContext,
  projection: ElementName,
  fields: readonly string[],
): string {
  const a = context.aggregate;
  return lines(
    "import { field } from 'protean-ts';",
    `import { domain } from ${quote(context.domainFrom)};`,
    '',
    `/** ${projection.pascal}: the ${phrase(a)}s as one screen reads them, one row each. */`,
    `export const ${projection.pascal} = domain.projection('${projection.pascal}', {`,
    `  ${a.camel}Id: field.identifier({ identifier: true }),`,
    ...fields.map((field) => `  ${field},`),
    '});',
  );
}

/** The projector of `projection`: one row per aggregate, from `event`. */
export function projectorModule(
  context: ElementContext,
  projection: Imported,
  event: Imported,
  values: string,
): string {
  return lines(
    `import { domain } from ${quote(context.domainFrom)};`,
    ...importsOf(event, projection),
    '',
    `/** Keeps ${projection.name} up to date from the ${phrase(context.aggregate)} events. */`,
    'domain',
    `  .projector('${projection.name}Projector', { projections: [${projection.name}], idempotent: true })`,
    `  .on(${event.name}, async (event, { repository }) => {`,
    `    await repository(${projection.name}).add(new ${projection.name}(${values}));`,
    '  });',
  );
}

/** A subscriber: the anti-corruption layer for one external stream. */
export function subscriberModule(
  domainFrom: string,
  subscriber: ElementName,
  stream: string,
): string {
  return lines(
    `import { domain } from ${quote(domainFrom)};`,
    '',
    '/**',
    ` * ${subscriber.pascal}: reads the external stream \`${stream}\` and gets each payload as it was`,
    " * published there. Translate it into a command of this domain (the outside world's words stop",
    ' * here); a throw fails the delivery, which is retried, then dead-lettered.',
    ' */',
    `domain.subscriber('${subscriber.pascal}', { stream: '${stream}' }, async () => {`,
    '  // Here: check the payload, then e.g. await process(new SomeCommand({ ... })).',
    '});',
  );
}
