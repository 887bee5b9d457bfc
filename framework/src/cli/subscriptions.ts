/** `protean subscriptions status`: what the engine's subscriptions have left to do. */
import type { Command } from 'commander';
import { engineSubscriptions, subscriptionReports } from '../server/status.js';
import type { SubscriptionReport } from '../server/status.js';
import type { CliIo } from './io.js';
import type { Column, OperatorOptions } from './operator.js';
import { formatTable, noteInProcess, operatorCommand, printJson, withDomain } from './operator.js';

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
 *
 * @example
 * await runSubscriptionsStatus({ json: true }, processIo());
 */
export async function runSubscriptionsStatus(options: OperatorOptions, io: CliIo): Promise<void> {
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

/**
 * Adds `protean subscriptions status` to the program.
 *
 * @example
 * registerSubscriptionsCommands(createProgram(), processIo());
 */
export function registerSubscriptionsCommands(program: Command, io: CliIo): Command {
  const subscriptions = program
    .command('subscriptions')
    .description("inspect the engine's subscriptions")
    .showHelpAfterError('(run `protean subscriptions --help` to see its commands)');
  const description =
    'per subscription: name, type, stream, lag (messages not consumed yet; event_store: ' +
    'counted up to 1000, shown as 1000+), pending (delivered, not acknowledged) and DLQ ' +
    '(dead letters of its group); - where it does not apply';
  operatorCommand(subscriptions, 'subscriptions', 'status', description)
    .option('--json', 'print a JSON array instead of a table')
    .action((options: OperatorOptions) => runSubscriptionsStatus(options, io));
  return subscriptions;
}
