import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { protean } from './commands/index.js';
import { addCommand } from './define.js';
import { CommandFailure, ExitCode, describeError } from './exit.js';
import type { CliIo } from './io.js';
import { completeIo } from './io.js';

export { ExitCode } from './exit.js';

function packageVersion(): string {
  const manifest = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/**
 * Output hooks, so tests can capture what a command prints, plus whatever else of the process
 * they replace (terminal, prompt, environment, working folder); the rest is the real process.
 */
export type ProgramIo = Pick<CliIo, 'out' | 'err'> & Partial<CliIo>;

/**
 * Builds the `protean` command tree from the declarations in commands/. Building it (and
 * `--help`, `--version`) loads no command's implementation: each one loads when it runs.
 */
export function createProgram(io: ProgramIo = completeIo()): Command {
  const program = new Command(protean.name)
    .description(protean.description)
    .version(packageVersion(), '-v, --version', 'print the protean-ts version')
    .helpOption('-h, --help', 'show help for a command')
    .showHelpAfterError('(run `protean --help` to see the commands and options)')
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  const complete = completeIo(io);
  for (const spec of protean.commands) addCommand(program, spec, complete);
  return program;
}

/**
 * Runs `protean` with arguments (without `node` and the script) and resolves with the exit code:
 * 0 for success, help and version; 2 for bad usage; 1 for errors.
 */
export async function runCli(
  args: readonly string[],
  io: ProgramIo = completeIo(),
): Promise<number> {
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
    io.err(`protean: ${describeError(error)}\n`);
    return error instanceof CommandFailure ? error.exitCode : ExitCode.error;
  }
}

/** Help and version exit 0; everything else commander rejects is bad usage. */
function commanderExitCode(error: CommanderError): number {
  return error.exitCode === 0 ? ExitCode.ok : ExitCode.usage;
}
