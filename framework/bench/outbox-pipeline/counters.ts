/**
 * What a side sends to PostgreSQL and Redis while a probe run drives its deposits through:
 *
 * - SQL statements, counted at `pg.Client#query` (every statement a `pg` client of this process
 *   sends, BEGIN and COMMIT included) by their first keyword. `pg_stat_statements` would count
 *   them on the server, but it needs `shared_preload_libraries` and a restart, which a benchmark
 *   must not require; for statements sent one at a time both count the same.
 * - Redis commands, as the commands this process's `ioredis` connections sent (by name), checked
 *   against the `INFO commandstats` deltas of the server. The server's count is the authority
 *   when this process is its only client; it is server-wide, so other clients (a test suite
 *   running meanwhile) inflate it, which the client count shows.
 *
 * The harness's own connections (completion polling, INFO) are left out of both client counts.
 */
import { Redis } from 'ioredis';
import pg from 'pg';

/** Counts of one window. */
export interface Counts {
  /** First keyword (`BEGIN`, `SELECT`, `WITH`, ...) -> statements. */
  readonly sql: ReadonlyMap<string, number>;
  /** Redis command (`xadd`, `xreadgroup`, ...) -> calls, from `INFO commandstats`. */
  readonly redis: ReadonlyMap<string, number>;
  /** Redis command (`xadd`, ...) -> how many this process's connections sent. */
  readonly redisSent: ReadonlyMap<string, number>;
}

type Method = (this: unknown, ...args: unknown[]) => unknown;

/** `cmdstat_xadd:calls=12,usec=...` -> `xadd` -> 12; our own INFO calls left out. */
export function parseCommandStats(info: string): Map<string, number> {
  const calls = new Map<string, number>();
  for (const line of info.split(/\r?\n/)) {
    const match = /^cmdstat_([^:]+):calls=(\d+)/.exec(line);
    if (match && match[1] !== 'info') calls.set(match[1] as string, Number(match[2]));
  }
  return calls;
}

function keywordOf(args: readonly unknown[]): string {
  const [first] = args;
  const text = typeof first === 'string' ? first : (first as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? (/^\s*(\w+)/.exec(text)?.[1]?.toUpperCase() ?? '?') : '?';
}

/** Replaces `target[name]` by a counting wrapper; returns the function that restores it. */
function wrap(target: object, name: string, count: (self: unknown, args: unknown[]) => void) {
  const holder = target as Record<string, Method>;
  const original = holder[name] as Method;
  holder[name] = function counted(this: unknown, ...args: unknown[]) {
    count(this, args);
    return original.apply(this, args);
  };
  return () => {
    holder[name] = original;
  };
}

function delta(before: Map<string, number>, after: Map<string, number>): Map<string, number> {
  const changes = new Map<string, number>();
  for (const [command, calls] of after) {
    const grown = calls - (before.get(command) ?? 0);
    if (grown > 0) changes.set(command, grown);
  }
  return changes;
}

/**
 * Runs `work` and counts what this process sends meanwhile, except through `harness.admin` and
 * `harness.redis` (which also reads `INFO commandstats` before and after). Untimed runs only.
 *
 * @example
 * const { result, counts } = await countDuring(() => driveAndWait(), { admin, redis });
 */
export async function countDuring<T>(
  work: () => Promise<T>,
  harness: { readonly admin: pg.Client; readonly redis: Redis },
): Promise<{ result: T; counts: Counts }> {
  const sql = new Map<string, number>();
  const redisSent = new Map<string, number>();
  const before = parseCommandStats(await harness.redis.info('commandstats'));
  const restorePg = wrap(pg.Client.prototype, 'query', (self, args) => {
    if (self === harness.admin) return;
    const keyword = keywordOf(args);
    sql.set(keyword, (sql.get(keyword) ?? 0) + 1);
  });
  const restoreRedis = wrap(Redis.prototype, 'sendCommand', (self, args) => {
    if (self === harness.redis) return;
    const name = String((args[0] as { name?: unknown } | undefined)?.name).toLowerCase();
    redisSent.set(name, (redisSent.get(name) ?? 0) + 1);
  });
  let result: T;
  try {
    result = await work();
  } finally {
    restorePg();
    restoreRedis();
  }
  const after = parseCommandStats(await harness.redis.info('commandstats'));
  return { result, counts: { sql, redis: delta(before, after), redisSent } };
}
