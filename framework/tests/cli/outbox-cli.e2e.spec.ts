/**
 * `protean outbox status | retry-abandoned` as an operator runs them: the bin, in a process of its
 * own, against the PostgreSQL outbox the server writes to (a database of its own here).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPostgresOutbox } from '../../src/adapters/postgres/outbox.js';
import type { OutboxStore } from '../../src/ports/outbox.js';
import {
  createTestDatabase,
  describeIntegration,
  integrationServices,
} from '../../src/testing/index.js';
import type { TestDatabase } from '../../src/testing/index.js';
import { orderPlaced } from './dlq-fixtures.js';
import { PROTEAN, project, removeProjects } from './fixtures.js';

const bin = fileURLToPath(new URL('../../bin/protean.js', import.meta.url));
const { PROTEAN_DOMAIN: _ignored, ...env } = process.env;

const DOMAIN_TS = `import { Domain } from '${PROTEAN}';
export const domain = new Domain({ name: 'shop' });
`;
const TOML = `enable_outbox = true
[databases.default]
provider = "postgresql"
database_uri = "\${DATABASE_URL}"
`;

describeIntegration('protean outbox on PostgreSQL', () => {
  let database: TestDatabase;
  let root: string;
  let outbox: OutboxStore;
  const protean = (...args: string[]) =>
    promisify(execFile)(process.execPath, [bin, ...args], {
      cwd: root,
      env: { ...env, DATABASE_URL: database.url },
    }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );

  beforeAll(async () => {
    database = await createTestDatabase(integrationServices().postgres.url);
    root = await project({ 'domain.ts': DOMAIN_TS, 'domain.toml': TOML });
    outbox = createPostgresOutbox({ database_uri: database.url });
    await outbox.start();
    await outbox.setup?.();
  });
  afterAll(async () => {
    await outbox?.close();
    await removeProjects();
    await database?.drop();
  });

  it('counts rows per status and re-queues the abandoned ones', async () => {
    await outbox.enqueue([orderPlaced('o-1'), orderPlaced('o-2')]);
    const [row] = await outbox.claim({ owner: 'relay', limit: 1, leaseSeconds: 60 });
    const giveUp = { maxAttempts: 1, delaySeconds: () => 0, shouldAbandon: () => true };
    await outbox.markFailed(row!.id, 'relay', 'broker down', giveUp);

    const status = await protean('outbox', 'status', '--json');
    expect(status.code).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({
      counts: { pending: 1, abandoned: 1 },
      abandoned: [{ id: row!.id, lastError: 'broker down', attempts: 1 }],
    });

    const retried = await protean('outbox', 'retry-abandoned');
    expect(retried.stdout).toContain('Re-queued 1 abandoned outbox message of domain "shop"');
    expect(await outbox.countByStatus()).toMatchObject({ pending: 2, abandoned: 0 });
  }, 60_000);
});
