import { OUTBOX_STATUSES } from '../ports/outbox.js';
import type { OutboxCounts, OutboxEntry } from '../ports/outbox.js';
import type { outboxRetryAbandoned, outboxStatus } from './commands/outbox.js';
import type { OptionsOf } from './define.js';
import type { CliIo } from './io.js';
import type { Column } from './operator.js';
import { clip, formatTable, noteInProcess, plural, printJson, withDomain } from './operator.js';

/** What `protean outbox status --json` prints. */
export interface OutboxStatusReport {
  /** The domain's name. */
  readonly domain: string;
  /** Whether the domain writes outbox rows (`enable_outbox`). */
  readonly enabled: boolean;
  /** Rows per status. */
  readonly counts: OutboxCounts;
  /** The oldest abandoned rows (at most 20 from the CLI): what `retry-abandoned` re-queues. */
  readonly abandoned: readonly AbandonedRow[];
}

/** An abandoned row, as listed. */
export interface AbandonedRow {
  readonly id: string;
  readonly messageId: string;
  readonly type: string;
  readonly broker: string;
  readonly attempts: number;
  readonly lastError: string | null;
  readonly failedAt: string | null;
}

/**
 * Runs `protean outbox status`: how many outbox rows have each status, and the oldest `shown`
 * abandoned ones with their last error, as tables or (`json`) one JSON document.
 */
export async function runOutboxStatus(
  options: OptionsOf<typeof outboxStatus>,
  io: CliIo,
  shown: number,
): Promise<void> {
  const report = await withDomain(options, io, async (domain): Promise<OutboxStatusReport> => {
    const { outbox } = domain;
    noteInProcess(io, 'outbox', outbox.provider);
    const [counts, abandoned] = await Promise.all([
      outbox.countByStatus(),
      outbox.listAbandoned({ limit: shown }),
    ]);
    const enabled = domain.config.enable_outbox;
    return { domain: domain.name, enabled, counts, abandoned: abandoned.map(abandonedRow) };
  });
  if (options.json) return printJson(io, report);
  printStatus(io, report);
}

/**
 * Runs `protean outbox retry-abandoned`: every abandoned row goes back to pending with 0 attempts,
 * for the outbox processor to publish again.
 */
export async function runOutboxRetryAbandoned(
  options: OptionsOf<typeof outboxRetryAbandoned>,
  io: CliIo,
): Promise<void> {
  await withDomain(options, io, async (domain) => {
    noteInProcess(io, 'outbox', domain.outbox.provider);
    const requeued = await domain.outbox.requeueAbandoned();
    const rows = plural(requeued, 'abandoned outbox message');
    const next = requeued > 0 ? ': the outbox processor publishes them again' : '';
    io.out(`Re-queued ${rows} of domain "${domain.name}"${next}\n`);
  });
}

const COUNT_COLUMNS: Column[] = [{ header: 'STATUS' }, { header: 'COUNT', right: true }];
const ABANDONED_COLUMNS: Column[] = [
  { header: 'ID' },
  { header: 'TYPE' },
  { header: 'BROKER' },
  { header: 'ATTEMPTS', right: true },
  { header: 'FAILED AT' },
  { header: 'LAST ERROR' },
];

function printStatus(io: CliIo, report: OutboxStatusReport): void {
  if (!report.enabled) {
    io.out(`The outbox of domain "${report.domain}" is off (enable_outbox = false).\n`);
  }
  const counts = OUTBOX_STATUSES.map((status) => [status, String(report.counts[status])]);
  io.out(formatTable(COUNT_COLUMNS, counts));
  if (report.abandoned.length === 0) return;
  const shown = report.abandoned.length;
  const total = report.counts.abandoned;
  const of = total > shown ? ` (the first ${shown} of ${total})` : '';
  io.out(`\nAbandoned, oldest first${of}; \`protean outbox retry-abandoned\` re-queues them:\n`);
  io.out(formatTable(ABANDONED_COLUMNS, report.abandoned.map(abandonedCells)));
}

function abandonedRow(entry: OutboxEntry): AbandonedRow {
  return {
    id: entry.id,
    messageId: entry.message.id,
    type: entry.message.type,
    broker: entry.broker,
    attempts: entry.attempts,
    lastError: entry.lastError ?? null,
    failedAt: entry.failedAt?.toISOString() ?? null,
  };
}

function abandonedCells(row: AbandonedRow): string[] {
  const cells = [row.id, row.type, row.broker, String(row.attempts), row.failedAt ?? '-'];
  return [...cells, clip(row.lastError ?? '-')];
}
