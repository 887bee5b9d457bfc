import { categoryOf } from '../../core/envelope.js';
import { IncorrectUsageError, ProteanError } from '../../core/errors.js';
import type { MemoryTransactionHandle } from '../../ports/database.js';
import {
  checkAppends,
  checkExpectedVersion,
  readCategoryOptions,
  readStreamOptions,
} from '../../ports/checks/event-store.js';
import type {
  AppendResult,
  EventStore,
  NewMessage,
  StoredMessage,
  StoredPosition,
  StreamAppend,
} from '../../ports/event-store.js';

/**
 * One stored message. Kept as its JSON text, so nothing a caller does to an object it appended or
 * read can reach it, and data round-trips exactly as through PostgreSQL's JSONB.
 */
interface Entry extends StoredPosition {
  readonly json: string;
}

/** A batch that passed every check, serialized and numbered, ready to be pushed. */
interface Prepared {
  readonly stream: string;
  readonly entries: Entry[];
  readonly ids: string[];
}

/** The log's state: per-stream and per-category arrays of the same entries, in global order. */
interface Log {
  readonly streams: Map<string, Entry[]>;
  readonly categories: Map<string, Entry[]>;
  /** Message id -> its stream, to keep ids unique across the store. */
  readonly ids: Map<string, string>;
  lastGlobalPosition: number;
}

function emptyLog(): Log {
  return { streams: new Map(), categories: new Map(), ids: new Map(), lastGlobalPosition: 0 };
}

function versionOf(log: Log, stream: string): number {
  return (log.streams.get(stream)?.length ?? 0) - 1;
}

function checkNoDuplicates(log: Log, appends: readonly StreamAppend[]): void {
  for (const { messages } of appends) {
    for (const { id } of messages) {
      const stream = log.ids.get(id);
      if (stream === undefined) continue;
      throw new ProteanError(
        'DUPLICATE_MESSAGE',
        `Message '${id}' is already stored (in stream '${stream}'); message ids are unique ` +
          'across the event store: give each new message a new id.',
      );
    }
  }
}

/** Picks the envelope's fields (as a table's columns would), positions included, as JSON. */
function serialize(message: NewMessage, position: number, globalPosition: number): string {
  const { id, type, kind, stream, data, metadata } = message;
  const stored = {
    id,
    type,
    kind,
    stream,
    data,
    metadata: { ...metadata, position, globalPosition },
  };
  try {
    return JSON.stringify(stored);
  } catch (error) {
    throw new IncorrectUsageError(
      `Message '${id}' of stream '${stream}' cannot be stored as JSON (${String(error)}); ` +
        'keep data and metadata to JSON values.',
    );
  }
}

/** Numbers and serializes every message; throws before anything is stored. */
function prepare(log: Log, appends: readonly StreamAppend[]): Prepared[] {
  let globalPosition = log.lastGlobalPosition;
  return appends.map(({ stream, messages }) => {
    const first = versionOf(log, stream) + 1;
    const entries = messages.map((message, index) => {
      globalPosition += 1;
      const position = first + index;
      return { position, globalPosition, json: serialize(message, position, globalPosition) };
    });
    return { stream, entries, ids: messages.map(({ id }) => id) };
  });
}

/** Pushes prepared entries; cannot fail, so a batch is stored whole. */
function commit(log: Log, batch: readonly Prepared[]): void {
  for (const { stream, entries, ids } of batch) {
    const streamEntries = getOrCreate(log.streams, stream);
    const categoryEntries = getOrCreate(log.categories, categoryOf(stream));
    for (const entry of entries) {
      streamEntries.push(entry);
      categoryEntries.push(entry);
      log.lastGlobalPosition = entry.globalPosition;
    }
    for (const id of ids) log.ids.set(id, stream);
  }
}

function getOrCreate(map: Map<string, Entry[]>, key: string): Entry[] {
  let entries = map.get(key);
  if (!entries) map.set(key, (entries = []));
  return entries;
}

function resultOf({ stream, entries }: Prepared): AppendResult {
  const positions = entries.map(({ position, globalPosition }) => ({ position, globalPosition }));
  const last = positions.at(-1) ?? { position: -1, globalPosition: 0 };
  return { stream, ...last, positions };
}

/** The index of the first entry at or after `globalPosition` (entries are in global order). */
function lowerBound(entries: readonly Entry[], globalPosition: number): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((entries[middle]?.globalPosition ?? Infinity) < globalPosition) low = middle + 1;
    else high = middle;
  }
  return low;
}

function parse(entries: readonly Entry[]): StoredMessage[] {
  return entries.map(({ json }) => JSON.parse(json) as StoredMessage);
}

/**
 * Checks and stores a batch synchronously: no other append can interleave between the
 * expected-version checks and the writes, which is what makes concurrent appends safe.
 */
function appendAll(log: Log, appends: readonly StreamAppend[], apply = true): AppendResult[] {
  checkAppends(appends);
  for (const { stream, expectedVersion } of appends) {
    checkExpectedVersion(stream, expectedVersion, versionOf(log, stream));
  }
  checkNoDuplicates(log, appends);
  const batch = prepare(log, appends);
  if (apply) commit(log, batch);
  return batch.map(resultOf);
}

/**
 * Inside a memory transaction: checked now, so a conflict fails the unit of work, and written
 * when the transaction commits (checked again then; the unit of work appends with `'any'`).
 */
function appendInTransaction(
  log: () => Log,
  appends: readonly StreamAppend[],
  handle: MemoryTransactionHandle,
): AppendResult[] {
  const provisional = appendAll(log(), appends, false);
  handle.afterCommit(() => void appendAll(log(), appends));
  return provisional;
}

/** Where the store is in its lifecycle: `ping()` answers only between start() and close(). */
type Lifecycle = 'created' | 'started' | 'closed';

/** What `ping()` says outside start() ... close(): the store would not answer a real call. */
function requireStarted(state: Lifecycle): void {
  if (state === 'started') return;
  const why =
    state === 'closed' ? 'is closed: ping() was called after close()' : 'has not been started';
  throw new IncorrectUsageError(`the memory event store ${why}; call start() first.`);
}

/**
 * The embedded event store: streams live in the process, deterministic (global positions count
 * 1, 2, 3, ... in append order) and copied in and out. Appends cost O(1) per message; a category
 * keeps its own index, so `readCategory` costs O(log n + batch) whatever else the store holds.
 * `close()` drops every message; `ping()` resolves between `start()` and `close()` only.
 *
 * @example
 * const store = createMemoryEventStore();
 * await store.start();
 * await store.append('bookshelf::book-42', [bookAdded], { expectedVersion: 'no_stream' });
 * const batch = await store.readCategory('bookshelf::book', { fromGlobalPosition: 1 });
 */
export function createMemoryEventStore(): EventStore {
  let log = emptyLog();
  let state: Lifecycle = 'created';
  return {
    provider: 'memory',
    capabilities: { atomicBatch: true },
    async start() {
      state = 'started';
    },
    async close() {
      state = 'closed';
      log = emptyLog();
    },
    async ping() {
      requireStarted(state);
    },
    async append(stream, messages, options = {}) {
      const [result] = appendAll(log, [{ ...options, stream, messages }]);
      return result as AppendResult;
    },
    canJoin: (link) => link.technology === 'memory',
    async appendBatch(appends, options = {}) {
      const { transaction } = options;
      if (transaction?.technology !== 'memory') return appendAll(log, appends);
      return appendInTransaction(() => log, appends, transaction.handle as MemoryTransactionHandle);
    },
    async readStream(stream, options) {
      const { fromPosition, maxCount } = readStreamOptions(options);
      const entries = log.streams.get(stream) ?? [];
      return parse(entries.slice(fromPosition, fromPosition + maxCount));
    },
    async readCategory(category, options) {
      const { fromGlobalPosition, batchSize } = readCategoryOptions(category, options);
      const entries = log.categories.get(category) ?? [];
      const start = lowerBound(entries, fromGlobalPosition);
      return parse(entries.slice(start, start + batchSize));
    },
    async streamVersion(stream) {
      return versionOf(log, stream);
    },
    async readLast(stream) {
      const last = log.streams.get(stream)?.at(-1);
      return last && (JSON.parse(last.json) as StoredMessage);
    },
  };
}
