import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkDocs, formatProblem } from './snippets.js';

/** The VitePress source root, written as `@` in imports (no trailing slash, as VitePress has it). */
const docsRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));

describe('the code the docs pages import', () => {
  const { imports, problems } = checkDocs(docsRoot);

  it('is found: the pages import code at all', () => {
    expect(imports.length).toBeGreaterThan(0);
  });

  it('resolves every <<< import to an existing file and region', () => {
    expect(problems.map((problem) => formatProblem(problem, docsRoot))).toEqual([]);
  });
});
