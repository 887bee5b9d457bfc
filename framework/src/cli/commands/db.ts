/** `protean db setup | truncate | drop`, declared: what runs them is ../db.ts. */
import type { DbAction } from '../db.js';
import { command, group } from '../define.js';
import { DOMAIN_OPTION } from '../options.js';

function dbCommand(action: DbAction, description: string, yes: string) {
  return command({
    name: action,
    description,
    options: [DOMAIN_OPTION, { flags: '-y, --yes', description: yes }],
    run: async ({ options, io }): Promise<void> =>
      (await import('../db.js')).runDbCommand(action, options, io),
  });
}

/** `protean db setup`; its options are those of every `db` command. */
export const dbSetup = dbCommand(
  'setup',
  'create the tables of the domain (aggregates, projections, event store ...); safe to rerun',
  'accepted; setup never asks',
);

/** `protean db`: create, empty or remove the storage of the domain. */
export const db = group({
  name: 'db',
  description: 'create, empty or remove the storage of the domain',
  commands: [
    dbSetup,
    dbCommand(
      'truncate',
      'delete every row and message of the domain, keeping the tables',
      'do not ask for confirmation',
    ),
    dbCommand(
      'drop',
      'remove every table of the domain, with all its data',
      'do not ask for confirmation',
    ),
  ],
});
