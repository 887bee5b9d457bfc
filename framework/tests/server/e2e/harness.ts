/**
 * What the server e2e files share: a ledger on a database and Redis prefix of its own, `protean
 * server` as a child process whose JSON log lines are collected, a load generator and the checks
 * (everything applied exactly once).
 */
import { execFile, spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  createTestDatabase,
  deleteRedisKeys,
  integrationServices,
  uniqueRedisPrefix,
} from '../../../src/testing/index.js';
import type { TestDatabase } from '../../../src/testing/index.js';
import { ExpectedVersionError } from '../../../src/index.js';
import { DatabaseError } from '../../../src/postgres.js';
import { createLedger } from './ledger.js';
import type { LedgerEnv } from './ledger.js';

const bin = fileURLToPath(new URL('../../../bin/protean.js', import.meta.url));
const framework = fileURLToPath(new URL('../../..', import.meta.url));
/** The ledger module, as `--domain` takes it. */
export const LEDGER = fileURLToPath(new URL('./ledger.ts', import.meta.url));

/** The environment of a server as a user starts it: no test-runner variables. */
function userEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['PROTEAN_DOMAIN', 'LOG_LEVEL', 'PROTEAN_LOG_DIR', 'PROTEAN_ENV', 'VITEST'])
    delete env[name];
  delete env['NODE_ENV'];
  return env;
}

/** A ledger on its own database and Redis prefix, its schema set up, and how to reach it. */
export interface LedgerWorld {
  /** What a server of this world needs in its environment. */
  readonly env: LedgerEnv;
  /** The ledger in this process (initialized): to issue commands and read projections. */
  readonly ledger: ReturnType<typeof createLedger>;
  close(): Promise<void>;
}

/**
 * Creates a database, picks a Redis prefix, sets up the schema and initializes an in-process
 * ledger on them.
 */
export async function ledgerWorld(extra: LedgerEnv = {}): Promise<LedgerWorld> {
  const services = integrationServices();
  const database: TestDatabase = await createTestDatabase(services.postgres.url);
  const env: LedgerEnv = {
    DATABASE_URL: database.url,
    REDIS_URL: services.redis.url,
    LEDGER_PREFIX: uniqueRedisPrefix(),
    ...extra,
  };
  const ledger = createLedger(env);
  await ledger.domain.init();
  await ledger.domain.setupSchema();
  return {
    env,
    ledger,
    async close() {
      await ledger.domain.close();
      await database.drop();
      await deleteRedisKeys(env.REDIS_URL!, env.LEDGER_PREFIX!).catch(() => 0);
    },
  };
}

/**
 * One e2e test's ledger and servers: `open()` makes the ledger, `server()` starts `protean
 * server` on it, `close()` (in `afterEach`) kills the servers and drops the rest.
 */
export class Scene {
  #world: LedgerWorld | undefined;
  readonly #servers: ServerProcess[] = [];

  async open(extra: LedgerEnv = {}): Promise<LedgerWorld> {
    this.#world = await ledgerWorld(extra);
    return this.#world;
  }

  /** Starts `protean server ...args` on the ledger, with `env` over the ledger's environment. */
  server(env: Record<string, string | undefined> = {}, args: string[] = []): ServerProcess {
    if (!this.#world) throw new Error('open() the scene before starting a server');
    const started = new ServerProcess({ ...this.#world.env, ...env }, args);
    this.#servers.push(started);
    return started;
  }

  async close(): Promise<void> {
    await Promise.all(this.#servers.splice(0).map((server) => server.kill()));
    await this.#world?.close();
    this.#world = undefined;
  }
}

/** How a `protean` command ended. */
export interface CommandOutcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `protean ...args --domain ledger.ts` to its end, in the environment of `env`. */
export function protean(
  env: Record<string, string | undefined>,
  args: string[],
): Promise<CommandOutcome> {
  return promisify(execFile)(process.execPath, [bin, ...args, '--domain', LEDGER], {
    cwd: framework,
    env: { ...userEnvironment(), ...env },
    timeout: 30_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: CommandOutcome) => error,
  );
}

/** How a server process ended. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** `protean server --domain ledger.ts --log-format json` as a child process. */
export class ServerProcess {
  readonly lines: Record<string, unknown>[] = [];
  readonly exited: Promise<Exit>;
  stderr = '';
  readonly #child: ChildProcessWithoutNullStreams;
  #partial = '';
  readonly #waiters = new Set<() => void>();

  constructor(env: Record<string, string | undefined>, args: string[] = []) {
    const argv = [bin, 'server', '--domain', LEDGER, '--log-format', 'json', ...args];
    this.#child = spawn(process.execPath, argv, {
      cwd: framework,
      env: { ...userEnvironment(), ...env },
    });
    this.#child.stdout.on('data', (chunk: Buffer) => this.#read(chunk.toString()));
    this.#child.stderr.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) =>
      this.#child.on('close', (code, signal) => {
        this.#wake();
        resolve({ code, signal });
      }),
    );
  }

  get pid(): number {
    return this.#child.pid!;
  }

  signal(signal: NodeJS.Signals): void {
    this.#child.kill(signal);
  }

  /** The log lines with this `msg`. */
  messages(msg: string): Record<string, unknown>[] {
    return this.lines.filter((line) => line['msg'] === msg);
  }

  /** Resolves with the first log line `match` accepts; rejects after `timeoutMs` or on exit. */
  async waitForLine(
    match: (line: Record<string, unknown>) => boolean,
    timeoutMs = 20_000,
  ): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.lines.find(match);
      if (found) return found;
      if (this.#child.exitCode !== null || this.#child.signalCode !== null)
        throw new Error(`the server exited before the awaited line; stderr:\n${this.stderr}`);
      if (Date.now() > deadline)
        throw new Error(`no awaited log line within ${timeoutMs} ms; stderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        this.#waiters.add(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  /** Resolves once the server logged that it is starting its engine (signals are handled). */
  started(): Promise<Record<string, unknown>> {
    return this.waitForLine((line) => line['msg'] === 'server starting');
  }

  /** Stops it with SIGKILL if it is still running (for `afterEach`). */
  async kill(): Promise<void> {
    if (this.#child.exitCode === null && this.#child.signalCode === null)
      this.#child.kill('SIGKILL');
    await this.exited;
  }

  #read(text: string): void {
    const parts = (this.#partial + text).split('\n');
    this.#partial = parts.pop() ?? '';
    for (const part of parts) {
      if (!part.startsWith('{')) continue;
      this.lines.push(JSON.parse(part) as Record<string, unknown>);
    }
    this.#wake();
  }

  #wake(): void {
    for (const wake of this.#waiters) wake();
    this.#waiters.clear();
  }
}

/** What a run of deposits should add up to, per account. */
export type Expected = Map<string, { total: number; deposits: number }>;

/**
 * Deposits `count` times into `accounts` accounts (amounts 1, 2, ... skipping `skip`), with
 * `concurrency` commands in flight; resolves with what the projections should show.
 */
export async function deposit(
  world: LedgerWorld,
  count: number,
  { accounts = 5, concurrency = 8, skip = 13, first = 0, expected = new Map() as Expected } = {},
): Promise<Expected> {
  const { domain, Deposit } = world.ledger;
  let next = first;
  const end = first + count;
  const worker = async () => {
    while (next < end) {
      const n = next++;
      const accountId = `account-${n % accounts}`;
      const amount = (n % 50) + 1 === skip ? skip + 1 : (n % 50) + 1;
      await retryConflicts(() => domain.process(new Deposit({ accountId, amount })));
      const sums = expected.get(accountId) ?? { total: 0, deposits: 0 };
      expected.set(accountId, { total: sums.total + amount, deposits: sums.deposits + 1 });
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return expected;
}

/**
 * Runs `fn` again, as a client would, while it fails before changing anything: on a concurrent
 * change of the same aggregate, or on a pooled connection that died before its BEGIN (when a
 * test terminates connections).
 */
async function retryConflicts(fn: () => Promise<unknown>): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await fn();
      return;
    } catch (error) {
      if (!retryable(error) || attempt >= 50) throw error;
    }
  }
}

/** A read that met a dead pooled connection is read again (the pool has discarded it). */
function unlessUnavailable(error: unknown): undefined {
  if (error instanceof DatabaseError && error.code === 'DATABASE_UNAVAILABLE') return undefined;
  throw error;
}

function retryable(error: unknown): boolean {
  if (error instanceof ExpectedVersionError) return true;
  return error instanceof DatabaseError && error.message.startsWith('begin failed');
}

/** What the `Totals` projection shows, per account of `expected`. */
export async function totals(world: LedgerWorld, expected: Expected): Promise<Expected> {
  const view = world.ledger.domain.repository(world.ledger.Totals);
  const found: Expected = new Map();
  for (const accountId of expected.keys()) {
    const row = await view.getOrNull(accountId);
    found.set(accountId, { total: row?.total ?? 0, deposits: row?.deposits ?? 0 });
  }
  return found;
}

/** Events applied by the `Totals` projector, summed over every server process. */
export async function applied(world: LedgerWorld): Promise<Map<string, number>> {
  const rows = await world.ledger.domain.repository(world.ledger.Tally).find({});
  return new Map(rows.map((row) => [row.pid, row.applied]));
}

function sum(values: Iterable<number>): number {
  let total = 0;
  for (const value of values) total += value;
  return total;
}

/** How many deposits `expected` holds. */
export function depositCount(expected: Expected): number {
  return sum([...expected.values()].map((entry) => entry.deposits));
}

/**
 * Waits until the `Totals` projection has applied as many events as `expected` holds (or more:
 * a duplicate shows then); resolves with what it shows. Bounded by `timeoutMs`: a liveness
 * bound, not a measurement.
 */
export async function drained(
  world: LedgerWorld,
  expected: Expected,
  timeoutMs = 30_000,
): Promise<Expected> {
  const want = depositCount(expected);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await totals(world, expected).catch(unlessUnavailable);
    const count = sum([...(found ?? new Map()).values()].map((entry) => entry.deposits));
    if (found && count >= want) return found;
    if (Date.now() > deadline) return found ?? new Map();
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Per subscription, the message ids its `handling message` debug lines name more than once
 * across `servers`: a graceful shutdown must leave none.
 */
export function handledTwice(servers: readonly ServerProcess[]): string[] {
  const seen = new Set<string>();
  const twice: string[] = [];
  for (const server of servers) {
    for (const line of server.messages('handling message')) {
      const key = `${String(line['subscription'])} ${String(line['messageId'])}`;
      if (seen.has(key)) twice.push(key);
      seen.add(key);
    }
  }
  return twice;
}
