/**
 * The per-event counts of the probe runs as rows of the report's second table: SQL statements by
 * first keyword, Redis commands by name, each per event, protean-ts next to the baseline.
 */
import pg from 'pg';
import type { ExtraFigure } from '../lib/types.js';
import type { Counts } from './counters.js';

const SQL_ORDER = ['BEGIN', 'COMMIT', 'SELECT', 'INSERT', 'UPDATE', 'WITH', 'DELETE'];
const SQL_NOTES: Readonly<Record<string, string>> = {
  WITH: 'outbox claims (WITH ... UPDATE ... RETURNING)',
  SELECT: 'loads before a change',
};

/** `SHOW shared_preload_libraries` of the server (whether pg_stat_statements could count). */
export async function sharedPreloadLibraries(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ shared_preload_libraries: string }>(
      'SHOW shared_preload_libraries',
    );
    return rows[0]?.shared_preload_libraries ?? '';
  } finally {
    await client.end();
  }
}

function ordered(keys: Iterable<string>, first: readonly string[]): string[] {
  const all = new Set(keys);
  const known = first.filter((key) => all.has(key));
  return [...known, ...[...all].filter((key) => !first.includes(key)).sort()];
}

const total = (counts: ReadonlyMap<string, number>) =>
  [...counts.values()].reduce((sum, n) => sum + n, 0);

function breakdown(
  protean: ReadonlyMap<string, number>,
  baseline: ReadonlyMap<string, number>,
  events: number,
  label: (key: string) => string,
  order: readonly string[] = [],
  notes: Readonly<Record<string, string>> = {},
): ExtraFigure[] {
  return ordered([...protean.keys(), ...baseline.keys()], order).map((key) => ({
    label: `  ${label(key)}`,
    unit: '',
    protean: (protean.get(key) ?? 0) / events,
    baseline: (baseline.get(key) ?? 0) / events,
    ...(notes[key] ? { note: notes[key] } : {}),
  }));
}

/**
 * The rows for statements and commands per event.
 *
 * @example
 * countFigures(proteanCounts, baselineCounts, 2000, await sharedPreloadLibraries(url));
 */
export function countFigures(
  protean: Counts,
  baseline: Counts,
  events: number,
  preload: string,
): ExtraFigure[] {
  const why = preload.includes('pg_stat_statements')
    ? 'counted at pg.Client#query, harness excluded'
    : `counted at pg.Client#query: pg_stat_statements is not in shared_preload_libraries ('${preload}')`;
  return [
    {
      label: `SQL statements per event (${events}-deposit probe)`,
      unit: '',
      protean: total(protean.sql) / events,
      baseline: total(baseline.sql) / events,
      note: why,
    },
    ...breakdown(protean.sql, baseline.sql, events, (key) => key, SQL_ORDER, SQL_NOTES),
    {
      label: 'Redis commands per event',
      unit: '',
      protean: total(protean.redisSent) / events,
      baseline: total(baseline.redisSent) / events,
      note: `sent by this process; INFO commandstats: ${serverCheck(protean, baseline)}`,
    },
    ...breakdown(protean.redisSent, baseline.redisSent, events, (key) => key.toUpperCase()),
  ];
}

/** Whether the server's deltas match what this process sent, per command (`xgroup|create` -> `xgroup`). */
function serverCheck(...sides: Counts[]): string {
  const extra = new Map<string, number>();
  for (const { redis, redisSent } of sides) {
    const server = new Map<string, number>();
    for (const [command, calls] of redis) {
      const base = command.split('|')[0] ?? command;
      server.set(base, (server.get(base) ?? 0) + calls);
    }
    for (const [command, calls] of server) {
      const more = calls - (redisSent.get(command) ?? 0);
      if (more !== 0) extra.set(command, (extra.get(command) ?? 0) + more);
    }
  }
  if (extra.size === 0) return 'the same deltas, command for command';
  const list = [...extra].map(([command, n]) => `${command.toUpperCase()} ${n > 0 ? '+' : ''}${n}`);
  return `other clients of the server meanwhile (${list.join(', ')} over both probes)`;
}
