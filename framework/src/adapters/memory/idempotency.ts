import type { MemoryTransactionHandle, TransactionLink } from '../../ports/database.js';
import { checkMarker, markerCleanupOptions } from '../../ports/checks/idempotency.js';
import type { IdempotencyStore } from '../../ports/idempotency.js';

const HOUR_MS = 3_600_000;

const keyOf = (messageId: string, handler: string): string => `${messageId}\u0000${handler}`;

/** The memory transaction of `transaction`, if it is one. */
function memoryHandle(transaction: TransactionLink | undefined) {
  if (transaction?.technology !== 'memory') return undefined;
  return transaction.handle as MemoryTransactionHandle;
}

/** Deletes markers written before `cutoff`, `batchSize` at a time; returns how many. */
function deleteOlder(markers: Map<string, number>, cutoff: number, batchSize: number): number {
  let deleted = 0;
  for (;;) {
    const batch: string[] = [];
    for (const [key, markedAt] of markers) {
      if (markedAt < cutoff) batch.push(key);
      if (batch.length === batchSize) break;
    }
    batch.forEach((key) => markers.delete(key));
    deleted += batch.length;
    if (batch.length < batchSize) return deleted;
  }
}

/**
 * The embedded idempotency store. Inside a memory database transaction, `mark()` answers at once
 * (against committed markers and the transaction's own) and writes the marker when the
 * transaction commits. Unlike PostgreSQL, two memory transactions open at the same time may both
 * mark the same pair (memory cannot wait for the other to end); the memory database's row locks
 * still keep their effects from both committing on the same record. `close()` drops every marker.
 *
 * @example
 * const markers = createMemoryIdempotencyStore();
 * const session = await database.begin();
 * if (await markers.mark(message.id, 'BookProjector', { transaction: session.link })) {
 *   await applyEffect(session, message);
 * }
 * await session.commit();
 */
export function createMemoryIdempotencyStore(): IdempotencyStore {
  let markers = new Map<string, number>();
  /** Markers written inside transactions that have not committed yet. */
  const staged = new WeakMap<MemoryTransactionHandle, Set<string>>();
  const stagedIn = (handle: MemoryTransactionHandle): Set<string> => {
    let keys = staged.get(handle);
    if (!keys) staged.set(handle, (keys = new Set()));
    return keys;
  };
  const clear = async (): Promise<void> => {
    markers = new Map();
  };
  return {
    provider: 'memory',
    start: async () => {},
    close: clear,
    setup: async () => {},
    truncate: clear,
    drop: clear,
    canJoin: (transaction) => transaction.technology === 'memory',
    async mark(messageId, handler, options = {}) {
      checkMarker(messageId, handler);
      const key = keyOf(messageId, handler);
      const markedAt = (options.now ?? new Date()).getTime();
      if (markers.has(key)) return false;
      const handle = memoryHandle(options.transaction);
      if (!handle) {
        markers.set(key, markedAt);
        return true;
      }
      const keys = stagedIn(handle);
      if (keys.has(key)) return false;
      keys.add(key);
      handle.afterCommit(() => {
        if (!markers.has(key)) markers.set(key, markedAt);
      });
      return true;
    },
    async has(messageId, handler, options = {}) {
      checkMarker(messageId, handler);
      const key = keyOf(messageId, handler);
      const handle = memoryHandle(options.transaction);
      return markers.has(key) || (handle !== undefined && stagedIn(handle).has(key));
    },
    async cleanup(options) {
      const { retentionHours, batchSize, now } = markerCleanupOptions(options);
      const cutoff = (now ?? new Date()).getTime() - retentionHours * HOUR_MS;
      return deleteOlder(markers, cutoff, batchSize);
    },
  };
}
