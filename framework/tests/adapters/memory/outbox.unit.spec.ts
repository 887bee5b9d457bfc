import { describe, expect, it } from 'vitest';
import { createMemoryDatabase } from '../../../src/adapters/memory/database.js';
import { createMemoryOutbox } from '../../../src/adapters/memory/outbox.js';
import { outboxContract, outboxMessage } from '../../../src/testing/contracts/outbox.js';

outboxContract('memory', async () => createMemoryOutbox(), {
  transaction: () => createMemoryDatabase().begin(),
});

describe('memory outbox', () => {
  it('names its provider memory and joins memory transactions only', () => {
    const outbox = createMemoryOutbox();
    expect(outbox.provider).toBe('memory');
    expect(outbox.canJoin({ technology: 'memory', resource: 'memory', handle: {} })).toBe(true);
    const postgres = { technology: 'postgresql', resource: '127.0.0.1:5432/app', handle: {} };
    expect(outbox.canJoin(postgres)).toBe(false);
  });

  it('writes at once when given a transaction it cannot join', async () => {
    const outbox = createMemoryOutbox();
    const transaction = { technology: 'postgresql', resource: '127.0.0.1:5432/app', handle: {} };
    await outbox.enqueue([outboxMessage()], { transaction });
    expect((await outbox.countByStatus()).pending).toBe(1);
  });

  it('drops every row on close', async () => {
    const outbox = createMemoryOutbox();
    await outbox.enqueue([outboxMessage()]);
    await outbox.close();
    expect((await outbox.countByStatus()).pending).toBe(0);
  });

  it('claims from 100k published rows without scanning them', async () => {
    const outbox = createMemoryOutbox();
    const owner = 'relay-a';
    for (let n = 0; n < 100; n += 1) {
      await outbox.enqueue(Array.from({ length: 1000 }, () => outboxMessage()));
      const rows = await outbox.claim({ owner, limit: 1000, leaseSeconds: 30 });
      await outbox.markPublished(
        rows.map((row) => row.id),
        owner,
      );
    }
    await outbox.enqueue([outboxMessage()]);

    const started = performance.now();
    for (let n = 0; n < 1000; n += 1) await outbox.claim({ owner, limit: 50, leaseSeconds: 30 });
    expect(performance.now() - started).toBeLessThan(500);
  }, 30_000);
});
