import type { Domain } from '../domain/domain.js';
import type { dbSetup } from './commands/db.js';
import type { OptionsOf } from './define.js';
import { discoverDomain } from './discovery.js';
import { CommandFailure, ExitCode } from './exit.js';
import type { CliIo } from './io.js';

/** The subcommands of `protean db`. */
export type DbAction = 'setup' | 'drop' | 'truncate';

/**
 * Options of every `protean db` subcommand, as declared in commands/db.ts: `domain`, and `yes` to
 * go ahead without asking (`drop`, `truncate`; `setup` never asks).
 */
export type DbOptions = OptionsOf<typeof dbSetup>;

interface Plan {
  method: 'setupSchema' | 'truncateSchema' | 'dropSchema';
  /** Past tense, for the line printed when done. */
  done: string;
  /** Destructive actions ask first: what is lost. */
  loses?: string;
}

const PLANS: Record<DbAction, Plan> = {
  setup: {
    method: 'setupSchema',
    done: 'Set up the schema',
  },
  truncate: {
    method: 'truncateSchema',
    done: 'Truncated the schema',
    loses: 'every row and message the domain stores',
  },
  drop: {
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
