import { ProteanError } from '../core/errors.js';

/**
 * Exit codes of every `protean` command (see the server spec, "Exit codes"): 0 done, 1 error
 * (the domain failed to load or start, an operation failed, a question was declined), 2 bad usage.
 */
export const ExitCode = { ok: 0, error: 1, usage: 2 } as const;

/** One of the exit codes of {@link ExitCode}. */
export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * A command ends without doing its job: `runCli()` prints the message to stderr and exits with
 * `exitCode` (2 when the invocation itself is wrong, 1 otherwise).
 */
export class CommandFailure extends Error {
  readonly exitCode: ExitCodeValue;

  constructor(message: string, exitCode: ExitCodeValue = ExitCode.error, options?: ErrorOptions) {
    super(message, options);
    this.name = 'CommandFailure';
    this.exitCode = exitCode;
  }
}

/**
 * The domain could not be found or loaded: no such file, nothing exported, not a Domain, several
 * Domains, a factory or the module itself threw. The message names what was tried and what to do.
 */
export class DiscoveryError extends ProteanError {
  constructor(message: string, options?: ErrorOptions) {
    super('DOMAIN_DISCOVERY_ERROR', message, options);
  }
}

/**
 * The one line the CLI prints for an error. Connection failures from drivers often arrive as an
 * `AggregateError` with an empty message, so its inner errors speak for it.
 */
export function describeError(error: unknown): string {
  if (error instanceof AggregateError && !error.message && error.errors.length > 0) {
    return error.errors.map(describeError).join('; ');
  }
  if (error instanceof Error) return error.message || error.name;
  return String(error);
}
