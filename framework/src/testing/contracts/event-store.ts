/**
 * The EventStore port's contract: one suite, run against every adapter (memory, PostgreSQL, ...),
 * written against the port only. Loads vitest (an optional peer dependency of protean-ts).
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {
  EventStore,
  EventStoreCapabilities,
  ExpectedVersion,
  NewMessage,
  StoredMessage,
} from '../../ports/event-store.js';

/** Options of {@link eventStoreContract}. */
export interface EventStoreContractOptions {
  /**
   * The capabilities the adapter declares. Cases of a capability declared `false` are skipped
   * with the reason in their name, and the suite checks the store declares the same.
   * @defaultValue every capability `true`
   */
  capabilities?: Partial<EventStoreCapabilities>;
}

const BOOK = 'bookshelf::book';
const BOOK_1 = 'bookshelf::book-1';
const BOOK_2 = 'bookshelf::book-2';
const BOOK_COMMAND_1 = 'bookshelf::book:command-1';
const BOOKMARK_1 = 'bookshelf::bookmark-1';

/** A fresh event message for `stream`, with a unique id. */
function message(stream: string, data: Record<string, unknown> = {}): NewMessage {
  return {
    id: randomUUID(),
    type: 'Bookshelf.BookAdded.v1',
    kind: 'EVENT',
    stream,
    data,
    metadata: { timestamp: '2025-01-01T00:00:00.000Z', correlationId: 'corr-1', headers: {} },
  };
}

function messages(stream: string, count: number): NewMessage[] {
  return Array.from({ length: count }, (_, n) => message(stream, { n }));
}

/** The store of the running test (each test gets a fresh one). */
type CurrentStore = () => EventStore;

/** Appends `count` fresh messages to `stream`; resolves with them once stored. */
async function append(
  store: EventStore,
  stream: string,
  count: number,
  expectedVersion?: ExpectedVersion,
): Promise<NewMessage[]> {
  const appended = messages(stream, count);
  await store.append(stream, appended, { expectedVersion });
  return appended;
}

const ids = (list: readonly { id: string }[]) => list.map(({ id }) => id);

/** Matches the `ExpectedVersionError` a rejected append throws (-1 standing for no stream). */
const versionError = (expected: number, actual: number) => ({
  name: 'ExpectedVersionError',
  code: 'EXPECTED_VERSION_ERROR',
  expected,
  actual,
});

/** Every message of `category`, read batch after batch from the last global position + 1. */
async function readWholeCategory(store: EventStore, category: string, batchSize: number) {
  const read: StoredMessage[] = [];
  for (let from = 1; ;) {
    const batch = await store.readCategory(category, { fromGlobalPosition: from, batchSize });
    expect(batch.length).toBeLessThanOrEqual(batchSize);
    if (batch.length === 0) return read;
    read.push(...batch);
    from = (batch.at(-1)?.metadata.globalPosition ?? 0) + 1;
  }
}

function streamCases(current: CurrentStore): void {
  describe('appending and reading a stream', () => {
    it('reads a stream back in order with positions 0, 1, 2', async () => {
      const appended = messages(BOOK_1, 3);
      const result = await current().append(BOOK_1, appended);

      const read = await current().readStream(BOOK_1);
      expect(ids(read)).toEqual(ids(appended));
      expect(read.map((m) => m.metadata.position)).toEqual([0, 1, 2]);
      expect(read.map((m) => m.data)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
      expect(result.positions.map((p) => p.position)).toEqual([0, 1, 2]);
      expect(result).toMatchObject({ stream: BOOK_1, position: 2 });
      expect(result.globalPosition).toBe(read[2]?.metadata.globalPosition);
    });

    it('numbers global positions from 1, strictly increasing across streams', async () => {
      const appended: { stream: string; globalPosition: number }[] = [];
      for (const stream of [BOOK_1, BOOKMARK_1, BOOK_1, BOOK_2]) {
        const { positions } = await current().append(stream, messages(stream, 2));
        appended.push(...positions.map(({ globalPosition }) => ({ stream, globalPosition })));
      }

      const globals = appended.map((a) => a.globalPosition);
      expect(globals[0]).toBe(1);
      expect(globals).toEqual([...new Set(globals)].sort((a, b) => a - b));
      const read = (await current().readStream(BOOK_1)).map((m) => m.metadata.globalPosition);
      expect(read).toEqual(
        appended.filter((a) => a.stream === BOOK_1).map((a) => a.globalPosition),
      );
    });

    it('reads from a position, at most maxCount messages', async () => {
      await append(current(), BOOK_1, 5);
      const positions = async (fromPosition?: number, maxCount?: number) => {
        const read = await current().readStream(BOOK_1, { fromPosition, maxCount });
        return read.map((m) => m.metadata.position);
      };

      expect(await positions(2)).toEqual([2, 3, 4]);
      expect(await positions(0, 2)).toEqual([0, 1]);
      expect(await positions(3, 5)).toEqual([3, 4]);
      expect(await positions(1, 0)).toEqual([]);
      expect(await positions(9)).toEqual([]);
    });

    it('reports the version and the last message of a stream', async () => {
      const appended = await append(current(), BOOK_1, 3);

      expect(await current().streamVersion(BOOK_1)).toBe(2);
      const last = await current().readLast(BOOK_1);
      expect(last?.id).toBe(appended[2]?.id);
      expect(last?.metadata.position).toBe(2);
    });

    it('reads a missing stream as empty, at version -1, with no last message', async () => {
      expect(await current().readStream(BOOK_1)).toEqual([]);
      expect(await current().streamVersion(BOOK_1)).toBe(-1);
      expect(await current().readLast(BOOK_1)).toBeUndefined();
    });

    it('rejects bad arguments with INCORRECT_USAGE and stores nothing', async () => {
      const store = current();
      const calls = [
        () => store.append(BOOK_1, []),
        () => store.append(BOOK_1, [message(BOOK_2)]),
        () => append(store, BOOK_1, 1, -2),
        () => store.readStream(BOOK_1, { maxCount: -1 }),
        () => store.readCategory(BOOK, { batchSize: 0 }),
        () => store.readCategory(BOOK_1),
      ];
      for (const call of calls) {
        await expect(call()).rejects.toMatchObject({ code: 'INCORRECT_USAGE' });
      }
      expect(await store.streamVersion(BOOK_1)).toBe(-1);
    });
  });
}

function categoryCases(current: CurrentStore): void {
  describe('reading a category', () => {
    async function appendInterleaved(): Promise<void> {
      const streams = [BOOK_1, BOOKMARK_1, BOOK_COMMAND_1, BOOK_2, BOOK_1, BOOKMARK_1, BOOK_2];
      for (const stream of streams) await append(current(), stream, 1);
    }
    const streamsOf = async (category: string) =>
      (await current().readCategory(category)).map((m) => m.stream);

    it('returns the messages of that category only, in global order', async () => {
      await appendInterleaved();
      const book = await current().readCategory(BOOK);

      expect(book.map((m) => m.stream)).toEqual([BOOK_1, BOOK_2, BOOK_1, BOOK_2]);
      const globals = book.map((m) => m.metadata.globalPosition);
      expect(globals).toEqual([...globals].sort((a, b) => a - b));
      expect(await streamsOf(`${BOOK}:command`)).toEqual([BOOK_COMMAND_1]);
      expect(await streamsOf('bookshelf::bookmark')).toEqual([BOOKMARK_1, BOOKMARK_1]);
      expect(await streamsOf('bookshelf::author')).toEqual([]);
    });

    it('reads from a global position, that one included', async () => {
      await appendInterleaved();
      const all = await current().readCategory(BOOK);
      const fromGlobalPosition = all[2]?.metadata.globalPosition;

      const read = await current().readCategory(BOOK, { fromGlobalPosition });
      expect(ids(read)).toEqual(ids(all.slice(2)));
    });

    it('visits every message exactly once when read batch after batch', async () => {
      const appended: NewMessage[] = [];
      for (let round = 0; round < 8; round += 1) {
        for (const stream of [BOOK_1, BOOK_2, BOOKMARK_1, BOOK_COMMAND_1]) {
          const batch = await append(current(), stream, 1 + (round % 3));
          if (stream === BOOK_1 || stream === BOOK_2) appended.push(...batch);
        }
      }

      expect(ids(await readWholeCategory(current(), BOOK, 5))).toEqual(ids(appended));
      expect(ids(await readWholeCategory(current(), BOOK, 1))).toEqual(ids(appended));
    });
  });
}

function expectedVersionCases(current: CurrentStore): void {
  describe('expected version', () => {
    it('appends when a numeric expected version matches the stream version', async () => {
      await append(current(), BOOK_1, 1);
      const second = await current().append(BOOK_1, messages(BOOK_1, 2), { expectedVersion: 0 });
      const third = await current().append(BOOK_1, messages(BOOK_1, 1), { expectedVersion: 2 });
      expect([second.position, third.position]).toEqual([2, 3]);
    });

    it('throws ExpectedVersionError on a mismatch and stores nothing', async () => {
      await append(current(), BOOK_1, 2);

      await expect(append(current(), BOOK_1, 1, 0)).rejects.toMatchObject(versionError(0, 1));
      await expect(append(current(), BOOK_2, 1, 3)).rejects.toMatchObject(versionError(3, -1));
      expect(await current().streamVersion(BOOK_1)).toBe(1);
      expect(await current().readStream(BOOK_2)).toEqual([]);
    });

    it("appends with 'no_stream' (or -1) to a new stream only; never checks 'any'", async () => {
      await append(current(), BOOK_1, 1, 'no_stream');
      await append(current(), BOOK_2, 1, -1);

      await expect(append(current(), BOOK_1, 1, 'no_stream')).rejects.toMatchObject(
        versionError(-1, 0),
      );
      await expect(append(current(), BOOK_2, 1, -1)).rejects.toMatchObject(versionError(-1, 0));
      await append(current(), BOOK_1, 1, 'any');
      expect(await current().streamVersion(BOOK_1)).toBe(1);
      expect(await current().streamVersion(BOOK_2)).toBe(0);
    });

    it('lets exactly one of two concurrent appends at the same expected version succeed', async () => {
      await append(current(), BOOK_1, 1);
      const [a, b] = [messages(BOOK_1, 2), messages(BOOK_1, 2)];
      const results = await Promise.allSettled(
        [a, b].map((batch) => current().append(BOOK_1, batch, { expectedVersion: 0 })),
      );

      const rejected = results.filter((r) => r.status === 'rejected');
      expect(rejected).toHaveLength(1);
      expect(rejected[0]?.reason).toMatchObject(versionError(0, 2));
      const winner = results[0]?.status === 'fulfilled' ? a : b;
      expect(ids((await current().readStream(BOOK_1)).slice(1))).toEqual(ids(winner));
    });
  });
}

function batchCases(current: CurrentStore, name: string, atomicBatch: boolean): void {
  describe('appending to several streams at once', () => {
    it('appends to every stream of the batch, one result per stream', async () => {
      const [one, two] = [messages(BOOK_1, 2), messages(BOOK_2, 1)];
      const results = await current().appendBatch([
        { stream: BOOK_1, messages: one, expectedVersion: 'no_stream' },
        { stream: BOOK_2, messages: two, expectedVersion: -1 },
      ]);

      expect(results.map((r) => `${r.stream}@${r.position}`)).toEqual([
        `${BOOK_1}@1`,
        `${BOOK_2}@0`,
      ]);
      expect(ids(await current().readCategory(BOOK))).toEqual(ids([...one, ...two]));
    });

    it('checks every expected version before writing: one mismatch stores nothing', async () => {
      const batch = current().appendBatch([
        { stream: BOOK_1, messages: messages(BOOK_1, 2), expectedVersion: 'no_stream' },
        { stream: BOOKMARK_1, messages: messages(BOOKMARK_1, 1) },
        { stream: BOOK_2, messages: messages(BOOK_2, 1), expectedVersion: 0 },
      ]);

      await expect(batch).rejects.toMatchObject(versionError(0, -1));
      expect(await current().readCategory(BOOK)).toEqual([]);
      expect(await current().streamVersion(BOOKMARK_1)).toBe(-1);
    });

    it('rejects a batch naming the same stream twice', async () => {
      const batch = [BOOK_1, BOOK_1].map((stream) => ({ stream, messages: messages(stream, 1) }));
      await expect(current().appendBatch(batch)).rejects.toMatchObject({ code: 'INCORRECT_USAGE' });
      expect(await current().streamVersion(BOOK_1)).toBe(-1);
    });

    const skipped = atomicBatch ? '' : ` (skipped: ${name} declares atomicBatch: false)`;
    it.skipIf(!atomicBatch)(
      `stores nothing of a batch whose last message fails${skipped}`,
      async () => {
        const [stored] = await append(current(), BOOK_2, 1);
        const duplicate = { ...message(BOOKMARK_1), id: stored?.id ?? '' };

        const batch = current().appendBatch([
          { stream: BOOK_1, messages: messages(BOOK_1, 2) },
          { stream: BOOKMARK_1, messages: [message(BOOKMARK_1), duplicate] },
        ]);
        await expect(batch).rejects.toMatchObject({ code: 'DUPLICATE_MESSAGE' });
        expect(await current().streamVersion(BOOK_1)).toBe(-1);
        expect(await current().streamVersion(BOOKMARK_1)).toBe(-1);
      },
    );
  });
}

function messageCases(current: CurrentStore): void {
  describe('messages', () => {
    it('round-trips the envelope and its metadata', async () => {
      const { metadata: _, ...envelope } = message(BOOK_1, {
        title: 'Dune',
        price: { amount: 10 },
      });
      const metadata = {
        timestamp: '2025-02-03T04:05:06.789Z',
        correlationId: 'corr-42',
        causationId: 'cause-7',
        aggregateVersion: 3,
        headers: { traceparent: '00-abc-def-01', tenant: 'north' },
      };
      const { globalPosition } = await current().append(BOOK_1, [{ ...envelope, metadata }]);

      const [read] = await current().readStream(BOOK_1);
      expect(read).toEqual({ ...envelope, metadata: { ...metadata, position: 0, globalPosition } });
      expect(await current().readLast(BOOK_1)).toEqual(read);
    });

    it('copies messages in and out', async () => {
      const sent = message(BOOK_1, { title: 'Dune', nested: { pages: 412 } });
      await current().append(BOOK_1, [sent]);
      (sent.data.nested as { pages: number }).pages = 1;
      sent.metadata.headers.added = 'later';

      const [first] = await current().readStream(BOOK_1);
      (first?.data.nested as { pages: number }).pages = 2;
      const last = await current().readLast(BOOK_1);
      if (last) last.metadata.position = 99;

      const [again] = await current().readCategory(BOOK);
      expect(again?.data).toEqual({ title: 'Dune', nested: { pages: 412 } });
      expect(again?.metadata.headers).toEqual({});
      expect(again?.metadata.position).toBe(0);
    });

    it('stores data as JSON: a Date comes back as its ISO string', async () => {
      const at = new Date('2025-03-04T05:06:07.000Z');
      await current().append(BOOK_1, [message(BOOK_1, { at })]);
      expect((await current().readLast(BOOK_1))?.data).toEqual({ at: at.toISOString() });
    });

    it('rejects a message id already stored with DUPLICATE_MESSAGE, storing nothing', async () => {
      const [first] = await append(current(), BOOK_1, 1);
      const again = { ...message(BOOK_2), id: first?.id ?? '' };

      const rejection = current().append(BOOK_2, [message(BOOK_2), again]);
      await expect(rejection).rejects.toMatchObject({ code: 'DUPLICATE_MESSAGE' });
      expect(await current().streamVersion(BOOK_2)).toBe(-1);
    });
  });
}

/**
 * Declares the EventStore contract as vitest `describe`/`it` blocks. Each test gets a store from
 * `makeStore()` (not yet started, holding no messages), starts it, and closes it afterwards.
 * Cases of a capability declared `false` are reported as skipped, with the reason in their name.
 *
 * @example
 * ```ts
 * // framework/tests/adapters/memory/event-store.unit.spec.ts
 * eventStoreContract('memory', async () => createMemoryEventStore());
 * ```
 */
export function eventStoreContract(
  name: string,
  makeStore: () => Promise<EventStore>,
  options: EventStoreContractOptions = {},
): void {
  const capabilities: EventStoreCapabilities = { atomicBatch: true, ...options.capabilities };

  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore | undefined;
    const current: CurrentStore = () => {
      if (!store) throw new Error('The event store of this test was not created.');
      return store;
    };
    beforeEach(async () => {
      store = await makeStore();
      await store.start();
    });
    afterEach(async () => {
      await store?.close();
      store = undefined;
    });

    it('declares the capabilities the suite was told about', () => {
      expect(current().capabilities).toEqual(capabilities);
      expect(current().provider).toEqual(expect.any(String));
    });
    it('answers ping once started, and rejects it, saying why, once closed', async () => {
      await expect(current().ping()).resolves.toBeUndefined();
      await current().close();
      await expect(current().ping()).rejects.toThrow(/closed/);
    });
    streamCases(current);
    categoryCases(current);
    expectedVersionCases(current);
    batchCases(current, name, capabilities.atomicBatch);
    messageCases(current);
  });
}
