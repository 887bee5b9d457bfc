/**
 * The types each entry point exports (the run-time names are in entry-points.unit.spec.ts), read
 * with the TypeScript compiler from the entry files, so that moving a type between entries, or
 * leaking one, shows up in review as a change to the snapshot file.
 */
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { expect, it } from 'vitest';

const src = (path: string): string => fileURLToPath(new URL(`../../src/${path}`, import.meta.url));

const ENTRY_FILES = {
  'protean-ts': src('index.ts'),
  'protean-ts/adapter': src('adapter.ts'),
  'protean-ts/postgres': src('postgres.ts'),
  'protean-ts/redis': src('redis.ts'),
  'protean-ts/server': src('server/index.ts'),
  'protean-ts/observatory': src('observatory/index.ts'),
  'protean-ts/testing': src('testing/index.ts'),
};

/** The names `file` exports that are types only (no value of that name exists at run time). */
function typeExports(program: ts.Program, file: string): string[] {
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(file);
  const module = source && checker.getSymbolAtLocation(source);
  if (!module) throw new Error(`no module symbol for ${file}`);
  return checker
    .getExportsOfModule(module)
    .filter((symbol) => {
      const target =
        symbol.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(symbol) : symbol;
      return (target.flags & ts.SymbolFlags.Value) === 0;
    })
    .map((symbol) => symbol.name)
    .sort();
}

it('each entry point exports the types in its snapshot', { timeout: 60_000 }, async () => {
  const program = ts.createProgram(Object.values(ENTRY_FILES), {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2023,
    strict: true,
    noEmit: true,
    skipLibCheck: true,
  });
  const sections = Object.entries(ENTRY_FILES).map(
    ([entry, file]) => `# ${entry}\n${typeExports(program, file).join('\n')}\n`,
  );

  await expect(sections.join('\n')).toMatchFileSnapshot('./entry-point-types.snapshot.txt');
});
