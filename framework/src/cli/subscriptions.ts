/** `protean subscriptions status`: what the engine's subscriptions have left to do. */
import { engineSubscriptions, subscriptionReports } from '../server/status.js';
import type { SubscriptionReport } from '../server/status.js';
import type { subscriptionsStatus } from './commands/subscriptions.js';
import type { OptionsOf } from './define.js';
import type { CliIo } from './io.js';
import type { Column } from './operator.js';
import { formatTable, noteInProcess, printJson, withDomain } from './operator.js';

const COLUMNS: Column[] = [
  { header: 'NAME' },
  { header: 'TYPE' },
  { header: 'STREAM' },
  { header: 'LAG', right: true },
  { header: 'PENDING', right: true },
  { header: 'DLQ', right: true },
];

/**
 * Runs `protean subscriptions status`: each subscription the engine would run, with its type,
 * stream, lag, pending entries and dead-letter depth, as a table or (`json`) a JSON array.
 */
export async function runSubscriptionsStatus(
  options: OptionsOf<typeof subscriptionsStatus>,
  io: CliIo,
): Promise<void> {
  const reports = await withDomain(options, io, async (domain) => {
    noteInProcess(io, 'broker', domain.broker.provider);
    noteInProcess(io, 'event store', domain.eventStore.provider);
    return subscriptionReports(domain, engineSubscriptions(domain));
  });
  if (options.json) return printJson(io, reports);
  if (reports.length === 0) {
    return io.out('No subscriptions: the domain has no handlers, projectors or subscribers.\n');
  }
  io.out(formatTable(COLUMNS, reports.map(reportRow)));
}

function reportRow(report: SubscriptionReport): string[] {
  const count = (value: number | null) => (value === null ? '-' : String(value));
  const lag = report.lagCapped ? `${count(report.lag)}+` : count(report.lag);
  return [
    report.name,
    report.type,
    report.stream,
    lag,
    count(report.pending),
    count(report.dlqDepth),
  ];
}
