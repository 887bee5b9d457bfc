import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresIdempotencyStore } from '../../../src/adapters/postgres/idempotency.js';
import type { IdempotencyStore } from '../../../src/ports/idempotency.js';
import { idempotencyContract } from '../../../src/testing/contracts/idempotency.js';
import {
  createTestDatabase,
  describeIntegration,
  integrationServices,
  type TestDatabase,
} from '../../../src/testing/index.js';
import { pgTransaction } from './outbox-helpers.js';

/** How long a blocked insert gets to show it is waiting on the other transaction. */
const LOCK_WAIT_MS = 100;

/** `settled` or `waiting`, after LOCK_WAIT_MS. */
async function statusSoon(promise: Promise<unknown>): Promise<'settled' | 'waiting'> {
  const settled = promise.then(() => 'settled' as const);
  return Promise.race([settled, sleep(LOCK_WAIT_MS, 'waiting' as const)]);
}

describeIntegration('PostgreSQL idempotency store', () => {
  let database: TestDatabase;
  let markers: IdempotencyStore;
  beforeAll(async () => {
    database = await createTestDatabase(integrationServices().postgres.url);
    markers = createPostgresIdempotencyStore({ database_uri: database.url });
    await markers.start();
    await markers.setup?.();
  });
  afterAll(async () => {
    await markers?.close();
    await database?.drop();
  });

  idempotencyContract(
    'postgresql',
    async () => createPostgresIdempotencyStore({ database_uri: database.url }),
    { transaction: () => pgTransaction(database.url) },
  );

  describe('two transactions marking the same message', () => {
    for (const [end, expected] of [
      ['commit', false],
      ['rollback', true],
    ] as const) {
      it(`makes the second wait for the first, then answer ${expected} after a ${end}`, async () => {
        const id = randomUUID();
        const [first, second] = [
          await pgTransaction(database.url),
          await pgTransaction(database.url),
        ];
        expect(await markers.mark(id, 'BookProjector', { transaction: first.link })).toBe(true);

        const marked = markers.mark(id, 'BookProjector', { transaction: second.link });
        expect(await statusSoon(marked)).toBe('waiting');
        await first[end]();

        expect(await marked).toBe(expected);
        await second.commit();
        expect(await markers.has(id, 'BookProjector')).toBe(true);
      });
    }
  });

  it('sets up twice and drops idempotently', async () => {
    const other = createPostgresIdempotencyStore({ database_uri: database.url });
    await other.start();
    await Promise.all([other.setup?.(), markers.setup?.()]);
    await other.drop?.();
    await other.drop?.();
    await other.truncate?.();
    await other.setup?.();
    await other.close();
    expect(await markers.mark(randomUUID(), 'BookProjector')).toBe(true);
  });
});
