/**
 * A handler whose unit of work meets a concurrent change (`ExpectedVersionError`) is run again on
 * fresh state, at most `[conflict_retry] max_attempts` times. Conflicts are made to happen at a
 * chosen moment: a handler waits at a gate, after loading, until the test has committed the
 * competing change. Nothing here sleeps to order events.
 */
import { describe, expect, it } from 'vitest';
import { Domain, ExpectedVersionError, field } from '../../src/index.js';
import type { DomainConfigInput, Logger } from '../../src/index.js';
import { conflictDelay, retryOnConflict } from '../../src/domain/conflict-retry.js';
import { freshDomain, given } from '../../src/testing/index.js';

/** A promise to wait on and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

/** Debug lines the domain logged, as `{ msg, ...fields }`. */
function recordingLogger(): Logger & { debugs: Record<string, unknown>[] } {
  const debugs: Record<string, unknown>[] = [];
  const ignore = () => {};
  return {
    debugs,
    debug: (msg, fields) => debugs.push({ msg, ...fields }),
    info: ignore,
    warn: ignore,
    error: ignore,
  };
}

/**
 * Accounts, deposits and a per-account total kept by a projector. `hooks.deposit` and
 * `hooks.totals` run after the handler loaded its aggregate or row, and before it saves: the
 * place where a concurrent change makes its commit conflict.
 */
function bank(config: DomainConfigInput = {}) {
  const logger = recordingLogger();
  const domain = new Domain({
    name: 'bank',
    config: { conflict_retry: { base_delay_ms: 1 }, ...config },
    logger,
  });
  const Account = domain.aggregate('Account', {
    accountId: field.string({ required: true, identifier: true }),
    balance: field.integer({ default: 0 }),
  });
  const Deposit = domain.command(
    'Deposit',
    {
      accountId: field.string({ required: true, identifier: true }),
      amount: field.integer({ required: true }),
    },
    { partOf: Account },
  );
  const Deposited = domain.event(
    'Deposited',
    { accountId: field.string({ required: true }), amount: field.integer({ required: true }) },
    { partOf: Account },
  );
  const Totals = domain.projection('Totals', {
    accountId: field.string({ identifier: true }),
    total: field.integer({ default: 0 }),
  });
  /** Runs of each handler, by amount: `deposit:5` is the 5-unit deposit's command handler. */
  const runs = new Map<string, number>();
  const run = (key: string) => {
    runs.set(key, (runs.get(key) ?? 0) + 1);
    return runs.get(key)!;
  };
  const hooks: {
    deposit?: (amount: number, run: number) => Promise<void>;
    totals?: (amount: number, run: number) => Promise<void>;
  } = {};

  // #region conflict-retry-handler
  domain.handle(Deposit, async (command, { repository }) => {
    const attempt = run(`deposit:${command.amount}`);
    const account = await repository(Account).get(command.accountId);
    await hooks.deposit?.(command.amount, attempt);
    account.balance += command.amount;
    account.raise(Deposited, { accountId: command.accountId, amount: command.amount });
    await repository(Account).add(account);
  });
  // #endregion conflict-retry-handler

  domain
    .projector('TotalsProjector', { projections: [Totals] })
    .on(Deposited, async (event, { repository }) => {
      const attempt = run(`totals:${event.amount}`);
      const totals = repository(Totals);
      const row =
        (await totals.getOrNull(event.accountId)) ?? new Totals({ accountId: event.accountId });
      await hooks.totals?.(event.amount, attempt);
      row.total += event.amount;
      await totals.add(row);
    });

  const open = async (accountId: string) => {
    await domain.repository(Account).add(new Account({ accountId }));
  };
  const balance = async (accountId: string) =>
    (await domain.repository(Account).get(accountId)).balance;
  return { domain, logger, Account, Deposit, Deposited, Totals, runs, hooks, open, balance };
}

describe('retry on version conflict', () => {
  const sync = freshDomain(() => bank());

  it('runs a command again on fresh state when a concurrent command changed its aggregate', async () => {
    // #region conflict-retry-concurrent
    const { domain, Deposit, Deposited, runs, hooks, open, balance } = sync();
    await open('acc-1');
    const loaded = gate();
    const committed = gate();
    hooks.deposit = async (amount, attempt) => {
      if (amount !== 1 || attempt !== 1) return;
      loaded.open();
      await committed.opened; // the 10-unit deposit commits while this one holds a stale account
    };

    const slow = given(domain).when(new Deposit({ accountId: 'acc-1', amount: 1 }));
    await loaded.opened;
    await domain.process(new Deposit({ accountId: 'acc-1', amount: 10 }));
    committed.open();

    (await slow).thenSucceeds().thenRaised(Deposited, { accountId: 'acc-1', amount: 1 });
    expect(await balance('acc-1')).toBe(11);
    expect(runs.get('deposit:1')).toBe(2); // the conflict, then the retry on the new balance
    // #endregion conflict-retry-concurrent
  });

  it('logs one debug line per retry, naming the handler, the attempt and the pause', async () => {
    const { domain, Deposit, logger, hooks, open } = sync();
    await open('acc-1');
    hooks.deposit = async (amount, attempt) => {
      if (amount === 1 && attempt === 1)
        await domain.process(new Deposit({ accountId: 'acc-1', amount: 10 }));
    };

    await domain.process(new Deposit({ accountId: 'acc-1', amount: 1 }));

    const retries = logger.debugs.filter(
      (line) => line['msg'] === 'version conflict; running the handler again',
    );
    expect(retries).toEqual([
      expect.objectContaining({
        handler: 'DepositHandler',
        messageType: expect.stringContaining('Deposit'),
        attempt: 1,
        delayMs: expect.any(Number),
        conflict: expect.stringContaining('someone else changed it'),
      }),
    ]);
    expect(retries[0]?.['delayMs']).toBeLessThanOrEqual(1);
  });

  it('gives up after max_attempts runs, with the ExpectedVersionError', async () => {
    // #region conflict-retry-gives-up
    const { domain, Deposit, runs, hooks, open, balance } = sync();
    await open('acc-1');
    // Every run of the 1-unit deposit loses the race to a 100-unit deposit.
    hooks.deposit = async (amount) => {
      if (amount === 1) await domain.process(new Deposit({ accountId: 'acc-1', amount: 100 }));
    };

    const outcome = await given(domain).when(new Deposit({ accountId: 'acc-1', amount: 1 }));

    outcome.thenFails(ExpectedVersionError, /was expected at version/);
    expect(runs.get('deposit:1')).toBe(3); // max_attempts = 3
    // What a run did outside its own unit of work is not undone: each run sent one deposit.
    expect(await balance('acc-1')).toBe(300);
    // #endregion conflict-retry-gives-up
  });

  it('passes other errors on at once, without a retry', async () => {
    const { domain, Deposit, runs, hooks, open } = sync();
    await open('acc-1');
    hooks.deposit = async () => {
      throw new Error('the bank is closed');
    };

    await expect(domain.process(new Deposit({ accountId: 'acc-1', amount: 1 }))).rejects.toThrow(
      'the bank is closed',
    );
    expect(runs.get('deposit:1')).toBe(1);
  });

  it('runs a conflicting projector again, and not the command whose events it reacts to', async () => {
    const { domain, Deposit, Totals, runs, hooks, open, balance } = sync();
    await open('acc-1');
    await domain.process(new Deposit({ accountId: 'acc-1', amount: 2 }));
    // While the projector holds the row for the 1-unit deposit, a 10-unit deposit goes through
    // completely, its own projector run included.
    hooks.totals = async (amount, attempt) => {
      if (amount === 1 && attempt === 1)
        await domain.process(new Deposit({ accountId: 'acc-1', amount: 10 }));
    };

    await domain.process(new Deposit({ accountId: 'acc-1', amount: 1 }));

    expect(await balance('acc-1')).toBe(13);
    expect((await domain.view(Totals).get('acc-1')).total).toBe(13);
    expect(runs.get('deposit:1')).toBe(1);
    expect(runs.get('totals:1')).toBe(2);
  });
});

describe('retry on version conflict, configured', () => {
  const once = freshDomain(() => bank({ conflict_retry: { max_attempts: 1 } }));
  const five = freshDomain(() => bank({ conflict_retry: { max_attempts: 5, base_delay_ms: 0 } }));

  it('never retries with max_attempts = 1', async () => {
    const { domain, Deposit, runs, hooks, open } = once();
    await open('acc-1');
    hooks.deposit = async (amount) => {
      if (amount === 1) await domain.process(new Deposit({ accountId: 'acc-1', amount: 100 }));
    };

    await expect(
      domain.process(new Deposit({ accountId: 'acc-1', amount: 1 })),
    ).rejects.toBeInstanceOf(ExpectedVersionError);
    expect(runs.get('deposit:1')).toBe(1);
  });

  it('runs a handler at most max_attempts times', async () => {
    const { domain, Deposit, runs, hooks, open } = five();
    await open('acc-1');
    hooks.deposit = async (amount) => {
      if (amount === 1) await domain.process(new Deposit({ accountId: 'acc-1', amount: 100 }));
    };

    await expect(
      domain.process(new Deposit({ accountId: 'acc-1', amount: 1 })),
    ).rejects.toBeInstanceOf(ExpectedVersionError);
    expect(runs.get('deposit:1')).toBe(5);
  });
});

describe('retry on version conflict, for stored messages (the engine)', () => {
  const stored = freshDomain(() =>
    bank({ command_processing: 'async', event_processing: 'async' }),
  );

  it('runs a stored command again when a concurrent one changed its aggregate', async () => {
    const { domain, Deposit, runs, hooks, open, balance } = stored();
    await open('acc-1');
    await domain.process(new Deposit({ accountId: 'acc-1', amount: 1 }));
    await domain.process(new Deposit({ accountId: 'acc-1', amount: 10 }));
    const [small, large] = await domain.eventStore.readCategory('bank::account:command');
    const loaded = gate();
    const committed = gate();
    hooks.deposit = async (amount, attempt) => {
      if (amount !== 1 || attempt !== 1) return;
      loaded.open();
      await committed.opened;
    };

    const slow = domain.handleMessage(small!, { idempotent: true });
    await loaded.opened;
    await domain.handleMessage(large!, { idempotent: true });
    committed.open();
    await slow;

    expect(await balance('acc-1')).toBe(11);
    expect(runs.get('deposit:1')).toBe(2);
  });

  it('runs a projector again when a concurrent delivery changed its row', async () => {
    const { domain, Deposit, Totals, runs, hooks, open } = stored();
    await open('acc-1');
    await domain.handleMessage(domain.envelope(new Deposit({ accountId: 'acc-1', amount: 1 })));
    await domain.handleMessage(domain.envelope(new Deposit({ accountId: 'acc-1', amount: 10 })));
    const [small, large] = await domain.eventStore.readCategory('bank::account');
    const loaded = gate();
    const committed = gate();
    hooks.totals = async (amount, attempt) => {
      if (amount !== 1 || attempt !== 1) return;
      loaded.open();
      await committed.opened;
    };

    const slow = domain.handleMessage(small!, { handler: 'TotalsProjector' });
    await loaded.opened;
    await domain.handleMessage(large!, { handler: 'TotalsProjector' });
    committed.open();
    await slow;

    expect((await domain.view(Totals).get('acc-1')).total).toBe(11);
    expect(runs.get('totals:1')).toBe(2);
  });
});

describe('pauses between runs', () => {
  const policy = { max_attempts: 4, base_delay_ms: 5, max_delay_ms: 12 };
  const conflict = () => new ExpectedVersionError("Account 'acc-1'", 1, 2);

  it('draws each pause from 0 up to base_delay_ms * 2^(attempt - 1), capped at max_delay_ms', () => {
    expect(conflictDelay(1, policy, () => 0)).toBe(0);
    expect(conflictDelay(1, policy, () => 0.5)).toBe(2.5);
    expect(conflictDelay(2, policy, () => 0.5)).toBe(5);
    expect(conflictDelay(3, policy, () => 0.5)).toBe(6); // 20 ms, capped at 12
  });

  it('gives handlers that collided together different pauses (full jitter)', () => {
    const pauses = Array.from({ length: 50 }, () => conflictDelay(2, policy));
    expect(new Set(pauses).size).toBeGreaterThan(1);
    expect(pauses.every((ms) => ms >= 0 && ms < 10)).toBe(true);
  });

  it('pauses between runs, not after the last, and passes the last conflict on', async () => {
    const slept: number[] = [];
    const draws = [0.1, 0.9, 0.5];
    let runs = 0;
    const failing = retryOnConflict(
      async () => {
        runs += 1;
        throw conflict();
      },
      policy,
      { sleep: async (ms) => void slept.push(ms), random: () => draws.shift() ?? 0 },
    );

    await expect(failing).rejects.toBeInstanceOf(ExpectedVersionError);
    expect(runs).toBe(4);
    expect(slept).toEqual([0.5, 9, 6]);
  });

  it('resolves with the first run that succeeds', async () => {
    let runs = 0;
    const result = await retryOnConflict(
      async () => {
        runs += 1;
        if (runs < 3) throw conflict();
        return 'done';
      },
      policy,
      { sleep: async () => {} },
    );
    expect(result).toBe('done');
    expect(runs).toBe(3);
  });
});
