/**
 * Guarantee 1 under a real crash: a process killed (SIGKILL) between writing the aggregate and
 * committing leaves neither the aggregate row, nor its events, nor its outbox rows.
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

const script = fileURLToPath(new URL('../fixtures/add-book-on-postgres.ts', import.meta.url));

function run(database: TestDatabase, env: Record<string, string>, ...args: string[]) {
  return promisify(execFile)(process.execPath, ['--import', 'tsx', script, ...args], {
    env: { ...process.env, DATABASE_URL: database.url, ...env },
  });
}

async function counts(url: string): Promise<number[]> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const tables = ['bookshelf_book', 'protean_messages', 'protean_outbox'];
    const found: number[] = [];
    for (const table of tables) {
      const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
      found.push(rows[0]?.n ?? -1);
    }
    return found;
  } finally {
    await client.end();
  }
}

describeIntegration('a command killed before its commit', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(integrationServices().postgres.url);
  });
  afterAll(async () => {
    await database?.drop();
  });

  it('leaves no aggregate row, no event and no outbox row; the next run commits all three', async () => {
    // #region killed-before-commit
    const killed = await run(
      database,
      { PROTEAN_FAILPOINT: 'command.before_commit' },
      '--setup',
    ).catch((error: { signal?: string; stdout?: string }) => error);
    expect(killed).toMatchObject({ signal: 'SIGKILL' });
    expect((killed as { stdout: string }).stdout).not.toContain('committed');
    expect(await counts(database.url)).toEqual([0, 0, 0]);

    const { stdout } = await run(database, {});
    expect(stdout).toContain('committed');
    expect(await counts(database.url)).toEqual([1, 1, 1]);
    // #endregion killed-before-commit
  }, 60_000);
});
