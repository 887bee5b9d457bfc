import { afterEach, describe, expect, it, vi } from 'vitest';
import { BrokerUnavailableError, createInlineBroker } from '../../../src/adapter.js';
import { REPLAY_FOR_HEADER, StreamSubscription } from '../../../src/server/subscriptions/index.js';
import type { StreamSubscriptionInit } from '../../../src/server/subscriptions/index.js';
import { BOOKS, dune, publishBooks, recorderBookshelf } from './recorder.js';
import type { RecorderBookshelf } from './recorder.js';
import {
  drain,
  fakeClock,
  readAll,
  recordingLogger,
  streamSettings,
  withFaults,
} from './helpers.js';

const opened: { close(): Promise<void> }[] = [];
afterEach(async () => {
  for (const resource of opened.splice(0).reverse()) await resource.close();
});

async function bookshelf() {
  const m = await recorderBookshelf();
  opened.push(m.domain);
  return m;
}

type Bookshelf = RecorderBookshelf;

function subscription(m: Bookshelf, handler: string, extra: Partial<StreamSubscriptionInit> = {}) {
  const sub = new StreamSubscription({
    domain: m.domain,
    handler,
    stream: BOOKS,
    settings: streamSettings({ retry_delay_seconds: 0, blocking_timeout_ms: 50 }),
    consumer: `${handler}-test`,
    logger: recordingLogger().logger,
    ...extra,
  });
  opened.push(sub);
  return sub;
}

describe('the stream subscription on the inline broker', () => {
  it('leaves a replayed dead letter to the group it is marked for, acknowledging it elsewhere', async () => {
    const m = await bookshelf();
    const bookId = await m.domain.process<string>(new m.AddBook({ ...dune, title: 'Emma' }));
    const [event] = await m.domain.eventStore.readCategory(BOOKS);
    const headers = { ...event!.metadata.headers, [REPLAY_FOR_HEADER]: 'Recorder' };
    await m.domain.broker.publish(BOOKS, { ...event!, metadata: { ...event!.metadata, headers } });
    const catalog = subscription(m, 'CatalogProjector');
    const recorder = subscription(m, 'Recorder');

    await drain(catalog);
    await drain(recorder);

    expect(m.seen).toEqual([bookId]);
    expect(await m.domain.view(m.BookCatalog).find()).toEqual([]);
    expect(await m.domain.broker.pending(BOOKS, 'CatalogProjector')).toEqual([]);
  });

  it('hands each envelope to its handler and acknowledges it', async () => {
    const m = await bookshelf();
    const ids = await publishBooks(m, ['Dune', 'Emma']);
    const sub = subscription(m, 'CatalogProjector');

    expect(await drain(sub)).toEqual([2]);

    expect((await m.domain.view(m.BookCatalog).find()).map((row) => row.bookId).sort()).toEqual(
      ids.sort(),
    );
    expect(await m.domain.broker.pending(BOOKS, 'CatalogProjector')).toEqual([]);
    expect(sub.status()).toMatchObject({
      type: 'stream',
      processed: 2,
      failed: 0,
      deadLettered: 0,
    });
    expect(sub.status().lastId).toBeDefined();
    expect(await sub.lag()).toBe(0);
  });

  it('moves a message to the DLQ after max_retries failed deliveries, acks the source, and others keep flowing', async () => {
    const m = await bookshelf();
    const { clock, sleeps } = fakeClock();
    const { logger, lines } = recordingLogger();
    const [poison, emma] = await publishBooks(m, ['Poison', 'Emma']);
    const settings = streamSettings({ max_retries: 3, retry_delay_seconds: 1 });
    const sub = subscription(m, 'Recorder', { settings, clock, logger });

    await drain(sub);

    expect(m.seen).toEqual([emma]);
    expect(sleeps).toEqual([1000, 1000]);
    expect(await m.domain.broker.pending(BOOKS, 'Recorder')).toEqual([]);
    const [letter, ...others] = await readAll(m.domain.broker, `${BOOKS}:dlq`);
    expect(others).toEqual([]);
    expect(letter).toMatchObject({
      stream: BOOKS,
      id: expect.any(String),
      group: 'Recorder',
      consumer: 'Recorder-test',
      error: 'Recorder cannot stomach this book',
      failedAt: new Date(clock.now()).toISOString(),
      attempts: 3,
      payload: { type: m.BookAdded.meta.type, data: { bookId: poison } },
    });
    expect(sub.status()).toMatchObject({ processed: 1, failed: 3, deadLettered: 1 });
    expect(lines.filter((line) => line.level === 'error')).toHaveLength(1);
  });

  it('dead-letters a payload that is not an envelope at once, with the parse error', async () => {
    const m = await bookshelf();
    await m.domain.broker.publish(BOOKS, { hello: 'world' });
    const sub = subscription(m, 'CatalogProjector');

    expect(await drain(sub)).toEqual([1]);

    const [letter] = await readAll(m.domain.broker, `${BOOKS}:dlq`);
    expect(letter).toMatchObject({
      errorCode: 'MALFORMED_MESSAGE',
      error: expect.stringContaining('missing or invalid id, type, stream, kind'),
      attempts: 1,
      payload: { hello: 'world' },
    });
    expect(await m.domain.broker.pending(BOOKS, 'CatalogProjector')).toEqual([]);
  });

  it('acknowledges and logs what it gives up on when enable_dlq is off', async () => {
    const m = await bookshelf();
    const { logger, lines } = recordingLogger();
    await publishBooks(m, ['Poison']);
    const settings = streamSettings({ max_retries: 2, retry_delay_seconds: 0, enable_dlq: false });
    const sub = subscription(m, 'Recorder', { settings, logger });

    await drain(sub);

    expect(await m.domain.broker.streamLength(`${BOOKS}:dlq`)).toBe(0);
    expect(await m.domain.broker.pending(BOOKS, 'Recorder')).toEqual([]);
    expect(lines.find((line) => line.level === 'error')?.message).toMatch(/enable_dlq = false/);
  });

  it('splits the work between two consumers of one group, each message handled once', async () => {
    const m = await bookshelf();
    const ids = await publishBooks(m, ['A', 'B', 'C', 'D', 'E', 'F']);
    const settings = streamSettings({ messages_per_tick: 2 });
    const one = subscription(m, 'Recorder', { settings, consumer: 'recorder-1' });
    const two = subscription(m, 'Recorder', { settings, consumer: 'recorder-2' });

    await drain(one, two);

    expect([...m.seen].sort()).toEqual([...ids].sort());
    expect(one.status().processed).toBeGreaterThan(0);
    expect(two.status().processed).toBeGreaterThan(0);
    expect(one.status().processed + two.status().processed).toBe(6);
  });

  it("claims a dead consumer's pending entries once idle for claim_idle_ms, carrying the cursor", async () => {
    const m = await bookshelf();
    const { clock, advance } = fakeClock();
    const broker = createInlineBroker({ now: () => clock.now() });
    await broker.start();
    opened.push(broker);
    await broker.ensureGroup(BOOKS, 'Recorder');
    const ids = await publishBooks(m, ['A', 'B', 'C', 'D', 'E'], broker);
    await broker.readGroup(BOOKS, 'Recorder', 'recorder-dead', { count: 10 }); // and it dies
    const { logger, lines } = recordingLogger();
    const settings = streamSettings({ messages_per_tick: 2, claim_idle_ms: 1000 });
    const alive = subscription(m, 'Recorder', { broker, settings, clock, logger });

    expect(await drain(alive)).toEqual([]);
    advance(1000);

    expect(await drain(alive)).toEqual([2, 2, 1]);
    expect([...m.seen].sort()).toEqual([...ids].sort());
    expect(await broker.pending(BOOKS, 'Recorder')).toEqual([]);
    expect(lines.filter((line) => line.message.startsWith('claimed'))).toHaveLength(3);
  });

  it('acknowledges own pending entries that were trimmed away, with a warning', async () => {
    const m = await bookshelf();
    await m.domain.broker.ensureGroup(BOOKS, 'Recorder');
    await publishBooks(m, ['A']);
    await m.domain.broker.readGroup(BOOKS, 'Recorder', 'Recorder-test'); // before a restart
    await m.domain.broker.trim(BOOKS, { maxLength: 0 });
    const { logger, lines } = recordingLogger();
    const sub = subscription(m, 'Recorder', { logger });

    expect(await drain(sub)).toEqual([1]);

    expect(m.seen).toEqual([]);
    expect(await m.domain.broker.pending(BOOKS, 'Recorder')).toEqual([]);
    expect(lines.some((line) => line.level === 'warn' && /trimmed/.test(line.message))).toBe(true);
  });

  it('backs off when the broker is unavailable, then reads its own pending entries again', async () => {
    const m = await bookshelf();
    const ids = await publishBooks(m, ['A', 'B']);
    const real = m.domain.broker;
    let lose = true;
    const broker = withFaults(real, {
      // Delivers the new entries, then fails as a connection dropped mid-reply would.
      readGroup: async (stream, group, consumer, options) => {
        const entries = await real.readGroup(stream, group, consumer, options);
        if (!lose || options?.pending) return entries;
        lose = false;
        throw new BrokerUnavailableError(
          'redis://127.0.0.1:6379',
          'Redis did not complete XREADGROUP (reset)',
        );
      },
    });
    const { clock, sleeps } = fakeClock();
    const { logger, lines } = recordingLogger();
    const sub = subscription(m, 'Recorder', { broker, clock, logger });

    expect(await sub.tick()).toBe(0);
    expect(sleeps).toEqual([100]);
    expect(lines.find((line) => line.level === 'error')?.message).toMatch(/unavailable/);

    expect(await drain(sub)).toEqual([2]);
    expect([...m.seen].sort()).toEqual([...ids].sort());
  });

  it('rejects from a crashed cycle, and the next cycle re-reads its own pending entries first', async () => {
    const m = await bookshelf();
    const [bookId] = await publishBooks(m, ['A']);
    const real = m.domain.broker;
    let failAck = true;
    const broker = withFaults(real, {
      ack: async (...args) => {
        if (!failAck) return real.ack(...args);
        failAck = false;
        throw new Error('unexpected reply to XACK');
      },
    });
    const sub = subscription(m, 'Recorder', { broker });

    await expect(sub.tick()).rejects.toThrow('unexpected reply to XACK');
    expect(await drain(sub)).toEqual([1]);

    expect(m.seen).toEqual([bookId, bookId]); // at-least-once: idempotent handlers see it once
    expect(await real.pending(BOOKS, 'Recorder')).toEqual([]);
  });

  it('runs with blocking reads until closed', async () => {
    const m = await bookshelf();
    const sub = subscription(m, 'Recorder');
    await sub.start();
    const running = sub.run();
    await publishBooks(m, ['A']);

    await vi.waitFor(() => expect(m.seen).toHaveLength(1), { timeout: 2000 });
    await sub.close();
    await running;
    expect(await m.domain.broker.pending(BOOKS, 'Recorder')).toEqual([]);
  });
});
