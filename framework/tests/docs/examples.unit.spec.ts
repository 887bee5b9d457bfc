/**
 * Every `@example` in framework/src type-checks against the real API, so an example cannot go stale
 * when a signature changes.
 *
 * Each example becomes an in-memory module of its own: its `import` and `export` statements at the
 * top, the rest in the body of an `async function` (so top-level `await` works, and names it
 * declares shadow the prelude's), and every name examples-prelude.ts exports imported first (a
 * small Bookshelf, ports, an engine, ...), except those the example imports itself. All of them are
 * checked in one program with the repository's compiler options, `protean-ts` resolved through the
 * `source` condition as in tsconfig.base.json. A failure names the file and line of the example.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';

const here = dirname(fileURLToPath(import.meta.url));
const framework = join(here, '..', '..');
const srcDir = join(framework, 'src');
const prelude = join(here, 'examples-prelude.ts');

/** One `@example` block, with the source line of each of its lines. */
interface Example {
  /** The file, relative to framework/. */
  file: string;
  /** 1-based line of the `@example` tag. */
  line: number;
  /** The code, without the comment's ` * ` and without Markdown fences. */
  lines: string[];
  /** 1-based source line of each entry of `lines`. */
  sourceLines: number[];
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

const TAG = /^\s*\* @(\w+)/;
const EXAMPLE = /^\s*\* @example\b/;
const COMMENT_END = /^\s*\*\//;
const FENCE = /^\s*```/;

/** "'X' is a type and must be imported using a type-only import". */
const TYPE_ONLY_IMPORT = new Set([1361, 1362, 1484, 1485]);

/** The `@example` blocks of `text`: from the tag to the next tag or the end of the comment. */
function extractExamples(file: string, text: string): Example[] {
  const source = text.split('\n');
  const examples: Example[] = [];
  for (let i = 0; i < source.length; i++) {
    // Text after the tag on its line is a title (TSDoc), not code.
    if (!EXAMPLE.test(source[i]!)) continue;
    const example: Example = { file, line: i + 1, lines: [], sourceLines: [] };
    for (let j = i + 1; j < source.length; j++) {
      const raw = source[j]!;
      if (COMMENT_END.test(raw) || TAG.test(raw)) break;
      const code = raw.replace(/^\s*\* ?/, '').replace(/^\s*\*$/, '');
      if (FENCE.test(code)) continue;
      example.lines.push(code);
      example.sourceLines.push(j + 1);
    }
    examples.push(example);
  }
  return examples;
}

/** Whether a statement can only stand at the top of a module: an import or an export. */
function moduleLevel(statement: ts.Statement): boolean {
  if (ts.isImportDeclaration(statement) || ts.isExportAssignment(statement)) return true;
  if (ts.isExportDeclaration(statement)) return true;
  return (
    ts.canHaveModifiers(statement) &&
    (ts.getModifiers(statement) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
  );
}

/** The names an example's own imports bind, and which of its lines go to the top of the module. */
function importsOf(example: Example): { names: Set<string>; importLines: Set<number> } {
  const parsed = ts.createSourceFile('x.ts', example.lines.join('\n'), ts.ScriptTarget.ES2023);
  const names = new Set<string>();
  const importLines = new Set<number>();
  for (const statement of parsed.statements) {
    if (!moduleLevel(statement)) continue;
    const first = parsed.getLineAndCharacterOfPosition(statement.getStart(parsed)).line;
    const last = parsed.getLineAndCharacterOfPosition(statement.getEnd()).line;
    for (let line = first; line <= last; line++) importLines.add(line);
    if (!ts.isImportDeclaration(statement)) continue;
    const clause = statement.importClause;
    if (clause?.name) names.add(clause.name.text);
    const bindings = clause?.namedBindings;
    if (bindings && ts.isNamespaceImport(bindings)) names.add(bindings.name.text);
    if (bindings && ts.isNamedImports(bindings))
      for (const element of bindings.elements) names.add(element.name.text);
  }
  return { names, importLines };
}

/** A module for one example, and the source line of each of its lines (0 for generated ones). */
function moduleFor(example: Example, preludeNames: readonly string[]) {
  const { names, importLines } = importsOf(example);
  const imported = preludeNames.filter((name) => !names.has(name.replace(/^type /, '')));
  const lines = [`import { ${imported.join(', ')} } from './examples-prelude.js';`];
  const map = [0];
  example.lines.forEach((code, index) => {
    if (!importLines.has(index)) return;
    lines.push(code);
    map.push(example.sourceLines[index]!);
  });
  lines.push('export async function example(): Promise<void> {');
  map.push(0);
  example.lines.forEach((code, index) => {
    if (importLines.has(index)) return;
    lines.push(code);
    map.push(example.sourceLines[index]!);
  });
  lines.push('}');
  map.push(example.line);
  return { text: `${lines.join('\n')}\n`, map };
}

/** tsconfig.base.json's options, for checking only. */
function compilerOptions(): ts.CompilerOptions {
  const path = join(framework, '..', 'tsconfig.base.json');
  const { config } = ts.readConfigFile(path, ts.sys.readFile);
  const { options } = ts.parseJsonConfigFileContent(config, ts.sys, dirname(path));
  return {
    ...options,
    noEmit: true,
    composite: false,
    declaration: false,
    declarationMap: false,
    emitDeclarationOnly: false,
    sourceMap: false,
  };
}

/** A host that serves `files` from memory and everything else from disk. */
function hostWith(options: ts.CompilerOptions, files: Map<string, string>): ts.CompilerHost {
  const host = ts.createCompilerHost(options, true);
  const { getSourceFile, fileExists, readFile } = host;
  return {
    ...host,
    fileExists: (name) => files.has(name) || fileExists(name),
    readFile: (name) => files.get(name) ?? readFile(name),
    getSourceFile: (name, version, onError, create) => {
      const text = files.get(name);
      return text === undefined
        ? getSourceFile(name, version, onError, create)
        : ts.createSourceFile(name, text, version, true);
    },
  };
}

/**
 * `price: field.number()` alone on a line compiles as a labelled statement: a property shown out
 * of its object. Examples are statements, so a label is reported like a compile error.
 */
function labels(sourceFile: ts.SourceFile): ts.Diagnostic[] {
  const found: ts.Diagnostic[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isLabeledStatement(node))
      found.push({
        category: ts.DiagnosticCategory.Error,
        code: 0,
        file: sourceFile,
        start: node.getStart(sourceFile),
        length: node.label.getWidth(sourceFile),
        messageText: `'${node.label.text}:' is a label; write the property inside its object`,
      });
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return found;
}

/** Type-checks every example; returns one message per failing example. */
function checkExamples(examples: readonly Example[]): string[] {
  const options = compilerOptions();
  const host = hostWith(options, new Map());
  const preludeProgram = ts.createProgram([prelude], options, host);
  const checker = preludeProgram.getTypeChecker();
  const module = checker.getSymbolAtLocation(preludeProgram.getSourceFile(prelude)!)!;
  const preludeNames = checker.getExportsOfModule(module).map((symbol) => {
    const target = symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
    return target.flags & ts.SymbolFlags.Value ? symbol.name : `type ${symbol.name}`;
  });

  const modules = new Map<string, { example: Example; map: number[] }>();
  const files = new Map<string, string>();
  examples.forEach((example, index) => {
    const name = join(here, `example-${index}.ts`);
    const { text, map } = moduleFor(example, preludeNames);
    files.set(name, text);
    modules.set(name, { example, map });
  });
  const program = ts.createProgram(
    [prelude, ...files.keys()],
    options,
    hostWith(options, files),
    preludeProgram,
  );

  const failures: string[] = [];
  const preludeErrors = ts.getPreEmitDiagnostics(program, program.getSourceFile(prelude));
  if (preludeErrors.length > 0)
    failures.push(`examples-prelude.ts:\n${ts.formatDiagnostics(preludeErrors, host)}`);
  for (const [name, { example, map }] of modules) {
    const sourceFile = program.getSourceFile(name)!;
    const diagnostics = [
      ...program.getSyntacticDiagnostics(sourceFile),
      ...program.getSemanticDiagnostics(sourceFile),
      ...labels(sourceFile),
    ];
    if (diagnostics.length === 0) continue;
    const problems = diagnostics.flatMap((diagnostic) => {
      const at = diagnostic.start ?? 0;
      const line = sourceFile.getLineAndCharacterOfPosition(at).line;
      // Line 0 imports every prelude name; `export type *` in an entry hides which are type-only.
      if (line === 0 && TYPE_ONLY_IMPORT.has(diagnostic.code)) return [];
      const text = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n    ');
      return [`  ${example.file}:${map[line] || example.line}: ${text}`];
    });
    if (problems.length === 0) continue;
    const where = `framework/${example.file}:${example.line}`;
    failures.push(`${where}: @example does not compile\n${problems.join('\n')}`);
  }
  return failures;
}

function allExamples(): Example[] {
  return sourceFiles(srcDir)
    .sort()
    .flatMap((path) => extractExamples(relative(framework, path), readFileSync(path, 'utf8')));
}

const BROKEN = extractExamples(
  'src/broken.ts',
  [
    '/**',
    ' * Broken on purpose.',
    ' *',
    ' * @example',
    ' * const pages: number = book.title;',
    ' *',
    ' * @example',
    ' * price: field.number()',
    ' */',
  ].join('\n'),
);

/** One compilation for all tests: creating the program is most of the cost. */
let checked: string[] | undefined;
function failures(): string[] {
  checked ??= checkExamples([...allExamples(), ...BROKEN]);
  return checked;
}

it('finds the @example blocks of framework/src', () => {
  const examples = allExamples();
  expect(examples.length).toBeGreaterThan(50);
  for (const example of examples) expect(example.lines.join('').trim()).not.toBe('');
  // An `@example` written any other way (not at the start of a ` * ` line) would go unchecked.
  const written = sourceFiles(srcDir)
    .map((path) => readFileSync(path, 'utf8').match(/@example\b/g)?.length ?? 0)
    .reduce((sum, count) => sum + count, 0);
  expect(examples).toHaveLength(written);
});

it('type-checks every @example in framework/src', { timeout: 60_000 }, () => {
  const real = failures().filter((failure) => !failure.startsWith('framework/src/broken.ts'));
  expect(real, `\n${real.join('\n\n')}\n`).toEqual([]);
});

it('reports the file and line of an example that does not compile', { timeout: 60_000 }, () => {
  const broken = failures().filter((failure) => failure.startsWith('framework/src/broken.ts'));
  expect(broken).toEqual([
    'framework/src/broken.ts:4: @example does not compile\n' +
      "  src/broken.ts:5: Type 'string' is not assignable to type 'number'.",
    'framework/src/broken.ts:7: @example does not compile\n' +
      "  src/broken.ts:8: 'price:' is a label; write the property inside its object",
  ]);
});
