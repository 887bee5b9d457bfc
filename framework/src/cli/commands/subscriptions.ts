/** `protean subscriptions status`, declared: ../subscriptions.ts runs it. */
import { command, group } from '../define.js';
import { DOMAIN_OPTION } from '../options.js';

/** `protean subscriptions status`. */
export const subscriptionsStatus = command({
  name: 'status',
  description:
    'per subscription: name, type, stream, lag (messages not consumed yet; event_store: ' +
    'counted up to 1000, shown as 1000+), pending (delivered, not acknowledged) and DLQ ' +
    '(dead letters of its group); - where it does not apply',
  options: [
    DOMAIN_OPTION,
    { flags: '--json', description: 'print a JSON array instead of a table' },
  ],
  run: async ({ options, io }): Promise<void> =>
    (await import('../subscriptions.js')).runSubscriptionsStatus(options, io),
});

/** `protean subscriptions`: the engine's subscriptions. */
export const subscriptions = group({
  name: 'subscriptions',
  description: "inspect the engine's subscriptions",
  commands: [subscriptionsStatus],
});
