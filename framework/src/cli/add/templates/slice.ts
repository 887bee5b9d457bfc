/**
 * `protean add aggregate Order`: the full slice, laid out like the example of a new project:
 * `src/order/{order,events,commands,handlers,order-summary}.ts` and their tests.
 */
import type { ElementName } from '../names.js';
import {
  domainSuite,
  indexImport,
  lines,
  phrase,
  quote,
  suiteImports,
  vitestImport,
  withArticle,
} from './text.js';
import type { Tier } from './text.js';

/** The names every file of a slice uses. */
export interface SliceNames {
  readonly aggregate: ElementName;
  /** `OrderCreated`. */
  readonly created: string;
  /** `CreateOrder`. */
  readonly create: string;
  /** `OrderSummary`. */
  readonly summary: string;
  /** `order-summary`. */
  readonly summaryFile: string;
}

/** The names of the slice of `aggregate`. */
export function sliceNames(aggregate: ElementName): SliceNames {
  return {
    aggregate,
    created: `${aggregate.pascal}Created`,
    create: `Create${aggregate.pascal}`,
    summary: `${aggregate.pascal}Summary`,
    summaryFile: `${aggregate.kebab}-summary`,
  };
}

const NAME_FIELD = 'name: field.string({ required: true, maxLength: 200 })';

/** `src/order/order.ts`: the aggregate, its factory and its invariant. */
export function aggregateModule({ aggregate: a, created }: SliceNames): string {
  return lines(
    "import { field, InvariantViolation } from 'protean-ts';",
    "import { domain } from '../domain.js';",
    `import { ${created} } from './events.js';`,
    '',
    '/**',
    ` * ${capitalized(withArticle(a))}. Its fields declare its data (the TypeScript types are inferred`,
    ' * from them); its methods are the only way its state changes, and each change raises the event',
    ' * that records it.',
    ' */',
    `export class ${a.pascal} extends domain.aggregate(`,
    `  '${a.pascal}',`,
    `  { ${NAME_FIELD} },`,
    '  {',
    '    // Checked after every method call and before every save: rules named for what they keep.',
    '    invariants: { nameIsTrimmed },',
    '  },',
    ') {',
    `  /** Creates ${withArticle(a)} named \`name\`: the one way ${withArticle(a)} comes into being. */`,
    `  static create(name: string): ${a.pascal} {`,
    `    const ${a.camel} = new ${a.pascal}({ name });`,
    `    ${a.camel}.raise(${created}, { ${a.camel}Id: ${a.camel}.id, name: ${a.camel}.name });`,
    `    return ${a.camel};`,
    '  }',
    '}',
    '',
    `/** ${capitalized(withArticle(a))}'s name has no spaces around it, so that names compare as read. */`,
    `function nameIsTrimmed(${a.camel}: { readonly name: string }): void {`,
    `  if (${a.camel}.name !== ${a.camel}.name.trim()) {`,
    `    throw new InvariantViolation(\`the name "\${${a.camel}.name}" has spaces around it\`);`,
    '  }',
    '}',
  );
}

/** `src/order/events.ts`: the created event. */
export function eventsModule({ aggregate: a, created }: SliceNames): string {
  return lines(
    "import { field } from 'protean-ts';",
    "import { domain } from '../domain.js';",
    '',
    `/** ${capitalized(withArticle(a))} was created: the first fact in every ${phrase(a)}'s stream. */`,
    `export const ${created} = domain.event(`,
    `  '${created}',`,
    '  {',
    `    ${a.camel}Id: field.identifier({ required: true }),`,
    `    ${NAME_FIELD},`,
    '  },',
    `  { partOf: '${a.pascal}' },`,
    ');',
  );
}

/** `src/order/commands.ts`: the create command. */
export function commandsModule({ aggregate: a, create }: SliceNames): string {
  return lines(
    "import { field } from 'protean-ts';",
    "import { domain } from '../domain.js';",
    '',
    `/** Asks to create ${withArticle(a)} with this name. */`,
    `export const ${create} = domain.command(`,
    `  '${create}',`,
    `  { ${NAME_FIELD} },`,
    `  { partOf: '${a.pascal}' },`,
    ');',
  );
}

/** `src/order/handlers.ts`: the create command's handler. */
export function handlersModule({ aggregate: a, create }: SliceNames): string {
  return lines(
    "import { domain } from '../domain.js';",
    `import { ${create} } from './commands.js';`,
    `import { ${a.pascal} } from './${a.kebab}.js';`,
    '',
    '/*',
    ' * Command handlers are thin: load (or create) the aggregate, call one of its methods, save it.',
    ' * The rules live in the aggregate; saving commits its events with it, in one unit of work.',
    ' */',
    `domain.handle(${create}, async (command, { repository }) => {`,
    `  const ${a.camel} = ${a.pascal}.create(command.name);`,
    `  await repository(${a.pascal}).add(${a.camel});`,
    `  return ${a.camel}.id;`,
    '});',
  );
}

/** `src/order/order-summary.ts`: the projection and its projector. */
export function summaryModule({ aggregate: a, created, summary }: SliceNames): string {
  return lines(
    "import { field } from 'protean-ts';",
    "import { domain } from '../domain.js';",
    `import { ${created} } from './events.js';`,
    '',
    `/** The ${phrase(a)}s as people read them: one row each, kept up to date from their events. */`,
    `export const ${summary} = domain.projection('${summary}', {`,
    `  ${a.camel}Id: field.identifier({ identifier: true }),`,
    '  name: field.string({ required: true }),',
    '});',
    '',
    'domain',
    `  .projector('${summary}Projector', { projections: [${summary}], idempotent: true })`,
    `  .on(${created}, async (event, { repository }) => {`,
    `    const row = new ${summary}({ ${a.camel}Id: event.${a.camel}Id, name: event.name });`,
    `    await repository(${summary}).add(row);`,
    '  });',
  );
}

/** `tests/order.unit.spec.ts`: the aggregate, given / when / then. */
export function aggregateTest({ aggregate: a, created }: SliceNames): string {
  const sample = quote(`First ${phrase(a)}`);
  const padded = quote(` First ${phrase(a)} `);
  return lines(
    "import { describe, it } from 'vitest';",
    "import { InvariantViolation, ValidationError } from 'protean-ts';",
    "import { given } from 'protean-ts/testing';",
    indexImport([a.pascal, created]),
    '',
    `describe(${quote(withArticle(a))}, () => {`,
    `  it('is created with its name, and records it with ${created}', () => {`,
    `    given(${a.pascal})`,
    `      .when(() => ${a.pascal}.create(${sample}))`,
    `      .thenEvents(${created})`,
    `      .thenRaised(${created}, { name: ${sample} })`,
    `      .thenState({ name: ${sample} });`,
    '  });',
    '',
    "  it('keeps its name free of spaces around it (nameIsTrimmed)', () => {",
    `    given(${a.pascal})`,
    `      .when(() => ${a.pascal}.create(${padded}))`,
    '      .thenFails(InvariantViolation, /nameIsTrimmed/);',
    '  });',
    '',
    "  it('needs a name, and says which field is missing', () => {",
    `    given(${a.pascal})`,
    `      .when(() => ${a.pascal}.create(''))`,
    '      .thenFails(ValidationError, /name/);',
    '  });',
    '});',
  );
}

/** `tests/order-flow.unit.spec.ts` (`.int` on real services): the create command end to end. */
export function flowTest(names: SliceNames, tier: Tier): string {
  const { aggregate: a, created, create, summary } = names;
  const sample = quote(`First ${phrase(a)}`);
  return lines(
    vitestImport(tier, ['expect', 'it']),
    ...suiteImports(tier, ['given']),
    indexImport([create, 'domain', created, summary]),
    ...domainSuite(tier, `creating ${withArticle(a)}`),
    '',
    `  it('${create} raises ${created}, and ${summary} lists the new ${phrase(a)}', async () => {`,
    `    const outcome = await given(domain).when<string>(new ${create}({ name: ${sample} }));`,
    '',
    `    outcome.thenSucceeds().thenRaised(${created}, { name: ${sample} });`,
    `    const rows = await domain.view(${summary}).find();`,
    '    expect(rows.map((row) => row.toJSON())).toContainEqual({',
    `      ${a.camel}Id: outcome.result,`,
    `      name: ${sample},`,
    '    });',
    '  });',
    '});',
  );
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
