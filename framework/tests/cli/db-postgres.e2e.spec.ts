/**
 * `protean db` against a real PostgreSQL: setup creates every table of the domain (aggregates,
 * entities, projections, event store, outbox, idempotency markers), twice in a row; truncate and
 * drop need --yes without a terminal.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  createTestDatabase,
  describeIntegration,
  integrationServices,
} from '../../src/testing/index.js';
import type { TestDatabase } from '../../src/testing/index.js';
import { PROTEAN, project, removeProjects } from './fixtures.js';

const bin = fileURLToPath(new URL('../../bin/protean.js', import.meta.url));
const { PROTEAN_DOMAIN: _ignored, ...env } = process.env;

const DOMAIN_TS = `import { Domain, field } from '${PROTEAN}';
export const domain = new Domain({ name: 'shop' });
const Line = domain.entity('Line', { sku: field.string({ required: true }) });
domain.aggregate('Order', { customer: field.string({ required: true }), lines: field.hasMany(Line) });
domain.projection('OrderView', { orderId: field.identifier({ identifier: true }), total: field.number() });
`;

const TOML = `enable_outbox = true
[databases.default]
provider = "postgresql"
database_uri = "\${DATABASE_URL}"
[event_store]
provider = "postgresql"
database_uri = "\${DATABASE_URL}"
`;

async function tables(url: string): Promise<string[]> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      "SELECT tablename AS name FROM pg_tables WHERE schemaname = 'public' ORDER BY 1",
    );
    return rows.map((row) => row.name);
  } finally {
    await client.end();
  }
}

describeIntegration('protean db on PostgreSQL', () => {
  let database: TestDatabase;
  let root: string;
  const protean = (...args: string[]) =>
    promisify(execFile)(
      process.execPath,
      [bin, 'db', ...args, '--domain', join(root, 'domain.ts')],
      {
        env: { ...env, DATABASE_URL: database.url },
      },
    ).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  beforeAll(async () => {
    database = await createTestDatabase(integrationServices().postgres.url);
    root = await project({ 'domain.ts': DOMAIN_TS, 'domain.toml': TOML });
  });
  afterAll(async () => {
    await removeProjects();
    await database?.drop();
  });

  it('creates every table of the domain, and running it again changes nothing', async () => {
    for (let run = 0; run < 2; run += 1) {
      const { code, stdout } = await protean('setup');
      expect(code).toBe(0);
      expect(stdout).toContain('database: postgresql, event store: postgresql');
    }
    expect(await tables(database.url)).toEqual([
      'protean_idempotency',
      'protean_messages',
      'protean_outbox',
      'shop_order',
      'shop_order__lines',
      'shop_order_view',
    ]);
  }, 60_000);

  it('refuses drop without --yes and without a terminal, then drops with --yes', async () => {
    const refused = await protean('drop');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pass --yes');
    expect(await tables(database.url)).toHaveLength(6);
    const dropped = await protean('drop', '--yes');
    expect(dropped.code).toBe(0);
    expect(await tables(database.url)).toEqual([]);
  }, 60_000);
});
