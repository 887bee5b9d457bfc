/**
 * `protean check-health`: the health check for process managers and container probes
 * (operations.md, "Deployment"): the domain loads, and its database, event store and broker answer.
 */
import type { Command } from 'commander';
import { checkReadiness } from '../server/readiness.js';
import type { ReadinessReport } from '../server/readiness.js';
import { CommandFailure, ExitCode } from './exit.js';
import type { CliIo } from './io.js';
import type { OperatorOptions } from './operator.js';
import { printJson, withDomain } from './operator.js';
import { domainOption, parsePositiveInteger } from './options.js';

/** Options of `protean check-health`. */
export interface CheckHealthOptions extends OperatorOptions {
  /** How long each check may take. @defaultValue 2000 */
  timeoutMs?: number | undefined;
}

/**
 * Runs `protean check-health`: loads and initializes the domain, checks its stores and broker
 * (each bounded by `timeoutMs`) and prints one line per check, or the report as JSON. A domain
 * that does not load, or a check that fails, ends with exit code 1.
 *
 * @example
 * await runCheckHealth({ domain: 'src/domain.ts', json: true }, processIo());
 */
export async function runCheckHealth(options: CheckHealthOptions, io: CliIo): Promise<void> {
  const timeoutMs = options.timeoutMs ?? 2_000;
  const report = await withDomain(options, io, (domain) =>
    checkReadiness(domain, { shuttingDown: false, timeoutMs }),
  );
  if (options.json) printJson(io, report);
  else io.out(describeChecks(report));
  if (!report.ready) {
    const failed = Object.keys(report.checks).filter((name) => !report.checks[name]?.ok);
    throw new CommandFailure(`unhealthy: ${failed.join(', ')} did not answer`, ExitCode.error);
  }
}

function describeChecks(report: ReadinessReport): string {
  return Object.entries(report.checks)
    .map(([name, check]) =>
      check.ok
        ? `ok      ${name} (${check.ms} ms)\n`
        : `failed  ${name}: ${check.error ?? 'no answer'}\n`,
    )
    .join('');
}

/**
 * Adds `protean check-health` to the program.
 *
 * @example
 * registerCheckHealthCommand(createProgram(), processIo());
 */
export function registerCheckHealthCommand(program: Command, io: CliIo): Command {
  return program
    .command('check-health')
    .description(
      'check that the domain loads and its database, event store and broker answer ' +
        '(exit 0 healthy, 1 not): for process managers and container probes',
    )
    .addOption(domainOption())
    .option('--json', 'print the report as JSON')
    .option(
      '--timeout-ms <ms>',
      'how long each check may take (default 2000)',
      parsePositiveInteger,
    )
    .showHelpAfterError('(run `protean check-health --help` to see its options)')
    .action((options: CheckHealthOptions) => runCheckHealth(options, io));
}
