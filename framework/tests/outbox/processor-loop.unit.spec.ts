import { afterEach, describe, expect, it, vi } from 'vitest';
import { createInlineBroker } from '../../src/adapters/memory/broker.js';
import { createMemoryOutbox } from '../../src/adapters/memory/outbox.js';
import { defaultConfig } from '../../src/config/defaults.js';
import type { OutboxConfig } from '../../src/config/types.js';
import { T0, event } from './events.js';
import { OutboxProcessor, PollBackoff, type Sleep } from '../../src/outbox/processor.js';
import type { Logger } from '../../src/ports/logger.js';
import type { OutboxStore } from '../../src/ports/outbox.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

interface Loop {
  /** Called by the recording sleep with the waits so far; may enqueue, close, move the clock. */
  onWait?: (waits: number[], signal: AbortSignal) => Promise<void> | void;
  config?: Partial<Omit<OutboxConfig, 'cleanup'>> & { cleanup?: Partial<OutboxConfig['cleanup']> };
  outbox?: (store: OutboxStore) => OutboxStore;
  sleep?: Sleep;
  cleanupIntervalSeconds?: number;
}

async function setup(loop: Loop = {}) {
  let now = T0;
  const clock = { now: () => now, advance: (ms: number) => void (now += ms) };
  const store = createMemoryOutbox();
  const outbox = loop.outbox?.(store) ?? store;
  const broker = createInlineBroker({ now: clock.now });
  await Promise.all([store.start(), broker.start()]);
  const waits: number[] = [];
  const sleep: Sleep = async (ms, signal) => {
    waits.push(ms);
    await loop.onWait?.(waits, signal);
  };
  const base = defaultConfig().outbox;
  const config = { ...base, ...loop.config, cleanup: { ...base.cleanup, ...loop.config?.cleanup } };
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  const logger: Logger = {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
  };
  const processor = new OutboxProcessor({
    ...{ outbox, broker, config, owner: 'relay-1', clock: clock.now, logger },
    sleep: loop.sleep ?? sleep,
    cleanupIntervalSeconds: loop.cleanupIntervalSeconds,
  });
  closers.push(
    () => store.close(),
    () => broker.close(),
    () => processor.close(),
  );
  const enqueue = (stream: string) => store.enqueue([event(stream)], { now: new Date(now) });
  return { clock, store, broker, processor, waits, lines, enqueue };
}

/** Polls `check` every millisecond (real time) until it passes or 2 s went by. */
const until = (check: () => void) => vi.waitFor(check, { timeout: 2_000, interval: 1 });

describe('the outbox processor loop', () => {
  it('backs off while idle, doubling up to max_tick_interval, and starts over on work', async () => {
    const s = await setup({
      config: { tick_interval: 0.01, max_tick_interval: 0.16 },
      async onWait(waits) {
        if (waits.length === 5) await s.enqueue('bookshelf::book-1');
        if (waits.length === 9) void s.processor.close();
      },
    });

    await s.processor.run();

    expect(s.waits).toEqual([20, 40, 80, 160, 160, 10, 20, 40, 80]);
    expect(s.processor.stats).toMatchObject({ published: 1, running: false });
  });

  it('computes the schedule from tick_interval, never below 10 ms when idle', () => {
    const backoff = new PollBackoff(0.001, 0.05);
    expect([backoff.afterIdle(), backoff.afterIdle(), backoff.afterIdle()]).toEqual([20, 40, 50]);
    expect(backoff.afterWork()).toBe(1);
    expect(backoff.afterIdle()).toBe(20);
  });

  it('cuts the idle wait short on wake() and starts the backoff over', async () => {
    const sleep: Sleep = (ms, signal) => {
      s.waits.push(ms);
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve()));
    };
    const s = await setup({ sleep, config: { max_tick_interval: 60 } });
    await s.processor.start();
    await until(() => expect(s.waits).toEqual([20]));

    s.processor.wake(); // nothing to do: the next idle wait starts over
    await until(() => expect(s.waits).toEqual([20, 20]));
    await s.enqueue('bookshelf::book-1');
    s.processor.wake();
    await until(() => expect(s.processor.stats.published).toBe(1));
    await until(() => expect(s.waits).toEqual([20, 20, 10]));
  });

  it('skips the next wait when wake() comes during a tick', async () => {
    let enter!: () => void;
    let release!: () => void;
    const inClaim = new Promise<void>((resolve) => (enter = resolve));
    const gate = new Promise<void>((resolve) => (release = resolve));
    const sleep: Sleep = (ms, signal) => {
      s.waits.push(ms);
      return new Promise((resolve) => signal.addEventListener('abort', () => resolve()));
    };
    const s = await setup({
      sleep,
      outbox: (store) => ({
        ...store,
        claim: async (options) => {
          enter();
          await gate;
          return store.claim(options);
        },
      }),
    });
    await s.processor.start();
    await inClaim;

    s.processor.wake();
    release();

    await until(() => expect(s.processor.stats.ticks).toBe(2));
    expect(s.waits).toEqual([40]); // the first wait (20 ms) was skipped
  });

  it('returns promptly from close() during a long idle wait (the real timer)', async () => {
    const s = await setup();
    const processor = new OutboxProcessor({
      outbox: s.store,
      broker: s.broker,
      config: { ...defaultConfig().outbox, tick_interval: 30, max_tick_interval: 60 },
      owner: 'relay-2',
    }); // no sleep given: the default timer
    closers.push(() => processor.close());
    await processor.start();
    await until(() => expect(processor.stats.ticks).toBe(1));
    expect(processor.running).toBe(true);

    const started = performance.now();
    await processor.close();

    expect(performance.now() - started).toBeLessThan(100);
    expect(processor.running).toBe(false);
  });

  it('logs a store outage once, backs off instead of looping hot, and recovers', async () => {
    let down = true;
    const s = await setup({
      config: { max_tick_interval: 0.16 },
      outbox: (store) => ({
        ...store,
        claim: (options) =>
          down ? Promise.reject(new Error('connection refused')) : store.claim(options),
      }),
      onWait(waits) {
        if (waits.length === 6) down = false;
        if (waits.length === 8) void s.processor.close();
      },
    });

    await s.processor.run();

    expect(s.waits).toEqual([20, 40, 80, 160, 160, 160, 160, 160]);
    expect(s.processor.stats).toMatchObject({ errors: 6, lastError: 'connection refused' });
    const loud = s.lines.filter((line) => line.level === 'error' || line.level === 'info');
    expect(loud.map((line) => line.message)).toEqual([
      'outbox processor started',
      'outbox processor tick failed; backing off',
      'outbox processor recovered',
      'outbox processor stopped',
    ]);
  });

  it('deletes published rows past their retention', async () => {
    const s = await setup();
    await s.enqueue('bookshelf::book-1');
    await s.processor.tick();

    s.clock.advance(167 * 3_600_000);
    expect(await s.processor.cleanup()).toBe(0);
    s.clock.advance(2 * 3_600_000);
    expect(await s.processor.cleanup()).toBe(1);
    expect(await s.store.countByStatus()).toMatchObject({ published: 0 });
  });

  it('cleans up from the loop every cleanupIntervalSeconds', async () => {
    const s = await setup({
      config: { cleanup: { published_retention_hours: 0.01 } }, // 36 s
      cleanupIntervalSeconds: 60,
      onWait(waits) {
        s.clock.advance(waits.at(-1)!);
        if (s.processor.stats.cleanedUp > 0 || waits.length > 500) void s.processor.close();
      },
    });
    await s.enqueue('bookshelf::book-1');

    await s.processor.run();

    expect(s.processor.stats).toMatchObject({ published: 1, cleanedUp: 1 });
    const elapsed = s.waits.reduce((sum, ms) => sum + ms, 0);
    expect(elapsed).toBeGreaterThanOrEqual(60_000);
    expect(elapsed).toBeLessThan(62_000);
  });
});
