/**
 * The Bookshelf model's tests pass unchanged on PostgreSQL: the same spec file runs in a child
 * vitest with PROTEAN_ENV=postgres, which makes fixtures/domain.toml's [postgres] overlay point the
 * default database at a fresh test database.
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestDatabase,
  describeIntegration,
  integrationServices,
} from '../../src/testing/index.js';
import type { TestDatabase } from '../../src/testing/index.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

describeIntegration('the Bookshelf model with PROTEAN_ENV=postgres', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(integrationServices().postgres.url);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('passes the same tests it passes on memory', async () => {
    const vitest = fileURLToPath(
      new URL('../../../node_modules/vitest/vitest.mjs', import.meta.url),
    );
    // #region overlay-child-run
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        vitest,
        'run',
        '--project',
        'framework',
        'tests/domain/bookshelf.unit.spec.ts',
        '--reporter=json',
      ],
      {
        cwd: repoRoot,
        env: { ...process.env, PROTEAN_ENV: 'postgres', DATABASE_URL: database.url },
        maxBuffer: 1 << 24,
      },
    );
    // #endregion overlay-child-run
    const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
      numPassedTests: number;
      numFailedTests: number;
    };
    expect(report.numFailedTests).toBe(0);
    expect(report.numPassedTests).toBeGreaterThanOrEqual(11);
    const { default: pg } = await import('pg');
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ table: string | null }>(
        "SELECT to_regclass('bookshelf_book')::text AS table",
      );
      expect(rows[0]?.table).toBe('bookshelf_book');
    } finally {
      await client.end();
    }
  }, 120_000);
});
