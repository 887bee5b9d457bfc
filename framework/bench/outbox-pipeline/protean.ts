/**
 * The protean-ts side of outbox-pipeline: an Account aggregate, a Deposit command, a Deposited
 * event and an idempotent BalanceProjector on a `stream` subscription, on PostgreSQL + Redis with
 * the outbox. `domain.process()` runs the handler (sync command processing: account row and
 * outbox row commit together); an `Engine` from `protean-ts/server`, in normal mode, runs the
 * outbox processor and the stream subscription, exactly as `protean server` would.
 */
import { Domain, field } from 'protean-ts';
import type { Logger } from 'protean-ts';
import { Engine } from 'protean-ts/server';
import { traceOptions } from './trace-mode.js';
import { DOMAIN, OUTBOX, POOL_SIZE, PROJECTOR, STREAM } from './workload.js';
import type { OpenPipeline, Pipeline, RunEnv } from './workload.js';

/** The engine logs nothing: both sides run quiet. */
const SILENT: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** The projector's own subscription options, as an application would declare them. */
const SUBSCRIPTION = { subscription_type: 'stream' } as const;

function configFor(env: RunEnv) {
  return {
    command_processing: 'sync',
    event_processing: 'async',
    enable_outbox: true,
    databases: {
      default: { provider: 'postgresql', database_uri: env.databaseUrl, pool_size: POOL_SIZE },
    },
    // The event store stays the default (memory): the outbox is what carries the events here.
    brokers: { default: { provider: 'redis', URI: env.redisUrl, key_prefix: env.keyPrefix } },
    outbox: {
      messages_per_tick: OUTBOX.messagesPerTick,
      tick_interval: OUTBOX.tickIntervalMs / 1000,
      max_tick_interval: OUTBOX.maxTickIntervalMs / 1000,
      lock_seconds: OUTBOX.leaseSeconds,
    },
    server: {
      messages_per_tick: STREAM.messagesPerTick,
      tick_interval: 0,
      stream_subscription: {
        blocking_timeout_ms: STREAM.blockMs,
        claim_idle_ms: STREAM.claimIdleMs,
      },
      health: { enabled: false },
    },
  } as const;
}

/** Declares the model on a new domain configured for one run's stores. */
function declareModel(env: RunEnv) {
  const domain = new Domain({ name: DOMAIN, config: configFor(env), logger: SILENT });

  const Deposited = domain.event(
    'Deposited',
    {
      accountId: field.string({ required: true }),
      depositId: field.string({ required: true }),
      amount: field.integer({ required: true, min: 1 }),
    },
    { partOf: 'Account' },
  );

  class Account extends domain.aggregate('Account', {
    accountId: field.string({ required: true, identifier: true }),
    balance: field.integer({ default: 0 }),
    deposits: field.integer({ default: 0 }),
  }) {
    deposit(depositId: string, amount: number): void {
      this.balance += amount;
      this.deposits += 1;
      this.raise(Deposited, { accountId: this.accountId, depositId, amount });
    }
  }

  const Deposit = domain.command(
    'Deposit',
    {
      accountId: field.string({ required: true, identifier: true }),
      depositId: field.string({ required: true }),
      amount: field.integer({ required: true, min: 1 }),
    },
    { partOf: Account },
  );

  const AccountBalance = domain.projection('AccountBalance', {
    accountId: field.string({ identifier: true }),
    balance: field.integer({ default: 0 }),
    deposits: field.integer({ default: 0 }),
    lastDepositId: field.string(),
  });

  domain.handle(Deposit, async (command, { repository }) => {
    const accounts = repository(Account);
    const account =
      (await accounts.getOrNull(command.accountId)) ??
      new Account({ accountId: command.accountId });
    account.deposit(command.depositId, command.amount);
    await accounts.add(account);
  });

  domain
    .projector(PROJECTOR, {
      projections: [AccountBalance],
      idempotent: true,
      subscription: SUBSCRIPTION,
    })
    .on(Deposited, async (event, { repository }) => {
      const balances = repository(AccountBalance);
      const row =
        (await balances.getOrNull(event.accountId)) ??
        new AccountBalance({ accountId: event.accountId });
      row.balance += event.amount;
      row.deposits += 1;
      row.lastDepositId = event.depositId;
      await balances.add(row);
    });

  return { domain, Deposit };
}

/**
 * Throws unless the engine will run with the settings the baseline copies (a changed default
 * would otherwise compare two different pipelines silently).
 */
function checkSettings(domain: Domain): void {
  const resolved = domain.subscriptionOptions(PROJECTOR, SUBSCRIPTION);
  const stream = resolved.subscription_type === 'stream' ? resolved : undefined;
  const { outbox, databases } = domain.config;
  const actual = [
    resolved.subscription_type,
    resolved.messages_per_tick,
    resolved.tick_interval,
    stream?.blocking_timeout_ms,
    stream?.claim_idle_ms,
    outbox.messages_per_tick,
    outbox.tick_interval * 1000,
    outbox.max_tick_interval * 1000,
    databases.default.pool_size,
  ];
  const expected = [
    'stream',
    STREAM.messagesPerTick,
    0,
    STREAM.blockMs,
    STREAM.claimIdleMs,
    OUTBOX.messagesPerTick,
    OUTBOX.tickIntervalMs,
    OUTBOX.maxTickIntervalMs,
    POOL_SIZE,
  ];
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(
      `outbox-pipeline: protean-ts resolved ${JSON.stringify(actual)}, the baseline runs with ` +
        `${JSON.stringify(expected)} (subscription type, messages per tick, tick interval, block ms, ` +
        'claim idle ms, outbox batch, outbox busy and idle-cap ms, pool size); align workload.ts.',
    );
  }
}

/**
 * The protean-ts pipeline on a run's fresh stores: the domain initialized and its schema set up
 * (`domain.setupSchema()`); `start()` runs the engine, `close()` shuts it down and closes the domain.
 *
 * @example
 * const pipeline = await openProtean({ databaseUrl, redisUrl, keyPrefix });
 * await pipeline.start();
 * await pipeline.deposit({ accountId: 'acc-0001', depositId: 'dep-0', amount: 10 });
 * await pipeline.close();
 */
export const openProtean: OpenPipeline = async (env) => {
  const { domain, Deposit } = declareModel(env);
  await domain.init();
  try {
    checkSettings(domain);
    await domain.setupSchema();
  } catch (error) {
    await domain.close();
    throw error;
  }
  let engine: Engine | undefined;
  let running: Promise<number> | undefined;
  const trace = await traceOptions(domain);
  const pipeline: Pipeline = {
    async start() {
      engine = new Engine(domain, { closeDomain: false, ...trace.options });
      running = engine.run();
    },
    async deposit(input) {
      await domain.process(new Deposit(input));
    },
    async close() {
      try {
        if (engine && !engine.shuttingDown) await engine.shutdown();
        const exitCode = await running;
        if (exitCode !== undefined && exitCode !== 0)
          throw new Error(`the protean-ts engine stopped with exit code ${exitCode}`);
      } finally {
        await trace.close();
        await domain.close();
      }
    },
  };
  return pipeline;
};
