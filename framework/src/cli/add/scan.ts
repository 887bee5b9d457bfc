/**
 * What the project declares, read off the syntax tree of its modules (nothing is imported or run):
 * every `domain.aggregate('Order', ...)`, `domain.command(...)`, `domain.handle(Command, ...)`,
 * projection, projector, event handler and subscriber, with its module, its exported name, the
 * aggregate it is part of and its fields.
 */
import type * as TypeScript from 'typescript';
import type { ProjectFiles } from './project.js';
import type { TS } from './typescript.js';

/** The kinds of declaration the scan recognises. */
export type DeclarationKind =
  | 'aggregate'
  | 'command'
  | 'event'
  | 'projection'
  | 'projector'
  | 'event-handler'
  | 'subscriber'
  | 'command-handler';

/** One field of an element, as declared: `title: field.string({ required: true })`. */
export interface FieldInfo {
  readonly name: string;
  /** The field factory: `string`, `identifier`, `choice` ... */
  readonly factory: string;
  /** The whole property as written, to copy into another element. */
  readonly text: string;
  /** `required: true` without a `default`: a value must be given. */
  readonly needed: boolean;
  /** `identifier: true`. */
  readonly identifier: boolean;
  /** The values of a `field.choice([...])`. */
  readonly choices: readonly string[];
}

/** One declaration found in the project. */
export interface Declaration {
  readonly kind: DeclarationKind;
  /** The element's name; a command handler's is `<Command>Handler`, as the domain names it. */
  readonly name: string;
  /** The module, relative to the project root. */
  readonly file: string;
  /** The name the module exports it under, if it does. */
  readonly exportName?: string | undefined;
  /** The aggregate a command or event is part of. */
  readonly partOf?: string | undefined;
  /** A command handler's command (the identifier passed to `domain.handle`). */
  readonly handles?: string | undefined;
  /** A projector's projections. */
  readonly projections?: readonly string[];
  readonly fields: readonly FieldInfo[];
}

const KINDS: Readonly<Record<string, DeclarationKind>> = {
  aggregate: 'aggregate',
  command: 'command',
  event: 'event',
  projection: 'projection',
  projector: 'projector',
  eventHandler: 'event-handler',
  subscriber: 'subscriber',
};

/** Every declaration in the project's `src/` modules, in file order. */
export function scanProject(ts: TS, project: ProjectFiles): Declaration[] {
  const found: Declaration[] = [];
  for (const [file, text] of project.sources) {
    if (!file.startsWith('src/')) continue;
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
    const visit = (node: TypeScript.Node): void => {
      if (ts.isCallExpression(node)) {
        const declaration = declarationOf(ts, node, file);
        if (declaration) found.push(declaration);
      }
      ts.forEachChild(node, visit);
    };
    visit(source);
  }
  return found;
}

function declarationOf(
  ts: TS,
  call: TypeScript.CallExpression,
  file: string,
): Declaration | undefined {
  if (!ts.isPropertyAccessExpression(call.expression)) return undefined;
  const method = call.expression.name.text;
  const [first, second, third] = call.arguments;
  if (method === 'handle' && first && ts.isIdentifier(first)) {
    const name = `${first.text}Handler`;
    return { kind: 'command-handler', name, file, handles: first.text, fields: [] };
  }
  const kind = KINDS[method];
  if (!kind || !first || !ts.isStringLiteralLike(first)) return undefined;
  const options = kind === 'command' || kind === 'event' ? third : second;
  return {
    kind,
    name: first.text,
    file,
    exportName: exportedName(ts, call),
    partOf: property(ts, options, 'partOf'),
    projections: kind === 'projector' ? listProperty(ts, second, 'projections') : [],
    fields: kind === 'projector' || kind === 'event-handler' ? [] : fieldsOf(ts, second),
  };
}

/** `export const X = domain.command(...)` or `export class X extends domain.aggregate(...)`. */
function exportedName(ts: TS, call: TypeScript.CallExpression): string | undefined {
  const parent = call.parent;
  if (ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) {
    const statement = parent.parent.parent;
    return isExported(ts, statement) ? parent.name.text : undefined;
  }
  if (ts.isExpressionWithTypeArguments(parent) && ts.isHeritageClause(parent.parent)) {
    const cls = parent.parent.parent;
    return ts.isClassDeclaration(cls) && cls.name && isExported(ts, cls)
      ? cls.name.text
      : undefined;
  }
  return undefined;
}

function isExported(ts: TS, node: TypeScript.Node): boolean {
  return (
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  );
}

function propertyNamed(
  ts: TS,
  object: TypeScript.Node | undefined,
  name: string,
): TypeScript.Expression | undefined {
  if (!object || !ts.isObjectLiteralExpression(object)) return undefined;
  for (const member of object.properties) {
    if (ts.isPropertyAssignment(member) && propertyKey(ts, member.name) === name) {
      return member.initializer;
    }
    if (ts.isShorthandPropertyAssignment(member) && member.name.text === name) return member.name;
  }
  return undefined;
}

function propertyKey(ts: TS, name: TypeScript.PropertyName): string | undefined {
  return ts.isIdentifier(name) || ts.isStringLiteralLike(name) ? name.text : undefined;
}

/** A string or an identifier (`partOf: 'Order'` or `partOf: Order`). */
function property(ts: TS, object: TypeScript.Node | undefined, name: string): string | undefined {
  const value = propertyNamed(ts, object, name);
  if (value && (ts.isStringLiteralLike(value) || ts.isIdentifier(value))) return value.text;
  return undefined;
}

function listProperty(ts: TS, object: TypeScript.Node | undefined, name: string): string[] {
  const value = propertyNamed(ts, object, name);
  if (!value || !ts.isArrayLiteralExpression(value)) return [];
  return value.elements.filter(ts.isIdentifier).map((element) => element.text);
}

function fieldsOf(ts: TS, object: TypeScript.Node | undefined): FieldInfo[] {
  if (!object || !ts.isObjectLiteralExpression(object)) return [];
  const fields: FieldInfo[] = [];
  for (const member of object.properties) {
    if (!ts.isPropertyAssignment(member)) continue;
    const name = propertyKey(ts, member.name);
    const value = member.initializer;
    if (name === undefined || !ts.isCallExpression(value)) continue;
    if (!ts.isPropertyAccessExpression(value.expression)) continue;
    fields.push(fieldInfo(ts, name, value, member.getText()));
  }
  return fields;
}

function fieldInfo(ts: TS, name: string, call: TypeScript.CallExpression, text: string): FieldInfo {
  const factory = (call.expression as TypeScript.PropertyAccessExpression).name.text;
  const options = call.arguments.find(ts.isObjectLiteralExpression);
  const isTrue = (key: string) =>
    propertyNamed(ts, options, key)?.kind === ts.SyntaxKind.TrueKeyword;
  const [first] = call.arguments;
  const choices =
    factory === 'choice' && first && ts.isArrayLiteralExpression(first)
      ? first.elements.filter(ts.isStringLiteralLike).map((element) => element.text)
      : [];
  const hasDefault = propertyNamed(ts, options, 'default') !== undefined;
  return {
    name,
    factory,
    text,
    needed: isTrue('required') && !hasDefault,
    identifier: isTrue('identifier'),
    choices,
  };
}
