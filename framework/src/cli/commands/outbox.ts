/** `protean outbox status | retry-abandoned`, declared: ../outbox.ts runs them. */
import { OUTBOX_STATUSES } from '../../ports/outbox.js';
import { command, group } from '../define.js';
import { DOMAIN_OPTION } from '../options.js';

/** How many abandoned rows `protean outbox status` lists. */
export const ABANDONED_SHOWN = 20;

const load = () => import('../outbox.js');

/** `protean outbox status`. */
export const outboxStatus = command({
  name: 'status',
  description:
    `outbox rows per status (${OUTBOX_STATUSES.join(', ')}), and the oldest ` +
    `${ABANDONED_SHOWN} abandoned ones with their last error`,
  options: [
    DOMAIN_OPTION,
    { flags: '--json', description: 'print one JSON document instead of tables' },
  ],
  run: async ({ options, io }): Promise<void> =>
    (await load()).runOutboxStatus(options, io, ABANDONED_SHOWN),
});

/** `protean outbox retry-abandoned`. */
export const outboxRetryAbandoned = command({
  name: 'retry-abandoned',
  description: 'put every abandoned row back to pending with 0 attempts, to be published again',
  options: [DOMAIN_OPTION],
  run: async ({ options, io }): Promise<void> =>
    (await load()).runOutboxRetryAbandoned(options, io),
});

/** `protean outbox`: the domain's outbox. */
export const outbox = group({
  name: 'outbox',
  description: "look at the domain's outbox and re-queue what it gave up publishing",
  commands: [outboxStatus, outboxRetryAbandoned],
});
