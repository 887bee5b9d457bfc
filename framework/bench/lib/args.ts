/**
 * The command line of `npm run bench -- <name> [--pairs N] [--commands N] [--warmup N] [--json path]`.
 */
import { parseArgs } from 'node:util';

/** The smallest number of alternating pairs the measurement protocol accepts. */
export const MIN_PAIRS = 5;
export const DEFAULT_PAIRS = 7;

/** What the user asked for, before the chosen benchmark's defaults are applied. */
export interface CommandLine {
  readonly help: boolean;
  readonly name: string | undefined;
  readonly pairs: number;
  readonly commands: number | undefined;
  readonly warmup: number | undefined;
  readonly json: string | undefined;
}

/** A mistake on the command line; the runner prints it with the help and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

function integer(option: string, text: string | undefined, min: number): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) {
    throw new UsageError(
      `--${option} must be a whole number >= ${min}, received ${JSON.stringify(text)}`,
    );
  }
  return value;
}

/** Parses the arguments after `npm run bench --`. */
export function parseCommandLine(args: readonly string[]): CommandLine {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        help: { type: 'boolean', short: 'h' },
        pairs: { type: 'string' },
        commands: { type: 'string' },
        warmup: { type: 'string' },
        json: { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (positionals.length > 1) {
    throw new UsageError(`one benchmark at a time, received ${positionals.join(', ')}`);
  }
  return {
    help: values.help === true,
    name: positionals[0],
    pairs: integer('pairs', values.pairs, MIN_PAIRS) ?? DEFAULT_PAIRS,
    commands: integer('commands', values.commands, 2),
    warmup: integer('warmup', values.warmup, 0),
    json: values.json,
  };
}
