import { afterEach, describe, expect, it } from 'vitest';
import {
  createInlineBroker,
  INLINE_BROKER_CAPABILITIES,
} from '../../../src/adapters/memory/broker.js';
import { IncorrectUsageError } from '../../../src/core/errors.js';
import type { Broker } from '../../../src/ports/broker.js';
import { brokerContract } from '../../../src/testing/contracts/broker.js';

/** A clock that moves only when told to. */
function fakeClock(start = 1_700_000_000_000) {
  let now = start;
  return {
    now: () => now,
    set: (value: number) => void (now = value),
    advance: (ms: number) => void (now += ms),
  };
}

brokerContract('inline', async () => createInlineBroker(), {
  capabilities: INLINE_BROKER_CAPABILITIES,
});

const contractClock = fakeClock();
brokerContract(
  'inline on a fake clock',
  async () => createInlineBroker({ now: contractClock.now }),
  {
    advanceTime: contractClock.advance,
  },
);

describe('the inline broker', () => {
  const stream = 'bookshelf::book';
  const group = 'BookProjector';
  let broker: Broker | undefined;

  async function open(options: Parameters<typeof createInlineBroker>[0] = {}): Promise<Broker> {
    broker = createInlineBroker(options);
    await broker.start();
    return broker;
  }

  afterEach(async () => {
    await broker?.close();
    broker = undefined;
  });

  it('names itself inline', async () => {
    expect((await open()).provider).toBe('inline');
  });

  it('takes entry ids from its clock, increasing even when the clock goes back', async () => {
    const clock = fakeClock(1_000);
    const inline = await open({ now: clock.now });
    const first = await inline.publish(stream, { n: 0 });
    const second = await inline.publish(stream, { n: 1 });
    clock.set(500);
    const third = await inline.publish(stream, { n: 2 });
    clock.set(2_000);
    const fourth = await inline.publish(stream, { n: 3 });
    expect([first, second, third, fourth]).toEqual(['1000-0', '1000-1', '1000-2', '2000-0']);
  });

  it('measures idle time on its clock, from the last delivery', async () => {
    const clock = fakeClock();
    const inline = await open({ now: clock.now });
    await inline.ensureGroup(stream, group);
    await inline.publish(stream, { n: 0 });
    await inline.readGroup(stream, group, 'c1');
    clock.advance(1_500);
    expect((await inline.pending(stream, group))[0]?.idleMs).toBe(1_500);
    await inline.readGroup(stream, group, 'c1', { pending: true });
    clock.advance(200);
    expect(await inline.pending(stream, group)).toEqual([
      { id: expect.any(String), consumer: 'c1', idleMs: 200, deliveries: 2 },
    ]);
  });

  it('scans at most ten times count pending entries per claim, as XAUTOCLAIM does', async () => {
    const clock = fakeClock();
    const inline = await open({ now: clock.now });
    await inline.ensureGroup(stream, group);
    for (let n = 0; n < 12; n++) await inline.publish(stream, { n });
    const published = await inline.readGroup(stream, group, 'c1', { count: 12 });
    clock.advance(100);
    await inline.readGroup(stream, group, 'c1', { pending: true, count: 11 });
    const claimed = await inline.claim(stream, group, 'c2', { minIdleMs: 50, count: 1 });
    expect(claimed.entries).toEqual([]);
    expect(claimed.nextCursor).toBe(published[10]?.id);
    const next = await inline.claim(stream, group, 'c2', {
      minIdleMs: 50,
      cursor: claimed.nextCursor,
    });
    expect(next.entries.map((entry) => entry.id)).toEqual([published[11]?.id]);
  });

  it('wakes one of two blocked consumers per entry; the other waits for the next', async () => {
    const inline = await open();
    await inline.ensureGroup(stream, group);
    const one = inline.readGroup(stream, group, 'c1', { blockMs: 1_000 });
    const two = inline.readGroup(stream, group, 'c2', { blockMs: 1_000 });
    await inline.publish(stream, { n: 0 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    await inline.publish(stream, { n: 1 });
    const entries = [...(await one), ...(await two)].map((entry) => entry.payload);
    expect(entries).toEqual([{ n: 0 }, { n: 1 }]);
  });

  it('leaves no timer behind once closed: a blocked read cannot hold the process', async () => {
    const timers = () =>
      process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const inline = await open();
    await inline.ensureGroup(stream, group);
    const before = timers();
    const reading = inline.readGroup(stream, group, 'c1', { blockMs: 60_000 });
    expect(timers()).toBe(before + 1);
    await inline.close();
    expect(await reading).toEqual([]);
    expect(timers()).toBe(before);
  });

  it('says what is wrong with bad options and calls after close()', async () => {
    const inline = await open();
    await inline.ensureGroup(stream, group);
    await expect(inline.readGroup(stream, group, 'c1', { count: 0 })).rejects.toThrow(
      'count must be a positive integer; received 0.',
    );
    await expect(inline.readGroup(stream, group, 'c1', { blockMs: -1 })).rejects.toThrow(
      'blockMs must be a finite number >= 0; received -1.',
    );
    await expect(
      inline.claim(stream, group, 'c1', { minIdleMs: 0, cursor: 'next' }),
    ).rejects.toThrow("cursor must be an entry id like '1718000000000-0'; received 'next'.");
    await inline.close();
    const closed = inline.ping();
    await expect(closed).rejects.toThrow(IncorrectUsageError);
    await expect(closed).rejects.toThrow(
      'the inline broker is closed: ping() was called after close()',
    );
  });
});
