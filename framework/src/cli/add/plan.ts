/**
 * The plan of one `protean add`: the files it writes and the modules it registers, made from the
 * project as read (nothing is written here). Reactions (event handlers, projections, projectors,
 * subscribers) are planned in ./plan-reactions.ts.
 */
import { snakeCase } from '../../domain/names.js';
import { CommandFailure, ExitCode } from '../exit.js';
import type { Kind } from './kinds.js';
import type { ElementName } from './names.js';
import { withoutSuffix } from './names.js';
import type { Plan, PlanContext } from './context.js';
import {
  aggregateName,
  DOMAIN_MODULE,
  domainTestPath,
  exportName,
  find,
  folderOf,
  idField,
  importOf,
  requireAggregate,
  specifier,
} from './context.js';
import {
  planEventHandler,
  planProjection,
  planProjector,
  planSubscriber,
} from './plan-reactions.js';
import { sampleObject } from './samples.js';
import type { Declaration } from './scan.js';
import { commandHandlerModule, commandModule, eventModule } from './templates/elements.js';
import * as slice from './templates/slice.js';
import { commandHandlerTest, eventTest } from './templates/tests.js';
import { quote } from './templates/text.js';

export type { Plan } from './context.js';

/** What to add: `protean add <kind> <name> [--aggregate <aggregate>]`, names already read. */
export interface AddRequest {
  readonly kind: Kind;
  readonly name: ElementName;
  readonly aggregate?: ElementName | undefined;
}

/** Plans `request` on the project of `context`. */
export function planAdd(context: PlanContext, request: AddRequest): Plan {
  const { kind, name } = request;
  if (kind === 'aggregate') return planAggregate(context, name);
  if (kind === 'subscriber') {
    const aggregate = request.aggregate && requireAggregate(context, request.aggregate);
    return planSubscriber(context, name, aggregate || undefined);
  }
  if (!request.aggregate) {
    throw new CommandFailure(
      `protean add ${kind} needs --aggregate <Aggregate>: the aggregate the ${kind} belongs to`,
      ExitCode.usage,
    );
  }
  const aggregate = requireAggregate(context, request.aggregate);
  const planners = {
    command: planCommand,
    'command-handler': planCommandHandler,
    event: planEvent,
    'event-handler': planEventHandler,
    projection: planProjection,
    projector: planProjector,
  };
  return planners[kind](context, name, aggregate);
}

function planAggregate(context: PlanContext, name: ElementName): Plan {
  const names = slice.sliceNames(name);
  const folder = `src/${name.kebab}`;
  const at = (file: string) => `${folder}/${file}.ts`;
  return {
    title: `aggregate ${name.pascal}`,
    files: [
      { path: at(name.kebab), content: slice.aggregateModule(names) },
      { path: at('events'), content: slice.eventsModule(names) },
      { path: at('commands'), content: slice.commandsModule(names) },
      { path: at('handlers'), content: slice.handlersModule(names) },
      { path: at(names.summaryFile), content: slice.summaryModule(names) },
      { path: `tests/${name.kebab}.unit.spec.ts`, content: slice.aggregateTest(names) },
      {
        path: domainTestPath(context, `${name.kebab}-flow`),
        content: slice.flowTest(names, context.tier),
      },
    ],
    registrations: [
      { module: at(name.kebab), exports: [name.pascal] },
      { module: at('events'), exports: [names.created] },
      { module: at('commands'), exports: [names.create] },
      { module: at('handlers'), exports: [] },
      { module: at(names.summaryFile), exports: [names.summary] },
    ],
    handlers: [`${names.create}Handler`, `${names.summary}Projector`],
    declares: [name.pascal, names.created, names.create, names.summary],
  };
}

function planCommand(context: PlanContext, name: ElementName, aggregate: Declaration): Plan {
  const a = aggregateName(aggregate);
  const path = `${folderOf(aggregate)}/${name.kebab}.ts`;
  const domainFrom = specifier(path, DOMAIN_MODULE);
  const command: Declaration = {
    kind: 'command',
    name: name.pascal,
    file: path,
    exportName: name.pascal,
    partOf: aggregate.name,
    fields: [idField(a)],
  };
  const handler = planCommandHandler(context, name, aggregate, command);
  return {
    ...handler,
    title: `command ${name.pascal} (part of ${aggregate.name}) with its handler`,
    files: [{ path, content: commandModule({ domainFrom, aggregate: a }, name) }, ...handler.files],
    registrations: [{ module: path, exports: [name.pascal] }, ...handler.registrations],
    declares: [name.pascal, ...handler.declares],
  };
}

function planCommandHandler(
  context: PlanContext,
  input: ElementName,
  aggregate: Declaration,
  declared?: Declaration,
): Plan {
  const name = withoutSuffix(input, 'Handler');
  const command = declared ?? requireCommand(context, name, aggregate);
  const a = aggregateName(aggregate);
  const path = `${folderOf(aggregate)}/${name.kebab}-handler.ts`;
  const content = commandHandlerModule(
    { domainFrom: specifier(path, DOMAIN_MODULE), aggregate: a },
    importOf(command, path),
    importOf(aggregate, path),
  );
  const commandName = exportName(command);
  const test = commandHandlerTest(context.tier, {
    aggregate: exportName(aggregate),
    idField: `${a.camel}Id`,
    command: commandName,
    aggregateSample: sampleObject(aggregate),
    commandSample: (id) => sampleObject(command, { [`${a.camel}Id`]: id }),
    variable: a.camel,
  });
  return {
    title: `command handler ${command.name}Handler (part of ${aggregate.name})`,
    files: [
      { path, content },
      { path: domainTestPath(context, `${name.kebab}-handler`), content: test },
    ],
    registrations: [
      { module: path, exports: [] },
      { module: command.file, exports: [commandName] },
      { module: aggregate.file, exports: [exportName(aggregate)] },
    ],
    handlers: [`${command.name}Handler`],
    declares: [`${command.name}Handler`],
  };
}

function requireCommand(context: PlanContext, name: ElementName, aggregate: Declaration) {
  const command = find(context, 'command', name.pascal);
  const a = aggregateName(aggregate);
  if (!command) {
    throw new CommandFailure(
      `this project has no command ${name.pascal}; add it with its handler: ` +
        `protean add command ${name.pascal} --aggregate ${aggregate.name}`,
      ExitCode.usage,
    );
  }
  if (command.partOf !== aggregate.name) {
    throw new CommandFailure(
      `command ${name.pascal} is part of ${command.partOf ?? 'no aggregate'}, not ` +
        `${aggregate.name}; pass --aggregate ${command.partOf ?? '<its aggregate>'}`,
      ExitCode.usage,
    );
  }
  if (!command.fields.some((field) => field.name === `${a.camel}Id`)) {
    throw new CommandFailure(
      `command ${name.pascal} has no ${a.camel}Id field, by which its handler would load the ` +
        `${aggregate.name}; add one (${a.camel}Id: field.identifier({ required: true }))`,
      ExitCode.usage,
    );
  }
  return command;
}

function planEvent(context: PlanContext, name: ElementName, aggregate: Declaration): Plan {
  const a = aggregateName(aggregate);
  const path = `${folderOf(aggregate)}/${name.kebab}.ts`;
  const content = eventModule({ domainFrom: specifier(path, DOMAIN_MODULE), aggregate: a }, name);
  const sample = `{ ${a.camel}Id: ${quote(`${a.kebab}-1`)} }`;
  return {
    title: `event ${name.pascal} (part of ${aggregate.name})`,
    files: [
      { path, content },
      {
        path: `tests/${name.kebab}.unit.spec.ts`,
        content: eventTest(name.pascal, snakeCase(aggregate.name), sample),
      },
    ],
    registrations: [{ module: path, exports: [name.pascal] }],
    handlers: [],
    declares: [name.pascal],
  };
}
