/**
 * Plans of the elements that react to events: event handlers, projections with their projectors,
 * projectors of existing projections, and subscribers (which react to external payloads).
 */
import { CommandFailure, ExitCode } from '../exit.js';
import type { Plan, PlanContext } from './context.js';
import {
  aggregateName,
  DOMAIN_MODULE,
  domainTestPath,
  eventToReactTo,
  exportName,
  find,
  folderOf,
  importOf,
  specifier,
} from './context.js';
import type { ElementName } from './names.js';
import { withoutSuffix } from './names.js';
import { sampleObject } from './samples.js';
import type { Declaration, FieldInfo } from './scan.js';
import {
  eventHandlerModule,
  projectionModule,
  projectorModule,
  subscriberModule,
} from './templates/elements.js';
import { reactionTest, subscriberTest } from './templates/tests.js';
import { quote } from './templates/text.js';

/** Field factories whose declaration can be copied into a projection as written. */
const COPYABLE = new Set(['string', 'text', 'integer', 'number', 'boolean', 'date', 'datetime']);

/** An event handler of the aggregate's created (or first) event. */
export function planEventHandler(context: PlanContext, name: ElementName, aggregate: Declaration) {
  const event = eventToReactTo(context, aggregate, name.pascal);
  const path = `${folderOf(aggregate)}/${name.kebab}.ts`;
  const a = aggregateName(aggregate);
  const content = eventHandlerModule(
    { domainFrom: specifier(path, DOMAIN_MODULE), aggregate: a },
    name,
    importOf(event, path),
  );
  const id = `${a.kebab}-1`;
  const test = reactionTest(
    context.tier,
    {
      handler: name.pascal,
      event: exportName(event),
      eventSample: sampleObject(event, { [`${a.camel}Id`]: quote(id) }),
      id,
    },
    {
      imports: [],
      lines: [`// Then: what ${name.pascal} changed, read back from its repository.`],
    },
  );
  return {
    title: `event handler ${name.pascal} (of ${event.name})`,
    files: [
      { path, content },
      { path: domainTestPath(context, name.kebab), content: test },
    ],
    registrations: [
      { module: path, exports: [] },
      { module: event.file, exports: [exportName(event)] },
    ],
    handlers: [name.pascal],
    declares: [name.pascal],
  } satisfies Plan;
}

/** A projection keyed by the aggregate's id, with the fields of the event that fills it. */
export function planProjection(context: PlanContext, name: ElementName, aggregate: Declaration) {
  const event = eventToReactTo(context, aggregate, `${name.pascal}Projector`);
  const a = aggregateName(aggregate);
  const id = `${a.camel}Id`;
  requireField(event, id, `${name.pascal}Projector keys ${name.pascal}'s rows by it`);
  const copied = event.fields.filter((f) => f.name !== id && COPYABLE.has(f.factory));
  const path = `${folderOf(aggregate)}/${name.kebab}.ts`;
  const context_ = { domainFrom: specifier(path, DOMAIN_MODULE), aggregate: a };
  const projection: Declaration = {
    kind: 'projection',
    name: name.pascal,
    file: path,
    exportName: name.pascal,
    fields: [{ ...copyOf(id), identifier: true }, ...copied],
  };
  const projector = planProjector(context, name, aggregate, projection);
  return {
    ...projector,
    title: `projection ${name.pascal} (of ${aggregate.name}) with its projector`,
    files: [
      {
        path,
        content: projectionModule(
          context_,
          name,
          copied.map((f) => f.text),
        ),
      },
      ...projector.files,
    ],
    registrations: [{ module: path, exports: [name.pascal] }, ...projector.registrations],
    declares: [name.pascal, ...projector.declares],
  } satisfies Plan;
}

/** The projector of an existing projection, from the aggregate's created (or first) event. */
export function planProjector(
  context: PlanContext,
  input: ElementName,
  aggregate: Declaration,
  declared?: Declaration,
): Plan {
  const name = withoutSuffix(input, 'Projector');
  const projection = declared ?? requireProjection(context, name, aggregate);
  const projector = `${projection.name}Projector`;
  const event = eventToReactTo(context, aggregate, projector);
  const a = aggregateName(aggregate);
  const path = `${folderOf(aggregate)}/${name.kebab}-projector.ts`;
  const key = projectionKey(projection);
  const content = projectorModule(
    { domainFrom: specifier(path, DOMAIN_MODULE), aggregate: a },
    importOf(projection, path),
    importOf(event, path),
    rowValues(projection, event, `${a.camel}Id`),
  );
  const id = `${a.kebab}-1`;
  const test = reactionTest(
    context.tier,
    {
      handler: projector,
      event: exportName(event),
      eventSample: sampleObject(event, { [`${a.camel}Id`]: quote(id) }),
      id,
    },
    {
      imports: [exportName(projection)],
      lines: [
        `const row = await domain.view(${exportName(projection)}).get(${quote(id)});`,
        `expect(row.toJSON()).toMatchObject({ ${key}: ${quote(id)} });`,
      ],
    },
  );
  return {
    title: `projector ${projector} (of ${projection.name}, from ${event.name})`,
    files: [
      { path, content },
      { path: domainTestPath(context, `${name.kebab}-projector`), content: test },
    ],
    registrations: [
      { module: path, exports: [] },
      { module: projection.file, exports: [exportName(projection)] },
      { module: event.file, exports: [exportName(event)] },
    ],
    handlers: [projector],
    declares: [projector],
  };
}

/** A subscriber of the external stream named after it (`PaymentsSubscriber` reads `payments`). */
export function planSubscriber(
  context: PlanContext,
  name: ElementName,
  aggregate: Declaration | undefined,
): Plan {
  const folder = aggregate ? folderOf(aggregate) : 'src/subscribers';
  const path = `${folder}/${name.kebab}.ts`;
  const stream = withoutSuffix(name, 'Subscriber').kebab;
  return {
    title: `subscriber ${name.pascal} (of the external stream ${stream})`,
    files: [
      { path, content: subscriberModule(specifier(path, DOMAIN_MODULE), name, stream) },
      {
        path: domainTestPath(context, name.kebab),
        content: subscriberTest(context.tier, name.pascal, stream),
      },
    ],
    registrations: [{ module: path, exports: [] }],
    handlers: [],
    declares: [name.pascal],
  };
}

function requireProjection(context: PlanContext, name: ElementName, aggregate: Declaration) {
  const projection = find(context, 'projection', name.pascal);
  if (projection) return projection;
  throw new CommandFailure(
    `this project has no projection ${name.pascal}; add it with its projector: ` +
      `protean add projection ${name.pascal} --aggregate ${aggregate.name}`,
    ExitCode.usage,
  );
}

/** `{ orderId: event.orderId, name: event.name }`: the row's key and what the event also has. */
function rowValues(projection: Declaration, event: Declaration, id: string): string {
  requireField(event, id, `${projection.name}Projector keys ${projection.name}'s rows by it`);
  const key = projectionKey(projection);
  const values = [`${key}: event.${id}`];
  for (const field of projection.fields) {
    if (field.name === key) continue;
    if (event.fields.some((f) => f.name === field.name)) {
      values.push(`${field.name}: event.${field.name}`);
    } else if (field.needed) {
      throw new CommandFailure(
        `${projection.name}.${field.name} is required, and ${event.name} has no field of that ` +
          `name to fill it from; write ${projection.name}Projector by hand`,
        ExitCode.usage,
      );
    }
  }
  return `{ ${values.join(', ')} }`;
}

function projectionKey(projection: Declaration): string {
  const key = projection.fields.find((field) => field.identifier);
  if (key) return key.name;
  throw new CommandFailure(
    `projection ${projection.name} has no field marked identifier: true, which a projector ` +
      'needs to key its rows',
    ExitCode.usage,
  );
}

function requireField(event: Declaration, name: string, why: string): void {
  if (event.fields.some((field) => field.name === name)) return;
  throw new CommandFailure(
    `${event.name} has no ${name} field, and ${why}; add ${name} to ${event.name}, or write the ` +
      'projection by hand',
    ExitCode.usage,
  );
}

function copyOf(name: string): FieldInfo {
  const text = `${name}: field.identifier({ identifier: true })`;
  return { name, factory: 'identifier', text, needed: false, identifier: true, choices: [] };
}
