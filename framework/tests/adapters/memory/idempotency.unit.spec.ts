import { describe, expect, it } from 'vitest';
import { createMemoryDatabase } from '../../../src/adapters/memory/database.js';
import { createMemoryIdempotencyStore } from '../../../src/adapters/memory/idempotency.js';
import { idempotencyContract } from '../../../src/testing/contracts/idempotency.js';

idempotencyContract('memory', async () => createMemoryIdempotencyStore(), {
  transaction: () => createMemoryDatabase().begin(),
});

describe('memory idempotency store', () => {
  it('names its provider memory and joins memory transactions only', () => {
    const markers = createMemoryIdempotencyStore();
    expect(markers.provider).toBe('memory');
    expect(markers.canJoin({ technology: 'memory', resource: 'memory', handle: {} })).toBe(true);
    const postgres = { technology: 'postgresql', resource: '127.0.0.1:5432/app', handle: {} };
    expect(markers.canJoin(postgres)).toBe(false);
  });

  it('drops every marker on close', async () => {
    const markers = createMemoryIdempotencyStore();
    await markers.mark('m-1', 'BookProjector');
    await markers.close();
    expect(await markers.has('m-1', 'BookProjector')).toBe(false);
  });
});
