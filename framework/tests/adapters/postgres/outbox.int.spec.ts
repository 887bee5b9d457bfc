import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../../src/adapters/postgres/database.js';
import { createPostgresOutbox } from '../../../src/adapters/postgres/outbox.js';
import type { OutboxStore } from '../../../src/ports/outbox.js';
import { outboxContract, outboxMessage } from '../../../src/testing/contracts/outbox.js';
import {
  createTestDatabase,
  describeIntegration,
  integrationServices,
  type TestDatabase,
} from '../../../src/testing/index.js';
import { connect, pgTransaction, resourceOf } from './outbox-helpers.js';

const messages = (count: number) => Array.from({ length: count }, (_, n) => outboxMessage({ n }));

describeIntegration('PostgreSQL outbox', () => {
  let database: TestDatabase;
  const open: OutboxStore[] = [];
  /** A started outbox on this file's database, with its table; closed after the file. */
  async function outbox(): Promise<OutboxStore> {
    const store = createPostgresOutbox({ database_uri: database.url, pool_size: 4 });
    open.push(store);
    await store.start();
    await store.setup?.();
    return store;
  }

  beforeAll(async () => {
    database = await createTestDatabase(integrationServices().postgres.url);
  });
  afterAll(async () => {
    await Promise.all(open.map((store) => store.close()));
    await database?.drop();
  });

  outboxContract('postgresql', async () => createPostgresOutbox({ database_uri: database.url }), {
    transaction: () => pgTransaction(database.url),
  });

  describe('concurrency and faults', () => {
    it('never hands the same row to two claimers running at the same time', async () => {
      // #region two-claimers
      const stores = await Promise.all([outbox(), outbox(), outbox()]);
      await stores[0]?.truncate?.();
      await stores[0]?.enqueue(messages(300));
      const seen = new Map<string, string>();
      for (let round = 0; round < 50 && seen.size < 300; round += 1) {
        const claims = await Promise.all(
          stores.flatMap((store, n) =>
            ['a', 'b'].map(async (suffix) => {
              const owner = `relay-${n}${suffix}`;
              const rows = await store.claim({ owner, limit: 9, leaseSeconds: 30 });
              return { owner, store, rows };
            }),
          ),
        );
        for (const { owner, rows } of claims) {
          for (const { id } of rows) {
            expect(
              seen.get(id),
              `row ${id} claimed by ${seen.get(id)} and ${owner}`,
            ).toBeUndefined();
            seen.set(id, owner);
          }
        }
        await Promise.all(
          claims.map(({ owner, store, rows }) =>
            store.markPublished(
              rows.map((row) => row.id),
              owner,
            ),
          ),
        );
      }
      expect(seen.size).toBe(300);
      expect(await stores[0]?.countByStatus()).toMatchObject({ published: 300, pending: 0 });
      // #endregion two-claimers
    });

    it('leaves neither the aggregate row nor its outbox rows when the transaction is killed', async () => {
      const store = await outbox();
      await store.truncate?.();
      const admin = await connect(database.url);
      await admin.query('CREATE TABLE IF NOT EXISTS books (id text PRIMARY KEY, title text)');
      const transaction = await pgTransaction(database.url);
      await transaction.client.query("INSERT INTO books VALUES ('b1', 'Dune')");
      await store.enqueue(messages(3), { transaction: transaction.link });
      const { rows } = await transaction.client.query<{ pid: number }>(
        'SELECT pg_backend_pid() AS pid',
      );

      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]?.pid]);
      await expect(transaction.commit()).rejects.toThrow();

      expect((await admin.query('SELECT * FROM books')).rowCount).toBe(0);
      expect(await store.countByStatus()).toMatchObject({ pending: 0 });
      await admin.end();
    });

    it('uses the server clock when no now is given', async () => {
      const store = await outbox();
      await store.truncate?.();
      await store.enqueue(messages(1));
      const before = Date.now();
      const [row] = await store.claim({ owner: 'relay-a', limit: 1, leaseSeconds: 60 });
      const lease = (row?.lockedUntil.getTime() ?? 0) - before;
      expect(lease).toBeGreaterThan(55_000);
      expect(lease).toBeLessThan(65_000);
      expect(await store.markPublished([row?.id ?? ''], 'relay-a')).toBe(1);
    });
  });

  describe('schema and transactions', () => {
    it('sets up twice, concurrently, and truncates and drops idempotently', async () => {
      const [a, b] = await Promise.all([outbox(), outbox()]);
      await Promise.all([a?.setup?.(), b?.setup?.()]);
      await a?.drop?.();
      await a?.drop?.();
      await a?.truncate?.();
      await a?.setup?.();
      expect(await a?.countByStatus()).toMatchObject({ pending: 0 });
    });

    it('joins only a transaction on its own database', async () => {
      // #region joins-own-database
      const store = await outbox();
      const resource = resourceOf(database.url);
      expect(store.canJoin({ technology: 'postgresql', resource, handle: null })).toBe(true);
      const other = { technology: 'postgresql', resource: `${resource}_other`, handle: null };
      expect(store.canJoin(other)).toBe(false);
      expect(store.canJoin({ technology: 'memory', resource: 'memory', handle: null })).toBe(false);
      // #endregion joins-own-database
    });

    it('commits and rolls back with a session of the PostgreSQL database provider', async () => {
      const store = await outbox();
      await store.truncate?.();
      const settings = { provider: 'postgresql', database_uri: database.url, pool_size: 2 };
      const db = await createPostgresDatabase(settings, { undeclaredKinds: 'jsonb' });
      await db.start();
      try {
        for (const end of ['rollback', 'commit'] as const) {
          const session = await db.begin();
          expect(session.link && store.canJoin(session.link)).toBe(true);
          await store.enqueue(messages(2), { transaction: session.link });
          await session[end]();
        }
        expect(await store.countByStatus()).toMatchObject({ pending: 2 });
      } finally {
        await db.close();
      }
    });

    it('writes at once when given a transaction it cannot join', async () => {
      const store = await outbox();
      await store.truncate?.();
      const transaction = { technology: 'memory', resource: 'memory', handle: null };
      await store.enqueue(messages(2), { transaction });
      expect(await store.countByStatus()).toMatchObject({ pending: 2 });
    });

    it('refuses to work before start() and names what is missing in its settings', async () => {
      const store = createPostgresOutbox({ database_uri: database.url });
      await expect(store.countByStatus()).rejects.toThrow(/not started: call start\(\)/);
      expect(() => createPostgresOutbox({ database_uri: 'mysql://x' })).toThrow(/database_uri/);
      expect(() => createPostgresOutbox({ database_uri: database.url, pool_size: 0 })).toThrow(
        /pool_size/,
      );
    });
  });
});
