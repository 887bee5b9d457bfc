/**
 * Edits of the project's registry on the syntax tree: `src/index.ts` imports every element module
 * and re-exports the elements, and the smoke test lists every handler. The tree says where each
 * line goes (after the last import of its kind, inside the list in its sorted place); the edit
 * inserts only the new text there, in the file's own quotes, semicolons and line endings, so the
 * rest of the file stays byte for byte as the user wrote it.
 */
import type * as TypeScript from 'typescript';
import type { TS } from './typescript.js';

/** One module `src/index.ts` must import (by its specifier from there) and re-export names of. */
export interface IndexEntry {
  /** `./order/order.js`, as a specifier from `src/index.ts`. */
  readonly specifier: string;
  readonly exports: readonly string[];
}

interface Insertion {
  readonly at: number;
  readonly text: string;
}

/** `text` (a `src/index.ts`) with every entry imported and its names re-exported. */
export function registerInIndex(ts: TS, text: string, entries: readonly IndexEntry[]): string {
  const source = ts.createSourceFile('index.ts', text, ts.ScriptTarget.Latest, true);
  const style = styleOf(ts, source, text);
  const statements = source.statements;
  const imports = statements.filter(ts.isImportDeclaration);
  const reexports = statements.filter(
    (s): s is TypeScript.ExportDeclaration => ts.isExportDeclaration(s) && !!s.moduleSpecifier,
  );
  const imported = new Set(imports.map((i) => moduleKey(i.moduleSpecifier)));
  const exported = new Set(reexports.flatMap((e) => exportedNames(ts, e)));
  const newImports: string[] = [];
  const newExports: string[] = [];
  const insertions: Insertion[] = [];
  for (const entry of entries) {
    const key = moduleKey(entry.specifier);
    const spec = style.quote + style.specifier(entry.specifier) + style.quote;
    if (!imported.has(key)) newImports.push(`import ${spec}${style.semi}`);
    imported.add(key);
    const names = entry.exports.filter((name) => !exported.has(name));
    names.forEach((name) => exported.add(name));
    if (names.length === 0) continue;
    const same = reexports.find((e) => moduleKey(e.moduleSpecifier!) === key);
    const clause = same?.exportClause;
    if (clause && ts.isNamedExports(clause) && clause.elements.length > 0) {
      insertions.push({ at: clause.elements.at(-1)!.end, text: `, ${names.join(', ')}` });
    } else {
      newExports.push(`export { ${names.join(', ')} } from ${spec}${style.semi}`);
    }
  }
  const sideEffects = imports.filter((i) => !i.importClause);
  const importAnchor = sideEffects.at(-1) ?? imports.at(-1);
  insertions.push(linesAfter(importAnchor, newImports, style.eol, text, statements[0]));
  const exportAnchor = reexports.at(-1) ?? importAnchor;
  const blank = reexports.length === 0 && importAnchor ? style.eol : '';
  const block = linesAfter(exportAnchor, newExports, style.eol, text, statements[0]);
  insertions.push(newExports.length > 0 ? { at: block.at, text: blank + block.text } : block);
  return applyInsertions(text, insertions);
}

/**
 * `text` (a smoke test) with `names` added, in sorted order, to the list of handler names it
 * expects (`expect(names.sort()).toEqual([...])` in a test reading `domain.handlers()`).
 * Unchanged when it has no such list.
 */
export function expectHandlers(ts: TS, text: string, names: readonly string[]): string {
  if (names.length === 0 || !text.includes('handlers()')) return text;
  const source = ts.createSourceFile('smoke.ts', text, ts.ScriptTarget.Latest, true);
  const list = findHandlerList(ts, source);
  if (!list) return text;
  const present = list.elements.map((element) => (element as TypeScript.StringLiteral).text);
  const missing = [...new Set(names)].filter((name) => !present.includes(name)).sort();
  if (missing.length === 0) return text;
  const quoteChar = list.elements[0]?.getText(source).charAt(0) ?? "'";
  const multiline = list.getText(source).includes('\n') && list.elements.length > 0;
  const first = list.elements[0];
  const indent = first ? indentOf(text, first.getStart(source)) : '';
  const separator = multiline ? `,${eolOf(text)}${indent}` : ', ';
  const insertions = new Map<number, string[]>();
  for (const name of missing) {
    const before = list.elements.find((element, i) => (present[i] ?? '') > name);
    const at = before ? before.getStart(source) : (list.elements.at(-1)?.end ?? list.elements.pos);
    insertions.set(at, [...(insertions.get(at) ?? []), `${quoteChar}${name}${quoteChar}`]);
  }
  const last = list.elements.at(-1);
  const edited = applyInsertions(
    text,
    [...insertions].map(([at, quoted]) => {
      const joined = quoted.join(separator);
      if (!last) return { at, text: joined };
      return { at, text: at === last.end ? separator + joined : joined + separator };
    }),
  );
  return multiline ? edited : wrapIfLong(edited, list.getStart(source));
}

/** Past 100 columns, the one-line list at `start` goes one name a line, as a formatter would. */
function wrapIfLong(text: string, start: number): string {
  const lineStart = text.lastIndexOf('\n', start) + 1;
  const lineEnd = text.indexOf('\n', start);
  const line = text.slice(lineStart, lineEnd === -1 ? text.length : lineEnd);
  if (line.length <= 100) return text;
  const end = text.indexOf(']', start) + 1;
  const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
  const eol = eolOf(text);
  const names = text
    .slice(start + 1, end - 1)
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  const body = names.map((name) => `${indent}  ${name},${eol}`).join('');
  return `${text.slice(0, start)}[${eol}${body}${indent}]${text.slice(end)}`;
}

function findHandlerList(ts: TS, source: TypeScript.SourceFile) {
  let found: TypeScript.ArrayLiteralExpression | undefined;
  const visit = (node: TypeScript.Node): void => {
    if (found) return;
    const [argument] = ts.isCallExpression(node) ? node.arguments : [];
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'toEqual' &&
      argument &&
      ts.isArrayLiteralExpression(argument) &&
      argument.elements.every((element) => ts.isStringLiteral(element))
    ) {
      found = argument;
      return;
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

interface Style {
  readonly quote: string;
  readonly semi: string;
  readonly eol: string;
  /** Keeps `.js` on specifiers, or drops it when the file's relative imports have none. */
  readonly specifier: (spec: string) => string;
}

function styleOf(ts: TS, source: TypeScript.SourceFile, text: string): Style {
  const modules = source.statements.filter(
    (s): s is TypeScript.ImportDeclaration | TypeScript.ExportDeclaration =>
      (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) && !!s.moduleSpecifier,
  );
  const first = modules[0];
  const quote = first?.moduleSpecifier?.getText(source).charAt(0) ?? "'";
  const semi = first && !first.getText(source).endsWith(';') ? '' : ';';
  const relative = modules
    .map((m) => (m.moduleSpecifier as TypeScript.StringLiteral).text)
    .filter((spec) => spec.startsWith('.'));
  const noExtension = relative.length > 0 && relative.every((spec) => !/\.m?js$/.test(spec));
  return {
    quote,
    semi,
    eol: eolOf(text),
    specifier: (spec) => (noExtension ? spec.replace(/\.m?js$/, '') : spec),
  };
}

/** A module specifier without quotes or extension, to compare imports written either way. */
function moduleKey(specifier: TypeScript.Expression | string): string {
  const text =
    typeof specifier === 'string' ? specifier : (specifier as TypeScript.StringLiteral).text;
  return text.replace(/\.(m?[jt]s)$/, '').replace(/\/index$/, '');
}

function exportedNames(ts: TS, declaration: TypeScript.ExportDeclaration): string[] {
  const clause = declaration.exportClause;
  return clause && ts.isNamedExports(clause) ? clause.elements.map((e) => e.name.text) : [];
}

/** New lines after `anchor`'s line; before the first statement, or at the end, without one. */
function linesAfter(
  anchor: TypeScript.Node | undefined,
  lines: readonly string[],
  eol: string,
  text: string,
  firstStatement: TypeScript.Statement | undefined,
): Insertion {
  if (lines.length === 0) return { at: 0, text: '' };
  if (anchor) return { at: anchor.end, text: lines.map((line) => eol + line).join('') };
  if (firstStatement) return { at: firstStatement.getStart(), text: lines.join(eol) + eol + eol };
  const gap = text === '' || text.endsWith(eol) ? '' : eol;
  return { at: text.length, text: gap + lines.join(eol) + eol };
}

function applyInsertions(text: string, insertions: readonly Insertion[]): string {
  let result = text;
  const ordered = insertions
    .map((insertion, index) => ({ ...insertion, index }))
    .filter((insertion) => insertion.text !== '')
    .sort((a, b) => b.at - a.at || b.index - a.index);
  for (const { at, text: inserted } of ordered) {
    result = result.slice(0, at) + inserted + result.slice(at);
  }
  return result;
}

function eolOf(text: string): string {
  return text.includes('\r\n') ? '\r\n' : '\n';
}

function indentOf(text: string, position: number): string {
  const lineStart = text.lastIndexOf('\n', position - 1) + 1;
  return /^[ \t]*/.exec(text.slice(lineStart, position))?.[0] ?? '';
}
