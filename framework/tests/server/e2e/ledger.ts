/**
 * The sample domain of the server e2e suite: deposits into accounts, on PostgreSQL + Redis with
 * the outbox. `Deposit` -> `Deposited` (outbox -> Redis stream `ledger::account`) -> the
 * idempotent `Totals` projector (per-account total and count, and a per-process tally) and the
 * `Notifier` handler, which always throws for the amount in `LEDGER_POISON`.
 *
 * `protean server --domain tests/server/e2e/ledger.ts` loads `domain`, configured from the
 * environment (`DATABASE_URL`, `REDIS_URL`, `LEDGER_PREFIX`, `LEDGER_COMMANDS`); tests build
 * their own instance with {@link createLedger}.
 */
import { Domain, field } from '../../../src/index.js';

/** What a ledger domain is configured from (the server reads it from its environment). */
export type LedgerEnv = {
  DATABASE_URL?: string | undefined;
  REDIS_URL?: string | undefined;
  /** The Redis key prefix, unique per test file. */
  LEDGER_PREFIX?: string | undefined;
  /** `sync` (the caller runs the handler) or `async` (the server does). @defaultValue sync */
  LEDGER_COMMANDS?: string | undefined;
  /** `Notifier` throws for deposits of this amount. */
  LEDGER_POISON?: string | undefined;
  /** `[server.health] port`; 0 picks a free one. @defaultValue 0 */
  LEDGER_HEALTH_PORT?: string | undefined;
};

/** Builds the ledger on a new Domain configured from `env`. */
export function createLedger(env: LedgerEnv) {
  const domain = new Domain({
    name: 'ledger',
    config: {
      command_processing: env.LEDGER_COMMANDS === 'async' ? 'async' : 'sync',
      event_processing: 'async',
      enable_outbox: true,
      databases: {
        default: { provider: 'postgresql', database_uri: env.DATABASE_URL, pool_size: 4 },
      },
      event_store: { provider: 'postgresql', database_uri: env.DATABASE_URL },
      brokers: {
        default: { provider: 'redis', URI: env.REDIS_URL, key_prefix: env.LEDGER_PREFIX ?? '' },
      },
      outbox: { tick_interval: 0.01, max_tick_interval: 0.1, lock_seconds: 5 },
      // #region server-config
      server: {
        default_subscription_type: 'stream',
        messages_per_tick: 20,
        shutdown_timeout_seconds: 10,
        stream_subscription: {
          blocking_timeout_ms: 200,
          claim_idle_ms: 1_000,
          // A failed delivery is retried at once. (Consumers of one group that update the same
          // projection row conflict now and then; [conflict_retry] runs the projector again
          // before a conflict counts as a failed delivery.)
          retry_delay_seconds: 0,
        },
        event_store_subscription: { position_update_interval: 5, retry_delay_seconds: 0 },
        health: { port: Number(env.LEDGER_HEALTH_PORT ?? 0) },
      },
      // #endregion server-config
    },
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
  const Totals = domain.projection('AccountTotals', {
    accountId: field.string({ identifier: true }),
    total: field.integer({ default: 0 }),
    deposits: field.integer({ default: 0 }),
  });
  /** How many events each server process applied (to see that two servers shared the work). */
  const Tally = domain.projection('ProcessTally', {
    pid: field.string({ required: true, identifier: true }),
    applied: field.integer({ default: 0 }),
  });
  const Notices = domain.projection('Notices', {
    eventId: field.string({ identifier: true }),
    accountId: field.string({ required: true }),
  });

  // #region idempotent
  domain.handle(
    Deposit,
    async (command, { repository }) => {
      const accounts = repository(Account);
      const account =
        (await accounts.getOrNull(command.accountId)) ??
        new Account({ accountId: command.accountId });
      account.balance += command.amount;
      account.raise(Deposited, { accountId: command.accountId, amount: command.amount });
      await accounts.add(account);
    },
    { idempotent: true },
  );

  domain
    .projector('Totals', { projections: [Totals, Tally], idempotent: true })
    .on(Deposited, async (event, { repository }) => {
      const totals = repository(Totals);
      const row =
        (await totals.getOrNull(event.accountId)) ?? new Totals({ accountId: event.accountId });
      row.total += event.amount;
      row.deposits += 1;
      await totals.add(row);
      const tallies = repository(Tally);
      const pid = String(process.pid);
      const tally = (await tallies.getOrNull(pid)) ?? new Tally({ pid });
      tally.applied += 1;
      await tallies.add(tally);
    });
  // #endregion idempotent

  domain
    .eventHandler('Notifier', { idempotent: true })
    .on(Deposited, async (event, { repository, message }) => {
      if (String(event.amount) === env.LEDGER_POISON) {
        throw new Error(`the notification service refuses amount ${event.amount}`);
      }
      await repository(Notices).add(
        new Notices({ eventId: message.id, accountId: event.accountId }),
      );
    });

  return { domain, Account, Deposit, Deposited, Totals, Tally, Notices };
}

/** The ledger of this process's environment: what `protean server` runs. */
export const domain = createLedger(process.env).domain;
