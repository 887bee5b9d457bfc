/**
 * Every `protean` command, in the order `protean --help` lists them. A new command is one more
 * declaration (see define.ts) added here; its implementation loads only when it runs.
 */
import type { GroupSpec } from '../define.js';
import { group } from '../define.js';
import { add } from './add.js';
import { checkHealth } from './check-health.js';
import { db } from './db.js';
import { dlq } from './dlq.js';
import { observatory } from './observatory.js';
import { outbox } from './outbox.js';
import { server } from './server.js';
import { subscriptions } from './subscriptions.js';

/** The `protean` program: its description and its commands. */
export const protean: GroupSpec = group({
  name: 'protean',
  description: 'protean-ts: run, inspect and grow a domain-driven, event-driven application',
  commands: [db, server, dlq, outbox, subscriptions, observatory, checkHealth, add],
});
