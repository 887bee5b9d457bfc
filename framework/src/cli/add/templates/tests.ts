/**
 * The test that comes with each element added to an aggregate. Tests that run the domain use the
 * project's tier: unit in memory, or integration on its own services (see ./text.ts).
 */
import { domainSuite, indexImport, lines, quote, suiteImports, vitestImport } from './text.js';
import type { Tier } from './text.js';

/** The names a handler test uses. */
export interface HandlerTestNames {
  readonly aggregate: string;
  /** `orderId`. */
  readonly idField: string;
  readonly command: string;
  /** `new Order(...)`'s argument: a value for each required field. */
  readonly aggregateSample: string;
  /** `new ShipOrder(...)`'s argument, with `<variable>` for the aggregate's id. */
  readonly commandSample: (id: string) => string;
  readonly variable: string;
}

/** A command handler, given / when / then: carried out on a stored aggregate, refused without. */
export function commandHandlerTest(tier: Tier, names: HandlerTestNames): string {
  const { aggregate, command, variable: v } = names;
  return lines(
    vitestImport(tier, ['it']),
    "import { NotFoundError } from 'protean-ts';",
    ...suiteImports(tier, ['given']),
    indexImport([aggregate, command, 'domain']),
    ...domainSuite(tier, `${command}, handled`),
    '',
    `  it('is carried out on a stored ${words(aggregate)}', async () => {`,
    `    const ${v} = new ${aggregate}(${names.aggregateSample});`,
    '',
    `    const outcome = await given(domain).state(${v}).when(new ${command}(${names.commandSample(`${v}.id`)}));`,
    '',
    '    outcome.thenSucceeds();',
    '  });',
    '',
    `  it('fails for a ${words(aggregate)} that does not exist', async () => {`,
    `    const outcome = await given(domain).when(new ${command}(${names.commandSample(quote('missing'))}));`,
    '',
    '    outcome.thenFails(NotFoundError);',
    '  });',
    '});',
  );
}

/** An event: its data, and the aggregate stream it is recorded in. */
export function eventTest(event: string, aggregateSnake: string, sample: string): string {
  return lines(
    "import { describe, expect, it } from 'vitest';",
    indexImport([event, 'domain']),
    '',
    `describe(${quote(event)}, () => {`,
    `  it('is recorded in the stream of the ${aggregateSnake.replace(/_/g, ' ')} it happened to', () => {`,
    `    const event = new ${event}(${sample});`,
    '',
    `    expect(domain.envelope(event, 'id-1').stream).toBe(\`\${domain.name}::${aggregateSnake}-id-1\`);`,
    '  });',
    '});',
  );
}

/** An event handler or projector: registered for its event, and run on one. */
export function reactionTest(
  tier: Tier,
  names: { handler: string; event: string; eventSample: string; id: string },
  then: { imports: string[]; lines: string[] },
): string {
  const { handler, event } = names;
  return lines(
    vitestImport(tier, ['expect', 'it']),
    ...suiteImports(tier, []),
    indexImport([event, 'domain', ...then.imports]),
    ...domainSuite(tier, handler),
    '',
    `  it('reacts to ${event}', () => {`,
    `    const handler = domain.handlers().find(({ name }) => name === '${handler}');`,
    '',
    '    expect([...(handler?.categories.values() ?? [])].flat()).toContain(',
    `      ${event}.meta.type,`,
    '    );',
    '  });',
    '',
    `  it('handles ${event}', async () => {`,
    `    const event = new ${event}(${names.eventSample});`,
    '',
    `    await domain.handleMessage(domain.envelope(event, ${quote(names.id)}), { handler: '${handler}' });`,
    '',
    ...then.lines.map((line) => (line ? `    ${line}` : '')),
    '  });',
    '});',
  );
}

/** A subscriber: reads its stream, and takes a payload from it. */
export function subscriberTest(tier: Tier, subscriber: string, stream: string): string {
  return lines(
    vitestImport(tier, ['expect', 'it']),
    ...suiteImports(tier, []),
    indexImport(['domain']),
    ...domainSuite(tier, subscriber),
    '',
    `  it('reads the external stream ${stream}, and takes a payload from it', async () => {`,
    `    const subscriber = domain.subscribers().find(({ name }) => name === '${subscriber}');`,
    '',
    `    expect(subscriber?.stream).toBe('${stream}');`,
    "    await subscriber?.handle({ reference: 'external-1' });",
    '  });',
    '});',
  );
}

/** `OrderItem` -> `order item`. */
function words(pascal: string): string {
  return pascal.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}
