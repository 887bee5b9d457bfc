import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';

/** Exit codes of every `protean` command (see the server spec). */
export const ExitCode = { ok: 0, error: 1, usage: 2 } as const;

function packageVersion(): string {
  const manifest = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/** Output hooks, so tests can capture what a command prints. */
export interface ProgramIo {
  out: (text: string) => void;
  err: (text: string) => void;
}

const processIo: ProgramIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** Builds the `protean` command tree. */
export function createProgram(io: ProgramIo = processIo): Command {
  const program = new Command('protean')
    .description('protean-ts: run, inspect and grow a domain-driven, event-driven application')
    .version(packageVersion(), '-v, --version', 'print the protean-ts version')
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('(run `protean --help` to see the commands and options)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  return program;
}

/**
 * Runs `protean` with arguments (without `node` and the script) and resolves with the exit code:
 * 0 for success, help and version; 2 for bad usage; 1 for errors.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2));
 */
export async function runCli(args: readonly string[], io: ProgramIo = processIo): Promise<number> {
  const program = createProgram(io);
  if (args.length === 0) {
    program.outputHelp();
    return ExitCode.ok;
  }
  try {
    await program.parseAsync([...args], { from: 'user' });
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof CommanderError) return commanderExitCode(error);
    io.err(`protean: ${error instanceof Error ? error.message : String(error)}\n`);
    return ExitCode.error;
  }
}

function commanderExitCode(error: CommanderError): number {
  const informational = ['commander.helpDisplayed', 'commander.help', 'commander.version'];
  return informational.includes(error.code) ? ExitCode.ok : ExitCode.usage;
}
