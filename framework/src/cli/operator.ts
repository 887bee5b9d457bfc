/**
 * What the operator commands (`protean dlq`, `outbox`, `subscriptions`) share: the domain they
 * work on, tables and JSON output, confirmation, and usage errors.
 */
import { IncorrectUsageError, NotFoundError } from '../core/errors.js';
import type { Domain } from '../domain/domain.js';
import { findSubscription } from '../server/status.js';
import type { Subscription } from '../server/subscriptions/types.js';
import type { ParsedOptions } from './define.js';
import { discoverDomain } from './discovery.js';
import { CommandFailure, ExitCode } from './exit.js';
import type { CliIo } from './io.js';
import type { DOMAIN_OPTION } from './options.js';

/** The option every operator command takes: `domain`, the `--domain` value. */
export type DomainOptions = ParsedOptions<readonly [typeof DOMAIN_OPTION]>;

/** A column of {@link formatTable}: its header, and whether its cells line up on the right. */
export interface Column {
  readonly header: string;
  readonly right?: boolean;
}

/** Finds and initializes the domain, runs `work` with it and closes it, whatever happens. */
export async function withDomain<T>(
  options: DomainOptions,
  io: CliIo,
  work: (domain: Domain) => Promise<T>,
): Promise<T> {
  const { domain } = await discoverDomain({ domain: options.domain, cwd: io.cwd, env: io.env });
  try {
    await domain.init();
    return await work(domain);
  } finally {
    await domain.close();
  }
}

/** Lines of cells under their headers, each column as wide as its widest cell, two spaces apart. */
export function formatTable(
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
): string {
  const cells = [columns.map((column) => column.header), ...rows];
  const widths = columns.map((_, n) => Math.max(...cells.map((row) => (row[n] ?? '').length)));
  const line = (row: readonly string[]) =>
    columns
      .map((column, n) => {
        const cell = row[n] ?? '';
        const width = widths[n] ?? 0;
        return column.right ? cell.padStart(width) : cell.padEnd(width);
      })
      .join('  ')
      .trimEnd();
  return cells.map(line).join('\n') + '\n';
}

/** Prints `value` as indented JSON, one document on stdout. */
export function printJson(io: CliIo, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Says on stderr that `port` lives in each process (the inline broker, a memory store), so what
 * a command sees there is not what the server holds.
 */
export function noteInProcess(io: CliIo, port: string, provider: string): void {
  if (provider !== 'inline' && provider !== 'memory') return;
  io.err(
    `protean: note: the ${port} is "${provider}", which lives inside each process: this ` +
      `command sees its own, not the server's; configure a shared ${port} (redis, postgresql) ` +
      'in domain.toml to operate on it from here\n',
  );
}

/**
 * Asks `question` and goes on only when the answer is `y` or `yes` (any case); anything else
 * fails with `aborted` (exit code 1), so that a script never mistakes it for a done job.
 */
export async function confirm(io: CliIo, question: string, aborted: string): Promise<void> {
  if (/^\s*y(es)?\s*$/i.test(await io.prompt(question))) return;
  throw new CommandFailure(aborted, ExitCode.error);
}

/** `text` on one line, cut to `width` characters with `...` when longer (for table cells). */
export function clip(text: string, width = 60): string {
  const line = text.replace(/\s+/g, ' ');
  return line.length <= width ? line : `${line.slice(0, width - 3)}...`;
}

/** `count` and `noun`, plural unless `count` is 1. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/**
 * The subscription `--subscription` names (see `findSubscription()`); an unknown or ambiguous
 * name is bad usage (exit code 2).
 */
export function chooseSubscription(
  subscriptions: readonly Subscription[],
  name: string,
): Subscription {
  try {
    return findSubscription(subscriptions, name);
  } catch (error) {
    throw asUsage(error);
  }
}

/**
 * A wrong argument (an `IncorrectUsageError` or `NotFoundError` from a lookup) as bad usage
 * (exit code 2); anything else as it is.
 */
export function asUsage(error: unknown): unknown {
  if (!(error instanceof IncorrectUsageError || error instanceof NotFoundError)) return error;
  return new CommandFailure(error.message, ExitCode.usage, { cause: error });
}
