import { afterEach, describe, expect, it } from 'vitest';
import { createInlineBroker } from '../../src/adapters/memory/broker.js';
import { createMemoryOutbox } from '../../src/adapters/memory/outbox.js';
import { defaultConfig } from '../../src/config/defaults.js';
import type { OutboxConfig } from '../../src/config/types.js';
import { IncorrectUsageError } from '../../src/core/errors.js';
import { T0, event } from './events.js';
import { OutboxProcessor, type OutboxProcessorOptions } from '../../src/outbox/processor.js';
import type { Broker, BrokerPayload } from '../../src/ports/broker.js';
import type { Logger } from '../../src/ports/logger.js';
import { createBookshelf, ready } from '../fixtures/bookshelf.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

function recordingLogger() {
  const lines: { level: string; message: string; fields?: Record<string, unknown> }[] = [];
  const at = (level: string) => (message: string, fields?: Record<string, unknown>) => {
    lines.push({ level, message, ...(fields ? { fields } : {}) });
  };
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  return { lines, logger };
}

/** The inline broker, with `publish` replaced: the wrapper the brief of each test needs. */
function withPublish(
  broker: Broker,
  publish: (stream: string, payload: BrokerPayload) => Promise<string>,
): Broker {
  return new Proxy(broker, {
    get(target, property) {
      if (property === 'publish') return publish;
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

type Setup = Partial<Omit<OutboxConfig, 'retry'>> & { retry?: Partial<OutboxConfig['retry']> };

async function setup(overrides: Setup = {}, options: Partial<OutboxProcessorOptions> = {}) {
  let now = T0;
  const clock = { now: () => now, advance: (seconds: number) => void (now += seconds * 1000) };
  const outbox = createMemoryOutbox();
  const inline = createInlineBroker({ now: clock.now });
  await Promise.all([outbox.start(), inline.start()]);
  const base = defaultConfig().outbox;
  const config = {
    ...base,
    ...overrides,
    retry: { ...base.retry, jitter: false, ...overrides.retry },
  };
  const { lines, logger } = recordingLogger();
  const processor = new OutboxProcessor({
    ...{ outbox, broker: inline, config, owner: 'relay-1', clock: clock.now, logger },
    ...options,
  });
  closers.push(
    () => outbox.close(),
    () => inline.close(),
    () => processor.close(),
  );
  const enqueue = (...streams: string[]) =>
    outbox.enqueue(streams.map(event), { now: new Date(now) });
  return { clock, outbox, inline, processor, lines, enqueue };
}

/** Every payload id on `stream`, read through a fresh consumer group. */
async function readStream(broker: Broker, stream: string): Promise<unknown[]> {
  await broker.ensureGroup(stream, 'Auditor');
  const entries = await broker.readGroup(stream, 'Auditor', 'auditor-1', { count: 100 });
  return entries.map((entry) => entry.payload?.['id']);
}

describe('the outbox processor, one tick at a time', () => {
  it('publishes pending rows to the category stream of each message and marks them published', async () => {
    const { outbox, inline, processor, lines, enqueue } = await setup();
    await enqueue('bookshelf::book-1', 'bookshelf::order-7', 'bookshelf::book-2');

    expect(await processor.tick()).toBe(3);

    expect(await readStream(inline, 'bookshelf::book')).toEqual([
      'evt:bookshelf::book-1',
      'evt:bookshelf::book-2',
    ]);
    expect(await readStream(inline, 'bookshelf::order')).toEqual(['evt:bookshelf::order-7']);
    expect(await outbox.countByStatus()).toMatchObject({ published: 3, processing: 0 });
    expect(processor.stats).toMatchObject({ published: 3, failed: 0, ticks: 1, running: false });
    expect(processor.stats.lastTickAt).toEqual(new Date(T0));
    expect(lines.filter((line) => line.level === 'debug')).toHaveLength(3);
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'info', message: 'outbox batch' }),
    );
  });

  it('returns 0 when there is no work', async () => {
    const { processor } = await setup();
    expect(await processor.tick()).toBe(0);
  });

  it('drains the outbox a domain filled while processing commands', async () => {
    const m = createBookshelf({ enable_outbox: true, event_processing: 'async' });
    await ready(m.domain);
    closers.push(() => m.domain.close());
    const book = { title: 'Dune', author: 'Frank Herbert', isbn: '9780441172719', price: 9.99 };
    const bookId = await m.domain.process<string>(new m.AddBook(book));
    const { outbox, broker, config } = m.domain;
    const processor = new OutboxProcessor({ outbox, broker, config: config.outbox, owner: 'r' });

    expect(await processor.tick()).toBe(1);

    await broker.ensureGroup('bookshelf::book', 'Catalog');
    const [entry] = await broker.readGroup('bookshelf::book', 'Catalog', 'catalog-1');
    expect(entry?.payload).toMatchObject({
      type: 'Bookshelf.BookAdded.v1',
      stream: `bookshelf::book-${bookId}`,
    });
    await processor.close();
  });

  it('marks a row failed when the broker refuses it, and publishes it on a retry after the backoff', async () => {
    const s = await setup();
    let failures = 2;
    const broker = withPublish(s.inline, async (stream, payload) => {
      if (failures-- > 0) throw new Error('broker unavailable');
      return s.inline.publish(stream, payload);
    });
    const processor = new OutboxProcessor({
      ...{ outbox: s.outbox, broker, owner: 'relay-2', clock: s.clock.now },
      config: { ...defaultConfig().outbox, retry: { ...defaultConfig().outbox.retry } },
      random: () => 0.5, // the middle of the jitter: exactly base * 2^n
    });
    closers.push(() => processor.close());
    await s.enqueue('bookshelf::book-1');

    expect(await processor.tick()).toBe(1);
    expect(await s.outbox.countByStatus()).toMatchObject({ failed: 1, published: 0 });
    expect(await processor.tick()).toBe(0); // not due yet
    s.clock.advance(1);
    expect(await processor.tick()).toBe(1); // second failure: next retry in 2 s
    s.clock.advance(1.9);
    expect(await processor.tick()).toBe(0);
    s.clock.advance(0.1);
    expect(await processor.tick()).toBe(1);

    expect(await s.outbox.countByStatus()).toMatchObject({ failed: 0, published: 1 });
    expect(await readStream(s.inline, 'bookshelf::book')).toEqual(['evt:bookshelf::book-1']);
    expect(processor.stats).toMatchObject({ failed: 2, published: 1, abandoned: 0 });
  });

  it('abandons a row after max_attempts and keeps publishing the others', async () => {
    const s = await setup();
    const broker = withPublish(s.inline, async (stream, payload) => {
      if (stream === 'bookshelf::poison') throw new Error('message too large');
      return s.inline.publish(stream, payload);
    });
    const { logger, lines } = recordingLogger();
    const config = {
      ...defaultConfig().outbox,
      retry: { ...defaultConfig().outbox.retry, jitter: false },
    };
    const processor = new OutboxProcessor({
      ...{ outbox: s.outbox, broker, config, owner: 'relay-2', clock: s.clock.now, logger },
    });
    closers.push(() => processor.close());
    await s.enqueue('bookshelf::poison-1', 'bookshelf::book-1');

    expect(await processor.tick()).toBe(2);
    s.clock.advance(1);
    await s.enqueue('bookshelf::book-2');
    expect(await processor.tick()).toBe(2);
    s.clock.advance(2);
    expect(await processor.tick()).toBe(1);
    s.clock.advance(3600);
    expect(await processor.tick()).toBe(0);

    const [abandoned] = await s.outbox.listAbandoned();
    expect(abandoned).toMatchObject({ attempts: 3, lastError: 'message too large' });
    expect(abandoned?.message.stream).toBe('bookshelf::poison-1');
    expect(await readStream(s.inline, 'bookshelf::book')).toHaveLength(2);
    expect(processor.stats).toMatchObject({ published: 2, failed: 2, abandoned: 1 });
    const warnings = lines.filter((line) => line.level === 'warn').map((line) => line.message);
    expect(warnings).toEqual([
      'outbox publish failed; will retry',
      'outbox publish failed; will retry',
      'outbox message abandoned',
    ]);
  });

  it("publishes the rows of a crashed owner once its lease expired, and fences the owner's late mark", async () => {
    const { clock, outbox, inline, processor, enqueue } = await setup({ lock_seconds: 300 });
    await enqueue('bookshelf::book-1');
    const [row] = await outbox.claim({
      ...{ owner: 'relay-crashed', limit: 10, leaseSeconds: 300 },
      now: new Date(clock.now()),
    });

    clock.advance(299);
    expect(await processor.tick()).toBe(0); // the lease still holds
    clock.advance(2);
    expect(await processor.tick()).toBe(1);

    const late = { now: new Date(clock.now()) };
    expect(await outbox.markPublished([row!.id], 'relay-crashed', late)).toBe(0);
    expect(await outbox.releaseLeases('relay-crashed')).toBe(0);
    expect(await outbox.countByStatus()).toMatchObject({ published: 1, processing: 0 });
    expect(await inline.streamLength('bookshelf::book')).toBe(1);
  });

  it('finishes the message in flight on close() and releases the leases of rows not started', async () => {
    const s = await setup({ messages_per_tick: 10 });
    let entered!: () => void;
    let open!: () => void;
    const inFlight = new Promise<void>((resolve) => (entered = resolve));
    const gate = new Promise<void>((resolve) => (open = resolve));
    const broker = withPublish(s.inline, async (stream, payload) => {
      entered();
      await gate;
      return s.inline.publish(stream, payload);
    });
    const processor = new OutboxProcessor({
      ...{ outbox: s.outbox, broker, owner: 'relay-2', clock: s.clock.now },
      config: defaultConfig().outbox,
    });
    await s.enqueue('bookshelf::book-1', 'bookshelf::book-2', 'bookshelf::book-3');

    const ticking = processor.tick();
    await inFlight;
    const closing = processor.close();
    open();
    await closing;

    expect(await ticking).toBe(3);
    expect(await s.outbox.countByStatus()).toMatchObject({
      published: 1,
      pending: 2,
      processing: 0,
    });
    expect(await processor.tick()).toBe(0); // closed: claims nothing
    expect(await s.processor.tick()).toBe(2); // another owner gets them at once
  });

  it('refuses invalid options, naming each problem', () => {
    const outbox = createMemoryOutbox();
    const broker = createInlineBroker();
    const config = { ...defaultConfig().outbox, messages_per_tick: 0, lock_seconds: -1 };
    const build = () => new OutboxProcessor({ outbox, broker, config, owner: '' });
    expect(build).toThrow(IncorrectUsageError);
    expect(build).toThrow(
      /messages_per_tick must be an integer >= 1.*lock_seconds must be > 0.*owner/,
    );
  });
});
