/**
 * The architecture's layering rules and the circular-import check, proved through the real
 * eslint.config.js at the repository root (ESLint's Node API, the same config `npx eslint .` uses).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import type { Linter } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

// Loading typescript-eslint and the resolver takes a moment on the first lint.
const SLOW = { timeout: 30_000 };

let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: repoRoot });
});

/** Lints `code` as if it lived at `filePath` (relative to the repo root). */
async function lint(filePath: string, code: string): Promise<Linter.LintMessage[]> {
  const [result] = await eslint.lintText(code, { filePath: join(repoRoot, filePath) });
  if (!result) throw new Error(`ESLint returned no result for ${filePath}`);
  return result.messages;
}

function errorsOf(messages: Linter.LintMessage[], ruleId: string): Linter.LintMessage[] {
  return messages.filter((message) => message.ruleId === ruleId && message.severity === 2);
}

describe('layering: the inner layers never touch infrastructure', SLOW, () => {
  const banned: { specifier: string; explains: RegExp; from?: string }[] = [
    { specifier: 'pg', explains: /loads only in framework\/src\/adapters\/postgres\/.*ports\//s },
    {
      specifier: 'pg/lib/client.js',
      explains: /loads only in framework\/src\/adapters\/postgres\//s,
    },
    {
      specifier: 'ioredis',
      explains: /loads only in framework\/src\/adapters\/redis\/.*Broker port/s,
    },
    { specifier: 'node:net', explains: /pure inner layers.*belong in adapters\/ or server\//s },
    { specifier: 'net', explains: /pure inner layers.*belong in adapters\/ or server\//s },
    { specifier: 'node:child_process', explains: /no processes.*adapters\/ or server\//s },
    { specifier: 'node:dns/promises', explains: /belong in adapters\/ or server\//s },
    {
      specifier: '../adapters/memory/index.js',
      explains: /must not depend on adapters\/.*ports\//s,
    },
    { specifier: '../server/engine.js', explains: /must not depend on adapters\/, server\//s },
    { specifier: '../cli/program.js', explains: /must not depend on .*cli\//s },
    {
      specifier: '../../observatory/metrics.js',
      from: 'framework/src/core/fields/x.ts',
      explains: /must not depend on .*observatory\//s,
    },
    { specifier: 'protean-ts/postgres', explains: /must not depend on adapters\//s },
  ];

  it.each(banned)(
    'reports an import of $specifier from core/',
    async ({ specifier, explains, from = 'framework/src/core/x.ts' }) => {
      const messages = await lint(
        from,
        `import * as banned from '${specifier}';\nexport const used = banned;\n`,
      );

      const errors = errorsOf(messages, 'no-restricted-imports');
      expect(errors).toHaveLength(1);
      expect(errors[0]?.message).toContain(`'${specifier}' import is restricted`);
      expect(errors[0]?.message).toMatch(explains);
    },
  );

  it.each(['domain', 'ports', 'config', 'unit-of-work'])(
    'applies the same rule to %s/',
    async (folder) => {
      const messages = await lint(
        `framework/src/${folder}/x.ts`,
        `import { Pool } from 'pg';\nimport { createServer } from 'node:http';\nexport const used = [Pool, createServer];\n`,
      );

      expect(errorsOf(messages, 'no-restricted-imports').map((m) => m.line)).toEqual([1, 2]);
    },
  );

  it('reports a lazy import("pg") in an inner layer', async () => {
    const messages = await lint(
      'framework/src/domain/x.ts',
      `export const load = async () => import('pg');\n`,
    );

    const errors = errorsOf(messages, 'no-restricted-syntax');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/belongs in an adapter/);
  });

  it('lets config/ read files (node:fs, node:path, node:url)', async () => {
    const messages = await lint(
      'framework/src/config/x.ts',
      [
        `import { readFileSync } from 'node:fs';`,
        `import { dirname } from 'node:path';`,
        `import { fileURLToPath } from 'node:url';`,
        `export const read = (url: string) => readFileSync(dirname(fileURLToPath(url)), 'utf8');`,
        ``,
      ].join('\n'),
    );

    expect(messages).toEqual([]);
  });
});

describe('layering: drivers load only inside their adapter', SLOW, () => {
  const pgImport = `import pg from 'pg';\nexport const pool = new pg.Pool();\n`;
  const redisImport = `import { Redis } from 'ioredis';\nexport const redis = new Redis();\n`;

  it('lets adapters/postgres/ import pg', async () => {
    expect(await lint('framework/src/adapters/postgres/x.ts', pgImport)).toEqual([]);
  });

  it('lets adapters/redis/ import ioredis', async () => {
    expect(await lint('framework/src/adapters/redis/x.ts', redisImport)).toEqual([]);
  });

  it('lets testing/ import both drivers', async () => {
    expect(await lint('framework/src/testing/x.ts', pgImport)).toEqual([]);
    expect(await lint('framework/src/testing/y.ts', redisImport)).toEqual([]);
  });

  it.each([
    ['framework/src/adapters/memory/x.ts', pgImport],
    ['framework/src/adapters/redis/x.ts', pgImport],
    ['framework/src/adapters/postgres/x.ts', redisImport],
    ['framework/src/outbox/x.ts', redisImport],
    ['framework/src/server/x.ts', pgImport],
    ['framework/src/index.ts', pgImport],
  ])('reports a driver import in %s', async (filePath, code) => {
    const errors = errorsOf(await lint(filePath, code), 'no-restricted-imports');

    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/optional and loads only in framework\/src\/adapters\//);
  });
});

describe('layering: observatory depends on server, never the reverse', SLOW, () => {
  it('reports server/ importing observatory/', async () => {
    const messages = await lint(
      'framework/src/server/x.ts',
      `import { y } from '../observatory/y.js';\nexport const used = y;\n`,
    );

    const errors = errorsOf(messages, 'no-restricted-imports');
    expect(errors).toHaveLength(1);
    expect(errors[0]?.message).toMatch(/observatory\/ depends on server\/, never the reverse/);
  });

  it('lets observatory/ import server/', async () => {
    const messages = await lint(
      'framework/src/observatory/x.ts',
      `import { engine } from '../server/engine.js';\nexport const used = engine;\n`,
    );

    expect(messages).toEqual([]);
  });
});

describe('circular imports', SLOW, () => {
  // Real files on disk, because no-cycle follows imports through the resolver and parses the
  // imported files: `./b.js` must resolve to `b.ts` (NodeNext style) for a cycle to be seen.
  // They live under tests/ (also in the check's scope) so that no build of src/ can pick them up.
  let fixture: string;

  beforeAll(() => {
    fixture = mkdtempSync(join(repoRoot, 'framework/tests/lint/__cycle_fixture_'));
    writeFileSync(
      join(fixture, 'a.ts'),
      `import { b } from './b.js';\nexport const a = (): number => b() + 1;\n`,
    );
    writeFileSync(
      join(fixture, 'b.ts'),
      `import { a } from './a.js';\nexport const b = (): number => a.length;\n`,
    );
    writeFileSync(join(fixture, 'c.ts'), `import { a } from './a.js';\nexport const c = a;\n`);
  });

  afterAll(() => {
    if (fixture) rmSync(fixture, { recursive: true, force: true });
  });

  async function lintFixture(name: string): Promise<Linter.LintMessage[]> {
    const [result] = await eslint.lintFiles([join(fixture, name)]);
    if (!result) throw new Error(`ESLint returned no result for ${relative(repoRoot, fixture)}`);
    return result.messages;
  }

  it('reports both sides of a cycle between two files', async () => {
    for (const name of ['a.ts', 'b.ts']) {
      const errors = errorsOf(await lintFixture(name), 'import-x/no-cycle');
      expect(errors, `${name} should be reported`).toHaveLength(1);
      expect(errors[0]?.message).toMatch(/Dependency cycle/);
    }
  });

  it('does not report a file that only imports into a cycle', async () => {
    expect(await lintFixture('c.ts')).toEqual([]);
  });
});

describe('circular-import check: scope', SLOW, () => {
  it.each([
    'framework/src/core/x.ts',
    'framework/tests/x.ts',
    'templates/src/x.ts',
    'bookshelf/src/x.ts',
    'chapters/01-first-aggregate/src/x.ts',
  ])('runs on %s', async (filePath) => {
    const config = (await eslint.calculateConfigForFile(join(repoRoot, filePath))) as {
      rules?: Record<string, unknown>;
    };

    expect(config.rules?.['import-x/no-cycle']).toEqual([
      2,
      expect.objectContaining({ ignoreExternal: true }),
    ]);
  });
});
