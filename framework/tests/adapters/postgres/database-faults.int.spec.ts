import { Client } from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../../src/adapters/postgres/database.js';
import { field } from '../../../src/index.js';
import type { DatabaseProvider, KindSchema } from '../../../src/adapter.js';
import {
  createTestDatabase,
  describeIntegration,
  integrationServices,
  type TestDatabase,
} from '../../../src/testing/index.js';

const NOTE: KindSchema = {
  kind: 'faults.note',
  element: 'aggregate',
  name: 'Note',
  fields: { text: field.string() },
  identityField: undefined,
};

describeIntegration('PostgreSQL connection faults', () => {
  let database: TestDatabase;
  let db: DatabaseProvider;
  const open = async (settings: Record<string, unknown> = {}) => {
    db = await createPostgresDatabase({
      provider: 'postgresql',
      database_uri: database.url,
      ...settings,
    });
    db.declare?.([NOTE]);
    await db.start();
    await db.setup?.();
    return db;
  };

  /** Terminates every connection to the test database but the caller's, as a DBA or a restart would. */
  async function terminateBackends(): Promise<number> {
    const admin = new Client({ connectionString: integrationServices().postgres.url });
    await admin.connect();
    try {
      const { rows } = await admin.query(
        `SELECT pg_terminate_backend(pid) AS done FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid()`,
        [database.name],
      );
      return rows.length;
    } finally {
      await admin.end();
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase(integrationServices().postgres.url);
  });
  afterEach(async () => {
    await db?.drop?.();
    await db?.close();
  });
  afterAll(() => database?.drop());

  it('recovers on a fresh connection after its connections were terminated', async () => {
    // #region connection-recovery
    const notes = (await open()).records('faults.note');
    await notes.save('n1', { text: 'before' }, 0);
    expect(await terminateBackends()).toBeGreaterThan(0);

    // The pool may hand out a dead idle connection once: that call fails clearly.
    const next = await notes.get('n1').catch((error: unknown) => error);
    if (next instanceof Error) {
      expect(next).toMatchObject({ name: 'DatabaseError', code: 'DATABASE_UNAVAILABLE' });
      expect(next.message).toMatch(
        /get of faults\.note 'n1' failed on PostgreSQL at 127\.0\.0\.1:5432\//,
      );
    } else {
      expect(next).toMatchObject({ values: { text: 'before' } });
    }
    expect(await notes.get('n1')).toMatchObject({ values: { text: 'before' } });
    expect(await notes.save('n1', { text: 'after' }, 1)).toBe(2);
    // #endregion connection-recovery
  });

  it('fails the session whose connection died, and the next session works', async () => {
    await open();
    const session = await db.begin();
    await session.records('faults.note').save('n1', { text: 'lost' }, 0);
    await terminateBackends();

    await expect(session.records('faults.note').get('n1')).rejects.toMatchObject({
      code: 'DATABASE_UNAVAILABLE',
      cause: expect.any(Error),
    });
    await expect(session.rollback()).resolves.toBeUndefined();

    const next = await db.begin();
    expect(await next.records('faults.note').save('n1', { text: 'kept' }, 0)).toBe(1);
    await next.commit();
    expect(await db.records('faults.note').get('n1')).toMatchObject({ values: { text: 'kept' } });
  });

  it('gives up waiting for a row lock after lock_timeout_ms with ExpectedVersionError', async () => {
    // #region lock-timeout
    await open({ lock_timeout_ms: 200 });
    await db.records('faults.note').save('n1', { text: 'first' }, 0);
    const holder = await db.begin();
    await holder.records('faults.note').save('n1', { text: 'held' }, 1);

    const started = Date.now();
    await expect(db.records('faults.note').save('n1', { text: 'late' }, 1)).rejects.toMatchObject({
      code: 'EXPECTED_VERSION_ERROR',
      expected: 1,
      actual: 1,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
    await holder.commit();
    expect(await db.records('faults.note').get('n1')).toMatchObject({ version: 2 });
    // #endregion lock-timeout
  });
});

describe('PostgreSQL that cannot be reached', () => {
  it('fails start() naming the URI without its password', async () => {
    // #region unreachable
    const db = await createPostgresDatabase({
      provider: 'postgresql',
      database_uri: 'postgresql://app:s3cret@127.0.0.1:1/shop',
      connect_timeout_ms: 2000,
    });
    const error = await db.start().catch((e: unknown) => e);
    await db.close();
    expect(error).toMatchObject({ code: 'DATABASE_UNAVAILABLE' });
    expect((error as Error).message).toContain(
      'cannot connect to PostgreSQL at postgresql://app@127.0.0.1:1/shop',
    );
    expect((error as Error).message).not.toContain('s3cret');
    // #endregion unreachable
  });

  it('refuses settings without a postgresql:// database_uri', async () => {
    await expect(createPostgresDatabase({ provider: 'postgresql' })).rejects.toMatchObject({
      code: 'CONFIGURATION_ERROR',
      message: expect.stringContaining('needs database_uri'),
    });
    await expect(
      createPostgresDatabase({ provider: 'postgresql', database_uri: 'mysql://x:pw@h/db' }),
    ).rejects.toThrow(/must be a postgresql:\/\/ URL, received "mysql:\/\/x@h\/db"/);
  });
});
