import { describe, expect, it } from 'vitest';
import { createMemoryDatabase, createMemoryEventStore } from '../../../src/adapter.js';
import type { NewMessage } from '../../../src/adapter.js';

const message = (stream: string, id: string): NewMessage => ({
  id,
  type: 'Shop.Placed.v1',
  kind: 'EVENT',
  stream,
  data: {},
  metadata: { timestamp: new Date(0).toISOString(), correlationId: id, headers: {} },
});

describe('memory adapters sharing one transaction', () => {
  it('stores events appended in a session only when the session commits', async () => {
    const database = createMemoryDatabase();
    const store = createMemoryEventStore();
    const session = await database.begin();
    await session.records('shop.order').save('o-1', { total: 3 }, 0);
    await store.appendBatch(
      [{ stream: 'shop::order-o-1', messages: [message('shop::order-o-1', 'e-1')] }],
      {
        transaction: session.link,
      },
    );
    expect(await store.readStream('shop::order-o-1')).toEqual([]);
    await session.commit();
    expect((await store.readStream('shop::order-o-1')).map((m) => m.id)).toEqual(['e-1']);
    expect(await database.records('shop.order').get('o-1')).toMatchObject({ version: 1 });
  });

  it('discards events appended in a session that rolls back', async () => {
    const database = createMemoryDatabase();
    const store = createMemoryEventStore();
    const session = await database.begin();
    await store.appendBatch(
      [{ stream: 'shop::order-o-2', messages: [message('shop::order-o-2', 'e-2')] }],
      {
        transaction: session.link,
      },
    );
    await session.rollback();
    expect(await store.readStream('shop::order-o-2')).toEqual([]);
  });

  it('still fails at once when an append in a session conflicts', async () => {
    const database = createMemoryDatabase();
    const store = createMemoryEventStore();
    await store.append('shop::order-o-3', [message('shop::order-o-3', 'e-3')]);
    const session = await database.begin();
    const attempt = store.appendBatch(
      [
        {
          stream: 'shop::order-o-3',
          messages: [message('shop::order-o-3', 'e-4')],
          expectedVersion: 'no_stream',
        },
      ],
      { transaction: session.link },
    );
    await expect(attempt).rejects.toMatchObject({ code: 'EXPECTED_VERSION_ERROR' });
    await session.rollback();
  });
});
