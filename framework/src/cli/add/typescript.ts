/**
 * The TypeScript compiler, for reading and editing the project's modules on their syntax tree.
 * protean-ts does not depend on it: every generated project has `typescript` as a dev dependency,
 * so the project's own copy is loaded, and failing that the one protean-ts itself can resolve.
 */
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as TypeScript from 'typescript';
import { CommandFailure } from '../exit.js';

/** The `typescript` module. */
export type TS = typeof TypeScript;

const loaded = new Map<string, Promise<TS>>();

/**
 * Loads `typescript` as the project at `root` resolves it.
 *
 * @throws CommandFailure (exit code 1) when neither the project nor protean-ts can find it.
 */
export function loadTypeScript(root: string): Promise<TS> {
  let found = loaded.get(root);
  if (!found) loaded.set(root, (found = importTypeScript(root)));
  return found;
}

async function importTypeScript(root: string): Promise<TS> {
  const path = resolveFrom(join(root, 'package.json')) ?? resolveFrom(import.meta.url);
  if (path === undefined) {
    throw new CommandFailure(
      `protean add reads and edits your modules with the TypeScript compiler, and found no ` +
        `\`typescript\` package from ${root}; install it in the project (npm install --save-dev ` +
        'typescript) and run the command again',
    );
  }
  const module = (await import(pathToFileURL(path).href)) as TS & { default?: TS };
  return module.default ?? module;
}

function resolveFrom(from: string): string | undefined {
  try {
    return createRequire(from).resolve('typescript');
  } catch {
    return undefined;
  }
}
