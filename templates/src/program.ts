/**
 * The `create-domain [dir] [options]` command: commander parses, prompts fill in what is open
 * (only on a terminal), `createProject()` does the work, and every outcome maps to an exit code.
 */
import { Command, CommanderError, Option } from 'commander';
import { createProject } from './create-project.js';
import { CreateDomainError, ExitCode } from './errors.js';
import { detectPackageManager } from './package-manager.js';
import {
  askOpenChoices,
  clackPrompter,
  isInteractive,
  type OpenChoices,
  type Prompter,
} from './prompts.js';
import { createStreamReporter, styleFor, type OutputStream } from './reporter.js';
import { resolveStack, STACK_CHOICES } from './stack.js';
import { formatSummary } from './summary.js';
import { packageVersion } from './versions.js';

/** Everything the command reads from its process; tests pass their own. */
export interface CliEnvironment {
  readonly stdout: OutputStream;
  readonly stderr: OutputStream;
  readonly stdinIsTTY: boolean;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** Asks the questions on a terminal. @defaultValue @clack/prompts */
  readonly prompter?: Prompter;
}

/** What the command line said; `undefined` where it said nothing. */
interface CliFlags extends OpenChoices {
  framework?: string | undefined;
  yes: boolean;
  dryRun: boolean;
}

const HELP_HINT = '(run `create-domain --help` to see the options)';

const STACK_NOTE = `
Defaults: --database memory, --event-store as --database, --broker inline, --processing sync,
no outbox. Refused before anything is written: redis_pubsub with async processing or the outbox
(no consumer groups); async processing without a PostgreSQL event store; the outbox without a
PostgreSQL database.

Examples (from a clone of the protean-ts repository, at its root):
  npm create domain -- ../my-shop
  npm create domain -- ../my-shop --yes --database postgresql --broker redis --processing async --outbox
  npm create domain -- ../my-shop --dry-run
Once create-domain is published: npm create domain@latest my-shop`;

function processEnvironment(): CliEnvironment {
  return {
    stdout: process.stdout,
    stderr: process.stderr,
    stdinIsTTY: process.stdin.isTTY === true,
    env: process.env,
    cwd: process.cwd(),
  };
}

/**
 * Builds the `create-domain` command. It exits through exceptions (`exitOverride`), so
 * {@link runCli} decides the exit code.
 *
 * @example
 * createProgram({ out: console.log, err: console.error }).outputHelp();
 */
export function createProgram(io: { out(text: string): void; err(text: string): void }): Command {
  return new Command('create-domain')
    .description('Create a domain-driven, event-driven TypeScript project on protean-ts.')
    .argument('[dir]', 'target folder; its name is the default project name (asked when missing)')
    .option('--name <name>', 'package name (a valid npm name); the domain name is derived from it')
    .addOption(stackOption('--database <provider>', '[databases.default] provider', 'database'))
    .addOption(stackOption('--event-store <provider>', '[event_store] provider', 'eventStore'))
    .addOption(stackOption('--broker <provider>', '[brokers.default] provider', 'broker'))
    .addOption(stackOption('--processing <mode>', 'event and command processing', 'processing'))
    .option('--outbox', 'enable_outbox: send events through the transactional outbox')
    .option('--no-outbox', 'no outbox (default)')
    .option(
      '--framework <path|tarball|version>',
      'protean-ts to depend on: a package folder or `npm pack` tarball (vendored into the ' +
        "project), or a registry version (default: this repository's, vendored; the registry's " +
        'when installed from npm)',
    )
    .option('--example', 'include the example Task aggregate with its tests (default)')
    .option('--no-example', 'leave the example out')
    .option('--install', "run the package manager's install (default)")
    .option('--no-install', 'do not install dependencies')
    .option('--git', '`git init` and a first commit (default)')
    .option('--no-git', 'do not create a git repository')
    .option('--overwrite', 'allow a non-empty target (files with the same paths are replaced)')
    .option('-y, --yes', 'accept the defaults and ask nothing')
    .option('--dry-run', 'print the files it would write, and write nothing')
    .version(packageVersion(), '-v, --version', 'print the create-domain version')
    .helpOption('-h, --help', 'show this help')
    .addHelpText('after', STACK_NOTE)
    .showHelpAfterError(HELP_HINT)
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
}

/** No commander default: an option left out stays `undefined`, so a terminal can ask for it. */
function stackOption(flags: string, description: string, key: keyof typeof STACK_CHOICES): Option {
  return new Option(flags, description).choices(STACK_CHOICES[key]);
}

function readFlags(program: Command): CliFlags {
  const options = program.opts<Omit<CliFlags, 'dir'>>();
  const [dir] = program.processedArgs as [string | undefined];
  return { ...options, dir, yes: options.yes === true, dryRun: options.dryRun === true };
}

/**
 * Runs `create-domain` with arguments (without `node` and the script) and resolves with the exit
 * code: 0 for success, help and version; 1 for errors and cancellation; 2 for bad usage.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2));
 */
export async function runCli(
  args: readonly string[],
  environment: CliEnvironment = processEnvironment(),
): Promise<number> {
  const io = {
    out: (text: string) => void environment.stdout.write(text),
    err: (text: string) => void environment.stderr.write(text),
  };
  const program = createProgram(io);
  try {
    program.parse([...args], { from: 'user' });
    await create(readFlags(program), environment);
    return ExitCode.ok;
  } catch (error) {
    return reportFailure(error, io);
  }
}

async function create(flags: CliFlags, environment: CliEnvironment): Promise<void> {
  const choices = await settleChoices(flags, environment);
  const project = await createProject({
    ...choices,
    framework: flags.framework,
    dryRun: flags.dryRun,
    cwd: environment.cwd,
    packageManager: detectPackageManager(environment.env['npm_config_user_agent']),
    reporter: createStreamReporter(environment.stdout, environment.stderr, environment.env),
  });
  environment.stdout.write(formatSummary(project, styleFor(environment.stdout, environment.env)));
}

/** Prompts for what is open on a terminal; elsewhere, requires `[dir]` and keeps the defaults. */
async function settleChoices(
  flags: CliFlags,
  environment: CliEnvironment,
): Promise<OpenChoices & { dir: string }> {
  const terminal = isInteractive({
    stdinIsTTY: environment.stdinIsTTY,
    stdoutIsTTY: environment.stdout.isTTY === true,
    env: environment.env,
  });
  if (terminal && !flags.yes) {
    return askOpenChoices(flags, environment.prompter ?? clackPrompter(), environment.cwd);
  }
  const { dir, name, example, install, git, overwrite } = flags;
  const { database, eventStore, broker, processing, outbox } = flags;
  if (dir === undefined) throw missingDir(flags.yes);
  resolveStack(flags); // refused before anything else is looked at
  return {
    dir,
    name,
    example,
    install,
    git,
    overwrite,
    database,
    eventStore,
    broker,
    processing,
    outbox,
  };
}

function missingDir(yes: boolean): CreateDomainError {
  const reason = yes
    ? 'when --yes is given'
    : 'without a terminal to ask on (stdin and stdout must be terminals and CI unset)';
  return new CreateDomainError(
    'MISSING_DIR',
    `No target folder was given, and create-domain does not ask for one ${reason}. ` +
      'Pass the folder as the first argument, such as `create-domain my-shop --yes`.',
  );
}

function reportFailure(error: unknown, io: { err(text: string): void }): number {
  if (error instanceof CommanderError) {
    const informational = ['commander.helpDisplayed', 'commander.help', 'commander.version'];
    return informational.includes(error.code) ? ExitCode.ok : ExitCode.usage;
  }
  if (error instanceof CreateDomainError) {
    if (error.code === 'CANCELLED') {
      io.err('Cancelled\n');
      return error.exitCode;
    }
    const hint = error.exitCode === ExitCode.usage ? `\n${HELP_HINT}` : '';
    io.err(`create-domain: ${error.message}${hint}\n`);
    return error.exitCode;
  }
  io.err(`create-domain: ${error instanceof Error ? error.message : String(error)}\n`);
  return ExitCode.error;
}
