import type { Command } from 'commander';
import type { Domain } from '../domain/domain.js';
import { discoverDomain } from './discovery.js';
import { CommandFailure, ExitCode } from './exit.js';
import type { CliIo } from './io.js';
import { domainOption } from './options.js';

/** The subcommands of `protean db`. */
export type DbAction = 'setup' | 'drop' | 'truncate';

/** Options of every `protean db` subcommand. */
export interface DbOptions {
  /** The `--domain` value; see `discoverDomain()`. */
  domain?: string | undefined;
  /** Go ahead without asking (`drop`, `truncate`); `setup` never asks. */
  yes?: boolean | undefined;
}

interface Plan {
  summary: string;
  method: 'setupSchema' | 'truncateSchema' | 'dropSchema';
  /** Past tense, for the line printed when done. */
  done: string;
  /** Destructive actions ask first: what is lost. */
  loses?: string;
}

const PLANS: Record<DbAction, Plan> = {
  setup: {
    summary:
      'create the tables of the domain (aggregates, projections, event store ...); safe to rerun',
    method: 'setupSchema',
    done: 'Set up the schema',
  },
  truncate: {
    summary: 'delete every row and message of the domain, keeping the tables',
    method: 'truncateSchema',
    done: 'Truncated the schema',
    loses: 'every row and message the domain stores',
  },
  drop: {
    summary: 'remove every table of the domain, with all its data',
    method: 'dropSchema',
    done: 'Dropped the schema',
    loses: 'every table of the domain and all its data',
  },
};

/**
 * Runs `protean db <action>`: checks it may go ahead, finds and initializes the domain, asks
 * before a destructive action unless `yes`, runs it, prints what it did and closes the domain.
 * Without a terminal and without `yes`, `drop` and `truncate` refuse (exit code 2). A declined
 * question fails with exit code 1 so that scripts never take it for a done drop.
 *
 * @throws CommandFailure when refused or declined; DiscoveryError or the domain's own init error.
 * @example
 * await runDbCommand('setup', { domain: 'src/domain.ts' }, processIo());
 */
export async function runDbCommand(action: DbAction, options: DbOptions, io: CliIo): Promise<void> {
  const plan = PLANS[action];
  if (plan.loses && !options.yes && !io.isTTY) throw refusal(action, plan.loses);
  const { domain } = await discoverDomain({ domain: options.domain, cwd: io.cwd, env: io.env });
  try {
    await domain.init();
    const stores = describeStores(domain);
    if (plan.loses && !options.yes) await confirm(io, action, plan.loses, domain, stores);
    await schemaOperation(domain, plan.method)();
    io.out(`${plan.done} of domain "${domain.name}" (${stores})\n`);
  } finally {
    await domain.close();
  }
}

/** A domain from another copy of protean-ts (see `isDomain()`) may predate the operation. */
function schemaOperation(domain: Domain, method: Plan['method']): () => Promise<void> {
  if (typeof domain[method] === 'function') return () => domain[method]();
  throw new CommandFailure(
    `domain "${domain.name}" comes from a copy of protean-ts without ${method}(); run the ` +
      "protean bin of the project's own protean-ts (npx protean) or upgrade it",
  );
}

function describeStores(domain: Domain): string {
  const { databases, event_store } = domain.config;
  return `database: ${databases.default.provider}, event store: ${event_store.provider}`;
}

function refusal(action: DbAction, loses: string): CommandFailure {
  return new CommandFailure(
    `refusing to ${action}: "protean db ${action}" destroys ${loses}, and with no terminal ` +
      'to confirm on it cannot ask first; pass --yes to go ahead',
    ExitCode.usage,
  );
}

async function confirm(
  io: CliIo,
  action: DbAction,
  loses: string,
  domain: Domain,
  stores: string,
): Promise<void> {
  const verb = action === 'drop' ? 'Drop' : 'Truncate';
  const question = `${verb} the schema of domain "${domain.name}" (${stores})? This destroys ${loses}. [y/N] `;
  if (/^\s*y(es)?\s*$/i.test(await io.prompt(question))) return;
  throw new CommandFailure(`aborted: domain "${domain.name}" was not changed`, ExitCode.error);
}

/**
 * Adds `protean db setup | drop | truncate` to the program.
 *
 * @example
 * registerDbCommands(createProgram(), processIo());
 */
export function registerDbCommands(program: Command, io: CliIo): Command {
  const db = program
    .command('db')
    .description('create, empty or remove the storage of the domain')
    .showHelpAfterError('(run `protean db --help` to see the db commands)');
  for (const action of ['setup', 'truncate', 'drop'] as const) {
    const { summary, loses } = PLANS[action];
    db.command(action)
      .description(summary)
      .addOption(domainOption())
      .option('-y, --yes', loses ? 'do not ask for confirmation' : 'accepted; setup never asks')
      .showHelpAfterError(`(run \`protean db ${action} --help\` to see its options)`)
      .action((options: DbOptions) => runDbCommand(action, options, io));
  }
  return db;
}
