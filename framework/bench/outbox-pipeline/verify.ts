/**
 * The correctness check of a run, the same for both sides, on the stores they left behind: every
 * deposit applied to the projection exactly once (apply log), balances and counts right in the
 * projection and in the accounts, every outbox row published, one idempotency marker per event,
 * every stream entry acknowledged. Throws `CorrectnessError` listing what is wrong.
 */
import { CorrectnessError } from '../lib/types.js';
import type { Run } from './harness.js';
import {
  ACCOUNT_TABLE,
  BALANCE_TABLE,
  expectedAccounts,
  MARKER_TABLE,
  OUTBOX_TABLE,
  PROJECTOR,
} from './workload.js';
import type { DepositInput } from './workload.js';

interface Row {
  account_id: string;
  balance: number;
  deposits: number;
  version: number;
}

const rowsOf = (table: string) =>
  `SELECT account_id, balance::float8 AS balance, deposits::float8 AS deposits, version FROM ${table}`;

function checkApplied(
  clients: readonly DepositInput[][],
  applied: readonly { depositId: string }[],
  problems: string[],
): void {
  const times = new Map<string, number>();
  for (const { depositId } of applied) times.set(depositId, (times.get(depositId) ?? 0) + 1);
  const sent = new Set(clients.flat().map((d) => d.depositId));
  for (const id of sent) {
    const n = times.get(id) ?? 0;
    if (n !== 1) problems.push(`deposit ${id} applied to the projection ${n} times`);
  }
  for (const id of times.keys()) if (!sent.has(id)) problems.push(`unknown deposit ${id} applied`);
}

async function checkRows(
  run: Run,
  table: string,
  expected: ReturnType<typeof expectedAccounts>,
  problems: string[],
): Promise<void> {
  const { rows } = await run.admin.query<Row>(rowsOf(table));
  if (rows.length !== expected.size)
    problems.push(`${table} holds ${rows.length} rows, expected ${expected.size}`);
  for (const row of rows) {
    const want = expected.get(row.account_id);
    if (!want) problems.push(`${table}: unexpected row ${row.account_id}`);
    else if (row.balance !== want.balance || row.deposits !== want.deposits) {
      problems.push(
        `${table} ${row.account_id}: balance ${row.balance} after ${row.deposits} deposits, ` +
          `expected ${want.balance} after ${want.deposits}`,
      );
    } else if (table === ACCOUNT_TABLE && row.version !== want.deposits) {
      problems.push(
        `${table} ${row.account_id}: version ${row.version}, expected ${want.deposits}`,
      );
    }
  }
}

async function checkOutboxAndMarkers(run: Run, events: number, problems: string[]) {
  const { rows } = await run.admin.query<{ status: string; n: number }>(
    `SELECT status, count(*)::int AS n FROM ${OUTBOX_TABLE} GROUP BY status`,
  );
  const published = rows.find((row) => row.status === 'published')?.n ?? 0;
  if (published !== events || rows.length !== 1) {
    const statuses = rows.map((row) => `${row.status} ${row.n}`).join(', ');
    problems.push(`outbox rows: ${statuses || 'none'}; expected ${events} published`);
  }
  const markers = await run.admin.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${MARKER_TABLE} WHERE handler = $1`,
    [PROJECTOR],
  );
  const marked = markers.rows[0]?.n ?? 0;
  if (marked !== events) problems.push(`${marked} idempotency markers, expected ${events}`);
}

async function checkStream(run: Run, events: number, problems: string[]): Promise<void> {
  const length = await run.redis.xlen(run.key);
  if (length !== events)
    problems.push(`stream ${run.key} holds ${length} entries, expected ${events}`);
  const [pending] = (await run.redis.call('XPENDING', run.key, PROJECTOR)) as [number];
  if (pending !== 0) problems.push(`${pending} stream entries never acknowledged`);
  const deadLetters = await run.redis.xlen(`${run.key}:dlq`);
  if (deadLetters !== 0) problems.push(`${deadLetters} entries dead-lettered`);
}

/**
 * Throws `CorrectnessError` unless the run applied every deposit of `clients` exactly once.
 *
 * @example
 * await verify(run, clients, await readApplied(run.admin, offset));
 */
export async function verify(
  run: Run,
  clients: readonly DepositInput[][],
  applied: readonly { depositId: string }[],
): Promise<void> {
  const events = clients.reduce((sum, deposits) => sum + deposits.length, 0);
  const expected = expectedAccounts(clients);
  const problems: string[] = [];
  checkApplied(clients, applied, problems);
  await checkRows(run, BALANCE_TABLE, expected, problems);
  await checkRows(run, ACCOUNT_TABLE, expected, problems);
  await checkOutboxAndMarkers(run, events, problems);
  await checkStream(run, events, problems);
  if (problems.length > 0) throw new CorrectnessError(run.side, problems);
}
