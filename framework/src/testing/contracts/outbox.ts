/**
 * The OutboxStore port's contract: one suite, run against every adapter (memory, PostgreSQL),
 * written against the port only. Time is passed as `now` to every call, so nothing sleeps.
 * Loads vitest (an optional peer dependency of protean-ts).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { Envelope } from '../../core/envelope.js';
import type { TransactionLink } from '../../ports/database.js';
import type { ClaimedMessage, OutboxCounts, OutboxStore, RetryPolicy } from '../../ports/outbox.js';
import { createRetryPolicy } from '../../outbox/retry.js';
import { storePerTest } from './store-per-test.js';

/** A transaction the store under test can join, opened by the test file (see the options). */
export interface ContractTransaction {
  /** Optional so that a `DatabaseSession` is one; the cases fail when it is missing. */
  readonly link?: TransactionLink | undefined;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** Options of {@link outboxContract}. */
export interface OutboxContractOptions {
  /**
   * Opens a database transaction the store can join. Without it, the transaction cases are
   * skipped with the reason in their name.
   */
  transaction?: () => Promise<ContractTransaction>;
}

/** The instant every case starts at; `at(s)` is `s` seconds later. */
const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const at = (seconds: number): Date => new Date(T0 + seconds * 1000);
const HOURS = 3600;

/** A fresh event envelope with a unique id. */
export function outboxMessage(data: Record<string, unknown> = {}): Envelope {
  return {
    id: randomUUID(),
    type: 'Bookshelf.BookAdded.v1',
    kind: 'EVENT',
    stream: 'bookshelf::book-1',
    data,
    metadata: { timestamp: '2030-01-01T00:00:00.000Z', correlationId: 'corr-1', headers: {} },
  };
}

const messages = (count: number) => Array.from({ length: count }, (_, n) => outboxMessage({ n }));
const ids = (list: readonly { id: string }[]) => list.map(({ id }) => id);
const counts = (partial: Partial<OutboxCounts>): OutboxCounts => ({
  ...{ pending: 0, processing: 0, published: 0, failed: 0, abandoned: 0 },
  ...partial,
});
const retryConfig = {
  max_attempts: 3,
  base_delay_seconds: 1,
  backoff_multiplier: 2,
  max_backoff_seconds: 60,
  jitter: false,
  jitter_factor: 0.25,
};
/** Jitter off: 1 s, 2 s, 4 s ...; abandoned at the 3rd failure. */
const policy: RetryPolicy = createRetryPolicy(retryConfig);
/** Abandons at the first failure. */
const once: RetryPolicy = createRetryPolicy({ ...retryConfig, max_attempts: 1 });

/** The store of the running test, with every call at `at(seconds)`. */
class Case {
  readonly #current: () => OutboxStore;
  constructor(current: () => OutboxStore) {
    this.#current = current;
  }
  get store(): OutboxStore {
    return this.#current();
  }
  /** Enqueues `count` fresh messages at T0. */
  async enqueue(count: number, broker?: string): Promise<Envelope[]> {
    const sent = messages(count);
    await this.store.enqueue(sent, { broker, now: at(0) });
    return sent;
  }
  claim(owner: string, seconds: number, limit = 10, leaseSeconds = 30) {
    return this.store.claim({ owner, limit, leaseSeconds, now: at(seconds) });
  }
  /** Enqueues `count` messages and claims them all for `owner`, at T0, for 30 s. */
  async claimed(count: number, owner = 'relay-a'): Promise<ClaimedMessage[]> {
    await this.enqueue(count);
    return this.claim(owner, 0, count);
  }
  publish(rows: readonly { id: string }[], owner: string, seconds: number) {
    return this.store.markPublished(ids(rows), owner, { now: at(seconds) });
  }
  fail(
    row: { id: string } | undefined,
    owner: string,
    seconds: number,
    retry = policy,
    error = 'x',
  ) {
    return this.store.markFailed(row?.id ?? '', owner, error, retry, { now: at(seconds) });
  }
  counts(): Promise<OutboxCounts> {
    return this.store.countByStatus();
  }
}

function claimCases(c: Case): void {
  it('enqueues pending rows, leases them to a claimer and marks them published', async () => {
    const sent = await c.enqueue(2, 'audit');
    expect(await c.counts()).toEqual(counts({ pending: 2 }));

    const rows = await c.claim('relay-a', 1);
    expect(rows.map((row) => row.message)).toEqual(sent);
    expect(rows.map(({ broker, attempts }) => ({ broker, attempts }))).toEqual([
      { broker: 'audit', attempts: 0 },
      { broker: 'audit', attempts: 0 },
    ]);
    expect(rows.map((row) => row.lockedUntil)).toEqual([at(31), at(31)]);
    expect(await c.counts()).toEqual(counts({ processing: 2 }));

    expect(await c.publish(rows, 'relay-a', 2)).toBe(2);
    expect(await c.counts()).toEqual(counts({ published: 2 }));
    expect(await c.claim('relay-b', 99)).toEqual([]);
  });

  it('claims the oldest rows first, at most limit, to the default broker', async () => {
    const sent = [...(await c.enqueue(3)), ...(await c.enqueue(2))];
    const two = await c.claim('relay-a', 1, 2);
    const rest = await c.claim('relay-a', 1, 10);
    expect([...two, ...rest].map((row) => row.message.id)).toEqual(ids(sent));
    expect([two.length, rest.length]).toEqual([2, 3]);
    expect(two.map((row) => row.broker)).toEqual(['default', 'default']);
  });

  it('does not claim a row again while its lease holds', async () => {
    await c.claimed(1);
    expect(await c.claim('relay-b', 29.999)).toEqual([]);
    expect(await c.counts()).toEqual(counts({ processing: 1 }));
  });

  it("reclaims an expired lease for another owner; the old owner's late marks change nothing", async () => {
    const [row] = await c.claimed(1, 'relay-a');
    const [again] = await c.claim('relay-b', 30);
    expect(again).toMatchObject({ id: row?.id, lockedUntil: at(60) });

    expect(await c.publish([again ?? { id: '' }], 'relay-a', 31)).toBe(0);
    expect(await c.fail(row, 'relay-a', 31)).toBeUndefined();
    expect(await c.counts()).toEqual(counts({ processing: 1 }));
    expect(await c.publish([again ?? { id: '' }], 'relay-b', 31)).toBe(1);
  });

  it('refuses a mark once the lease expired, even before anyone reclaimed the row', async () => {
    const rows = await c.claimed(1, 'relay-a');
    expect(await c.publish(rows, 'relay-a', 30)).toBe(0);
    expect(await c.publish([{ id: '999999' }, { id: 'not-an-id' }], 'relay-a', 1)).toBe(0);
    expect(await c.publish([], 'relay-a', 1)).toBe(0);
    expect(await c.counts()).toEqual(counts({ processing: 1 }));
  });

  it("releases an owner's leases on shutdown, and only that owner's", async () => {
    await c.enqueue(3);
    const mine = await c.claim('relay-a', 0, 2);
    await c.claim('relay-b', 0, 1);

    expect(await c.store.releaseLeases('relay-a')).toBe(2);
    expect(ids(await c.claim('relay-c', 1))).toEqual(ids(mine));
    expect(await c.counts()).toEqual(counts({ processing: 3 }));
  });
}

function failureCases(c: Case): void {
  it('schedules a failed row by the retry policy and claims it again only then', async () => {
    const [row] = await c.claimed(1);
    const failed = { status: 'failed', attempts: 1, nextRetryAt: at(6) };
    expect(await c.fail(row, 'relay-a', 5, policy, 'broker down')).toEqual(failed);
    expect(await c.counts()).toEqual(counts({ failed: 1 }));
    expect(await c.claim('relay-b', 5.999)).toEqual([]);

    const [retry] = await c.claim('relay-b', 6);
    expect(retry).toMatchObject({ id: row?.id, attempts: 1 });
    const again = { status: 'failed', attempts: 2, nextRetryAt: at(9) };
    expect(await c.fail(retry, 'relay-b', 7)).toEqual(again);
  });

  it('ignores a failure reported by an owner that does not hold the row', async () => {
    const [row] = await c.claimed(1);
    expect(await c.fail(row, 'relay-b', 1)).toBeUndefined();
    expect(await c.counts()).toEqual(counts({ processing: 1 }));
  });

  it('abandons a row after max_attempts, keeps and lists it, and re-queues it', async () => {
    const [row] = await c.claimed(1);
    const id = row?.id ?? '';
    for (const [attempt, seconds] of [
      [1, 1],
      [2, 10],
      [3, 20],
    ] as const) {
      if (attempt > 1) expect(ids(await c.claim('relay-a', seconds - 1))).toEqual([id]);
      const outcome = await c.fail(row, 'relay-a', seconds, policy, `boom ${attempt}`);
      expect(outcome?.status).toBe(attempt < 3 ? 'failed' : 'abandoned');
    }
    expect(await c.claim('relay-a', 10 * HOURS)).toEqual([]);

    const [listed] = await c.store.listAbandoned({ limit: 10 });
    expect(listed).toMatchObject({ id, status: 'abandoned', attempts: 3, lastError: 'boom 3' });
    expect([listed?.failedAt, listed?.message]).toEqual([at(20), row?.message]);
    expect(await c.counts()).toEqual(counts({ abandoned: 1 }));

    expect(await c.store.requeueAbandoned()).toBe(1);
    expect(await c.claim('relay-a', 21)).toMatchObject([{ id, attempts: 0 }]);
    expect(await c.store.listAbandoned()).toEqual([]);
  });

  it('counts every status', async () => {
    const [published, failed, abandoned] = await c.claimed(4);
    await c.enqueue(1);
    await c.publish([published ?? { id: '' }], 'relay-a', 1);
    await c.fail(failed, 'relay-a', 1);
    await c.fail(abandoned, 'relay-a', 1, once);

    const one = { pending: 1, processing: 1, published: 1, failed: 1, abandoned: 1 };
    expect(await c.counts()).toEqual(one);
  });

  it('cleans up published and abandoned rows past their retention, in batches', async () => {
    const rows = await c.claimed(6);
    await c.publish(rows.slice(0, 5), 'relay-a', 0);
    await c.fail(rows[5], 'relay-a', 0, once);
    await c.enqueue(1);
    await c.publish(await c.claim('relay-a', 20 * HOURS), 'relay-a', 20 * HOURS);
    await c.enqueue(1);
    const cleanup = (hours: number) =>
      c.store.cleanup({
        publishedRetentionHours: 24,
        abandonedRetentionHours: 48,
        batchSize: 2,
        now: at(hours * HOURS),
      });

    expect(await cleanup(30)).toBe(5);
    expect(await c.counts()).toEqual(counts({ pending: 1, published: 1, abandoned: 1 }));
    expect(await cleanup(50)).toBe(2);
    expect(await c.counts()).toEqual(counts({ pending: 1 }));
  });
}

function usageCases(c: Case): void {
  it('rejects bad arguments with INCORRECT_USAGE and stores nothing', async () => {
    const store = c.store;
    const calls = [
      () => store.claim({ owner: '', limit: 1, leaseSeconds: 30 }),
      () => store.claim({ owner: 'relay-a', limit: 0, leaseSeconds: 30 }),
      () => store.claim({ owner: 'relay-a', limit: 1, leaseSeconds: 0 }),
      () => store.markPublished(['1'], ''),
      () => store.enqueue([outboxMessage(), outboxMessage({ big: 1n })]),
      () => store.enqueue([outboxMessage()], { broker: '' }),
      () => store.cleanup({ publishedRetentionHours: 0, abandonedRetentionHours: 1 }),
      () => store.listAbandoned({ limit: 0 }),
    ];
    for (const call of calls) {
      await expect(call()).rejects.toMatchObject({ code: 'INCORRECT_USAGE' });
    }
    expect(await c.counts()).toEqual(counts({}));
  });

  it('hands out copies: changing a claimed message changes nothing stored', async () => {
    const [row] = await c.claimed(1);
    (row?.message.data as Record<string, unknown>).n = 42;
    await c.store.releaseLeases('relay-a');
    const [again] = await c.claim('relay-b', 1);
    expect(again?.message.data).toEqual({ n: 0 });
  });
}

function transactionCases(c: Case, open: (() => Promise<ContractTransaction>) | undefined) {
  const title = (text: string) => (open ? text : `${text} (skipped: no transaction factory given)`);
  /** Opens a transaction and checks the store says it can join it. */
  const begin = async () => {
    const transaction = await (open ?? expect.fail('no transaction factory given'))();
    const link = transaction.link ?? expect.fail('the transaction has no link');
    expect(c.store.canJoin(link)).toBe(true);
    return { transaction, link };
  };

  it.skipIf(!open)(title('writes nothing when the enclosing transaction rolls back'), async () => {
    const { transaction, link } = await begin();
    await c.store.enqueue(messages(2), { transaction: link, now: at(0) });
    await transaction.rollback();
    expect(await c.counts()).toEqual(counts({}));
  });

  it.skipIf(!open)(title('writes the rows when the enclosing transaction commits'), async () => {
    const { transaction, link } = await begin();
    const sent = messages(2);
    await c.store.enqueue(sent, { transaction: link, now: at(0) });
    expect(await c.counts()).toEqual(counts({}));
    await transaction.commit();
    expect((await c.claim('relay-a', 1)).map((row) => row.message)).toEqual(sent);
  });
}

/**
 * Declares the OutboxStore contract as vitest blocks. Each test gets a store from `make()` (not
 * yet started); the suite starts it, runs `setup()` and `truncate()` when the store has them, and
 * closes it afterwards.
 *
 * @example
 * ```ts
 * outboxContract('memory', async () => createMemoryOutbox(), {
 *   transaction: () => database.begin(),
 * });
 * ```
 */
export function outboxContract(
  name: string,
  make: () => Promise<OutboxStore>,
  options: OutboxContractOptions = {},
): void {
  describe(`OutboxStore contract: ${name}`, () => {
    const c = new Case(storePerTest(make, 'outbox'));

    it('names its provider', () => {
      expect(c.store.provider).toMatch(/^\S+$/);
    });
    describe('claiming and publishing', () => claimCases(c));
    describe('failures, retries and cleanup', () => failureCases(c));
    describe('arguments', () => usageCases(c));
    describe('transactions', () => transactionCases(c, options.transaction));
  });
}
