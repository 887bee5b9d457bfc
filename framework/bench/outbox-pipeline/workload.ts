/**
 * The outbox-pipeline workload, identical for both sides: `n` deposits into accounts, sent by
 * {@link CLIENTS} concurrent clients, each one after the other on accounts of its own (so no two
 * clients ever race on an account). Every deposit is one command transaction (account row + outbox
 * row), then travels outbox -> relay -> Redis stream -> consumer -> projection. The settings both
 * pipelines run with are the constants below (protean-ts's defaults, written out).
 */
import { performance } from 'node:perf_hooks';
import process from 'node:process';
import { setTimeout as sleep } from 'node:timers/promises';

/** The domain's name, and so the first part of every table, stream and type name. */
export const DOMAIN = 'bench';
/** The category of the Account aggregate: its events' stream in Redis (key prefix before it). */
export const CATEGORY = 'bench::account';
/** The projector; also the consumer group and the idempotency markers' handler name. */
export const PROJECTOR = 'BalanceProjector';
/** Tables, as protean-ts derives them from the declarations (`bench.account` -> `bench_account`). */
export const ACCOUNT_TABLE = 'bench_account';
export const BALANCE_TABLE = 'bench_account_balance';
export const OUTBOX_TABLE = 'protean_outbox';
export const MARKER_TABLE = 'protean_idempotency';
/** The type name of the event, as protean-ts writes it in envelopes. */
export const DEPOSITED_TYPE = 'Bench.Deposited.v1';

/** Concurrent command clients, and the accounts each one deposits into (round-robin). */
export const CLIENTS = 4;
export const ACCOUNTS_PER_CLIENT = 25;

/** Connections per pool (`[databases.default] pool_size`, default 10). */
export const POOL_SIZE = 10;

/** `[outbox]`: rows claimed per tick, poll interval when busy / idle cap, lease. */
export const OUTBOX = {
  messagesPerTick: 50,
  tickIntervalMs: 10,
  maxTickIntervalMs: 1000,
  leaseSeconds: 300,
} as const;

/** The stream subscription: entries per XREADGROUP, its BLOCK, the XAUTOCLAIM idle time. */
export const STREAM = { messagesPerTick: 100, blockMs: 1000, claimIdleMs: 60_000 } as const;

/**
 * The latency phase's offered load, deposits per second from all clients together: well below
 * what either side sustains on a 2-core machine, so its latency is the pipeline's, not a queue's.
 */
export const PACED_RATE = 200;

/** One Deposit command. */
export interface DepositInput {
  readonly accountId: string;
  /** Unique per run: the projection records the last one it applied (`last_deposit_id`). */
  readonly depositId: string;
  readonly amount: number;
}

/** One side's pipeline on fresh stores, its schema created. */
export interface Pipeline {
  /** Starts the relay and the consumer (resolves before the consumer group may exist). */
  start(): Promise<void>;
  /** Processes one Deposit; resolves once its transaction (account + outbox row) committed. */
  deposit(input: DepositInput): Promise<void>;
  /** Stops relay and consumer gracefully and releases every connection. */
  close(): Promise<void>;
}

/** Where a run's stores are: a fresh database and a fresh Redis key prefix. */
export interface RunEnv {
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly keyPrefix: string;
}

/** Opens one side on a run's fresh stores and creates its tables. */
export type OpenPipeline = (env: RunEnv) => Promise<Pipeline>;

/** The wall clock in milliseconds with sub-millisecond resolution (comparable to PostgreSQL's). */
export const wallClockMs = (): number => performance.timeOrigin + performance.now();

/**
 * Deposits `first` .. `first + deposits - 1` of a run, per client, each client's in the order it
 * sends them; deposit `i` goes to client `i % CLIENTS`, round-robin over that client's accounts.
 */
export function plan(deposits: number, first = 0): DepositInput[][] {
  const clients: DepositInput[][] = Array.from({ length: CLIENTS }, () => []);
  for (let i = first; i < first + deposits; i++) {
    const client = i % CLIENTS;
    const account = client * ACCOUNTS_PER_CLIENT + (Math.floor(i / CLIENTS) % ACCOUNTS_PER_CLIENT);
    clients[client]?.push({
      accountId: `acc-${String(account).padStart(4, '0')}`,
      depositId: `dep-${i}`,
      amount: 1 + (i % 100),
    });
  }
  return clients;
}

/** What the clients saw: when each deposit committed, and how long each command took. */
export interface Drive {
  /** Deposit id -> wall-clock ms at which `deposit()` resolved (its commit). */
  readonly committedAt: Map<string, number>;
  /** Per command, ms from the call to its commit. */
  readonly commandMs: number[];
  readonly startedAt: number;
  readonly endedAt: number;
}

/**
 * Sends every client's deposits, clients concurrently, each one after the other: as fast as they
 * commit, or, given `perSecond`, paced so that all clients together send that many per second
 * (deposit `k` of client `c` is due at `(k * CLIENTS + c) / perSecond` s; one that is late goes
 * at once).
 */
export async function drive(
  pipeline: Pipeline,
  clients: readonly DepositInput[][],
  perSecond?: number,
): Promise<Drive> {
  const committedAt = new Map<string, number>();
  const commandMs: number[] = [];
  const startedAt = wallClockMs();
  const dueAt = (client: number, k: number) =>
    perSecond === undefined ? 0 : startedAt + ((k * CLIENTS + client) * 1000) / perSecond;
  await Promise.all(
    clients.map(async (deposits, client) => {
      for (const [k, deposit] of deposits.entries()) {
        const wait = dueAt(client, k) - wallClockMs();
        if (wait > 0) await sleep(wait);
        const sent = process.hrtime.bigint();
        await pipeline.deposit(deposit);
        committedAt.set(deposit.depositId, wallClockMs());
        commandMs.push(Number(process.hrtime.bigint() - sent) / 1e6);
      }
    }),
  );
  return { committedAt, commandMs, startedAt, endedAt: wallClockMs() };
}

/** Per account: the balance and number of deposits a correct run ends with. */
export function expectedAccounts(
  clients: readonly DepositInput[][],
): Map<string, { balance: number; deposits: number }> {
  const accounts = new Map<string, { balance: number; deposits: number }>();
  for (const { accountId, amount } of clients.flat()) {
    const account = accounts.get(accountId) ?? { balance: 0, deposits: 0 };
    account.balance += amount;
    account.deposits += 1;
    accounts.set(accountId, account);
  }
  return accounts;
}
