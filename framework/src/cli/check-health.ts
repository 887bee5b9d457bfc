/**
 * `protean check-health`: the health check for process managers and container probes (a
 * `HEALTHCHECK`, a liveness command): the domain loads, and its database, event store and broker
 * answer.
 */
import { checkReadiness } from '../server/readiness.js';
import type { ReadinessReport } from '../server/readiness.js';
import type { checkHealth } from './commands/check-health.js';
import type { OptionsOf } from './define.js';
import { CommandFailure, ExitCode } from './exit.js';
import type { CliIo } from './io.js';
import { printJson, withDomain } from './operator.js';

/**
 * Options of `protean check-health`, as declared in commands/check-health.ts: `domain`, `json`,
 * and `timeoutMs`, how long each check may take (2000 unless given).
 */
export type CheckHealthOptions = OptionsOf<typeof checkHealth>;

/**
 * Runs `protean check-health`: loads and initializes the domain, checks its stores and broker
 * (each bounded by `timeoutMs`) and prints one line per check, or the report as JSON. A domain
 * that does not load, or a check that fails, ends with exit code 1.
 */
export async function runCheckHealth(options: CheckHealthOptions, io: CliIo): Promise<void> {
  const { timeoutMs } = options;
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
