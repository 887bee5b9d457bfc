/**
 * The IdempotencyStore port's contract: one suite, run against every adapter (memory,
 * PostgreSQL), written against the port only. Loads vitest (an optional peer dependency).
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { IdempotencyStore } from '../../ports/idempotency.js';
import type { ContractTransaction } from './outbox.js';
import { storePerTest } from './store-per-test.js';

/** Options of {@link idempotencyContract}. */
export interface IdempotencyContractOptions {
  /**
   * Opens a database transaction the store can join. Without it, the transaction cases are
   * skipped with the reason in their name.
   */
  transaction?: () => Promise<ContractTransaction>;
}

const T0 = Date.parse('2030-01-01T00:00:00.000Z');
const hoursLater = (hours: number): Date => new Date(T0 + hours * 3_600_000);
const PROJECTOR = 'BookProjector';

type Current = () => IdempotencyStore;

function markCases(current: Current): void {
  it('marks a (message, handler) pair once: the second mark says it was already applied', async () => {
    const id = randomUUID();
    expect(await current().has(id, PROJECTOR)).toBe(false);
    expect(await current().mark(id, PROJECTOR)).toBe(true);
    expect(await current().mark(id, PROJECTOR)).toBe(false);
    expect(await current().has(id, PROJECTOR)).toBe(true);
  });

  it('keeps the pairs apart: another handler or another message is new', async () => {
    const [first, second] = [randomUUID(), randomUUID()];
    await current().mark(first, PROJECTOR);
    expect(await current().mark(first, 'LoanNotifier')).toBe(true);
    expect(await current().mark(second, PROJECTOR)).toBe(true);
    expect(await current().has(second, 'LoanNotifier')).toBe(false);
  });

  it('deletes markers past their retention, in batches', async () => {
    const old = Array.from({ length: 5 }, () => randomUUID());
    for (const id of old) await current().mark(id, PROJECTOR, { now: hoursLater(0) });
    const recent = randomUUID();
    await current().mark(recent, PROJECTOR, { now: hoursLater(10) });

    const cleanup = { retentionHours: 5, batchSize: 2, now: hoursLater(6) };
    expect(await current().cleanup(cleanup)).toBe(5);
    expect(await current().has(old[0] ?? '', PROJECTOR)).toBe(false);
    expect(await current().has(recent, PROJECTOR)).toBe(true);
    expect(await current().cleanup(cleanup)).toBe(0);
  });

  it('rejects bad arguments with INCORRECT_USAGE', async () => {
    const store = current();
    const calls = [
      () => store.mark('', PROJECTOR),
      () => store.mark(randomUUID(), ''),
      () => store.has('', PROJECTOR),
      () => store.cleanup({ retentionHours: 0 }),
      () => store.cleanup({ retentionHours: 1, batchSize: 0 }),
    ];
    for (const call of calls) {
      await expect(call()).rejects.toMatchObject({ code: 'INCORRECT_USAGE' });
    }
  });
}

function transactionCases(
  current: Current,
  open: (() => Promise<ContractTransaction>) | undefined,
) {
  const title = (text: string) => (open ? text : `${text} (skipped: no transaction factory given)`);
  const begin = async () => {
    const transaction = await (open ?? expect.fail('no transaction factory given'))();
    const link = transaction.link ?? expect.fail('the transaction has no link');
    expect(current().canJoin(link)).toBe(true);
    return { transaction, inside: { transaction: link } };
  };

  it.skipIf(!open)(title('keeps no marker when the transaction rolls back'), async () => {
    const id = randomUUID();
    const { transaction, inside } = await begin();
    expect(await current().mark(id, PROJECTOR, inside)).toBe(true);
    await transaction.rollback();

    expect(await current().has(id, PROJECTOR)).toBe(false);
    expect(await current().mark(id, PROJECTOR)).toBe(true);
  });

  it.skipIf(!open)(title('keeps the marker once the transaction commits, not before'), async () => {
    const id = randomUUID();
    const { transaction, inside } = await begin();
    expect(await current().mark(id, PROJECTOR, inside)).toBe(true);
    expect(await current().mark(id, PROJECTOR, inside)).toBe(false);
    expect(await current().has(id, PROJECTOR, inside)).toBe(true);
    expect(await current().has(id, PROJECTOR)).toBe(false);
    await transaction.commit();

    expect(await current().has(id, PROJECTOR)).toBe(true);
    expect(await current().mark(id, PROJECTOR)).toBe(false);
  });

  it.skipIf(!open)(title('says already applied inside a transaction after a commit'), async () => {
    const id = randomUUID();
    await current().mark(id, PROJECTOR);
    const { transaction, inside } = await begin();
    expect(await current().mark(id, PROJECTOR, inside)).toBe(false);
    await transaction.rollback();
  });
}

/**
 * Declares the IdempotencyStore contract as vitest blocks. Each test gets a store from `make()`
 * (not yet started); the suite starts it, runs `setup()` and `truncate()` when the store has them,
 * and closes it afterwards.
 *
 * @example
 * ```ts
 * idempotencyContract('memory', async () => createMemoryIdempotencyStore(), {
 *   transaction: () => createMemoryDatabase().begin(),
 * });
 * ```
 */
export function idempotencyContract(
  name: string,
  make: () => Promise<IdempotencyStore>,
  options: IdempotencyContractOptions = {},
): void {
  describe(`IdempotencyStore contract: ${name}`, () => {
    const current = storePerTest(make, 'idempotency store');

    it('names its provider', () => {
      expect(current().provider).toMatch(/^\S+$/);
    });
    describe('marking', () => markCases(current));
    describe('transactions', () => transactionCases(current, options.transaction));
  });
}
