/** `protean dlq list | inspect | replay | replay-all | purge`, declared: ../dlq.ts runs them. */
import { DEAD_LETTER_ID_EXAMPLE } from '../../server/dead-letters.js';
import { command, group } from '../define.js';
import { DOMAIN_OPTION, parsePositiveInteger } from '../options.js';

const ID = {
  name: '<id>',
  description:
    'a dead-letter id, <stream>:dlq/<entry id> as `protean dlq list` prints it ' +
    `(e.g. ${DEAD_LETTER_ID_EXAMPLE})`,
} as const;

const SUBSCRIPTION = 'a subscription: <handler>@<stream>, or a handler with one subscription';

const REQUIRED_SUBSCRIPTION = {
  flags: '--subscription <name>',
  description: SUBSCRIPTION,
  required: true,
} as const;

const load = () => import('../dlq.js');

/** `protean dlq list`. */
export const dlqList = command({
  name: 'list',
  description: 'list dead letters, oldest first per queue, with their ID for inspect and replay',
  options: [
    DOMAIN_OPTION,
    { flags: '--subscription <name>', description: `only this subscription's; ${SUBSCRIPTION}` },
    {
      flags: '--limit <n>',
      description: 'show at most n',
      parse: parsePositiveInteger,
      default: 100,
    },
    { flags: '--json', description: 'print a JSON array instead of a table' },
  ],
  run: async ({ options, io }): Promise<void> => (await load()).runDlqList(options, io),
});

/** `protean dlq inspect <id>`. */
export const dlqInspect = command({
  name: 'inspect',
  description: 'show a dead letter: where it came from, why it failed, its payload',
  arguments: [ID],
  options: [DOMAIN_OPTION, { flags: '--json', description: 'print JSON' }],
  run: async ({ args: [id], options, io }): Promise<void> =>
    (await load()).runDlqInspect(id, options, io),
});

/** `protean dlq replay <id>`. */
export const dlqReplay = command({
  name: 'replay',
  description:
    'publish a dead letter to its stream again, for the group that gave up on it, and remove ' +
    'it from the queue',
  arguments: [ID],
  options: [DOMAIN_OPTION],
  run: async ({ args: [id], options, io }): Promise<void> =>
    (await load()).runDlqReplay(id, options, io),
});

/** `protean dlq replay-all --subscription <name>`. */
export const dlqReplayAll = command({
  name: 'replay-all',
  description: 'replay every dead letter of one subscription, oldest first',
  options: [DOMAIN_OPTION, REQUIRED_SUBSCRIPTION],
  run: async ({ options, io }): Promise<void> => (await load()).runDlqReplayAll(options, io),
});

/** `protean dlq purge --subscription <name>`. */
export const dlqPurge = command({
  name: 'purge',
  description: "delete every dead letter of one subscription (the other groups' stay)",
  options: [
    DOMAIN_OPTION,
    REQUIRED_SUBSCRIPTION,
    { flags: '-y, --yes', description: 'do not ask for confirmation' },
  ],
  run: async ({ options, io }): Promise<void> => (await load()).runDlqPurge(options, io),
});

const DLQ_HELP = `
A stream or broker subscription that gives up on a message (after max_retries deliveries)
moves it to <stream>:dlq, one queue per stream, shared by its consumer groups.

Dead-letter ids: <stream>:dlq/<entry id>, as \`protean dlq list\` prints them,
  e.g. ${DEAD_LETTER_ID_EXAMPLE}
Subscriptions: <handler>@<stream> (see \`protean subscriptions status\`), or a handler's
  name when it has one subscription.
Replay publishes the original message to its stream again, then removes the dead letter
  (a crash in between duplicates it, never loses it). An envelope is marked for the consumer
  group that gave up on it: the other groups of the stream acknowledge it without handling it.
  A raw payload (a subscriber's stream) reaches every consumer group of that stream again.`;

/** `protean dlq`: what stream and broker subscriptions gave up on. */
export const dlq = group({
  name: 'dlq',
  description:
    'list, inspect, replay or purge dead letters: what stream and broker subscriptions gave ' +
    'up on, kept in <stream>:dlq',
  commands: [dlqList, dlqInspect, dlqReplay, dlqReplayAll, dlqPurge],
  helpAfter: DLQ_HELP,
});
