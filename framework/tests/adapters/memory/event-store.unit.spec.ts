import { describe, expect, it } from 'vitest';
import { createMemoryEventStore } from '../../../src/adapters/memory/event-store.js';
import type { NewMessage } from '../../../src/ports/event-store.js';
import { eventStoreContract } from '../../../src/testing/contracts/event-store.js';

eventStoreContract('memory', async () => createMemoryEventStore());

function message(stream: string, id: string, data: Record<string, unknown> = {}): NewMessage {
  return {
    id,
    type: 'Bookshelf.BookAdded.v1',
    kind: 'EVENT',
    stream,
    data,
    metadata: { timestamp: '2025-01-01T00:00:00.000Z', correlationId: 'c', headers: {} },
  };
}

describe('memory event store', () => {
  it('names its provider memory and declares every capability', () => {
    const store = createMemoryEventStore();
    expect(store.provider).toBe('memory');
    expect(store.capabilities).toEqual({ atomicBatch: true });
  });

  it('is deterministic: global positions count 1, 2, 3 in append order', async () => {
    const store = createMemoryEventStore();
    await store.append('bookshelf::book-1', [message('bookshelf::book-1', 'a')]);
    const result = await store.appendBatch([
      { stream: 'bookshelf::author-1', messages: [message('bookshelf::author-1', 'b')] },
      { stream: 'bookshelf::book-2', messages: [message('bookshelf::book-2', 'c')] },
    ]);

    expect(result.map((r) => r.globalPosition)).toEqual([2, 3]);
    await store.close();
  });

  it('stores nothing of a batch when a later message is not JSON (a BigInt)', async () => {
    const store = createMemoryEventStore();
    const batch = store.appendBatch([
      { stream: 'bookshelf::book-1', messages: [message('bookshelf::book-1', 'a')] },
      { stream: 'bookshelf::book-2', messages: [message('bookshelf::book-2', 'b', { n: 1n })] },
    ]);

    await expect(batch).rejects.toMatchObject({
      code: 'INCORRECT_USAGE',
      message: expect.stringMatching(
        /Message 'b' of stream 'bookshelf::book-2' cannot be stored as JSON/,
      ),
    });
    expect(await store.readCategory('bookshelf::book')).toEqual([]);
    await store.append('bookshelf::book-3', [message('bookshelf::book-3', 'a')]);
    expect((await store.readLast('bookshelf::book-3'))?.metadata.globalPosition).toBe(1);
    await store.close();
  });

  it('drops every message on close', async () => {
    const store = createMemoryEventStore();
    await store.append('bookshelf::book-1', [message('bookshelf::book-1', 'a')]);
    await store.close();

    expect(await store.streamVersion('bookshelf::book-1')).toBe(-1);
    expect(await store.readCategory('bookshelf::book')).toEqual([]);
  });

  it('says what no stream means in an expected-version error', async () => {
    const store = createMemoryEventStore();
    const append = store.append('bookshelf::book-1', [message('bookshelf::book-1', 'a')], {
      expectedVersion: 4,
    });

    await expect(append).rejects.toThrow(
      "Stream 'bookshelf::book-1' (version -1 means the stream does not exist) was expected at " +
        'version 4 but is at version -1',
    );
  });

  it('reads a 100k-message category batch by batch without scanning the other categories', async () => {
    const store = createMemoryEventStore();
    for (let n = 0; n < 100_000; n += 1) {
      const stream = n % 2 === 0 ? `bookshelf::book-${n % 50}` : `bookshelf::author-${n % 50}`;
      await store.append(stream, [message(stream, `m${n}`)]);
    }

    const started = performance.now();
    let read = 0;
    for (let from = 1; ;) {
      const batch = await store.readCategory('bookshelf::book', { fromGlobalPosition: from });
      if (batch.length === 0) break;
      read += batch.length;
      from = (batch.at(-1)?.metadata.globalPosition ?? 0) + 1;
    }
    const elapsed = performance.now() - started;

    expect(read).toBe(50_000);
    // O(log n + batch) per call: ~500 batches take ~0.2 s (parsing included) on a dev machine;
    // a full scan per batch (500 x 100k) takes ~4 s there.
    expect(elapsed).toBeLessThan(1_500);
    await store.close();
  }, 30_000);
});
