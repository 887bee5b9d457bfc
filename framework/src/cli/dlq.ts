import type { Domain } from '../domain/domain.js';
import type { Broker } from '../ports/broker.js';
import type { DeadLetter } from '../server/subscriptions/dead-letter.js';
import {
  deadLetterQueueOf,
  inspectDeadLetter,
  listDeadLetters,
  otherGroups,
  parseDeadLetterId,
  purgeDeadLetters,
  replayDeadLetter,
  replayDeadLetters,
} from '../server/dead-letters.js';
import type { DeadLetterEntry, DeadLetterQueue } from '../server/dead-letters.js';
import { engineSubscriptions } from '../server/status.js';
import type { dlqInspect, dlqList, dlqPurge, dlqReplay, dlqReplayAll } from './commands/dlq.js';
import type { OptionsOf } from './define.js';
import { CommandFailure, ExitCode } from './exit.js';
import type { CliIo } from './io.js';
import type { Column, DomainOptions } from './operator.js';
import {
  asUsage,
  chooseSubscription,
  clip,
  confirm,
  formatTable,
  noteInProcess,
  plural,
  printJson,
  withDomain,
} from './operator.js';

/** One subscription's queue, from `--subscription`. */
interface NamedQueue extends DeadLetterQueue {
  readonly name: string;
}

/** A queue to list: one group's entries, or (no group) all of them. */
interface ListedQueue {
  readonly deadLetterStream: string;
  readonly group?: string;
}

/**
 * Runs `protean dlq list`: the dead letters of every stream and broker subscription (or of the
 * one `--subscription` names), oldest first per queue, at most `limit`.
 */
export async function runDlqList(options: OptionsOf<typeof dlqList>, io: CliIo): Promise<void> {
  const { limit } = options;
  const entries = await withBroker(options, io, async (broker, domain) => {
    const found: DeadLetterEntry[] = [];
    for (const { deadLetterStream, group } of queuesOf(domain, options.subscription)) {
      if (found.length > limit) break;
      const filter = { group, limit: limit + 1 - found.length };
      found.push(...(await listDeadLetters(broker, deadLetterStream, filter)));
    }
    return found;
  });
  const shown = entries.slice(0, limit);
  if (options.json) return printJson(io, shown.map(summary));
  if (shown.length === 0) return io.out('No dead letters.\n');
  io.out(formatTable(LIST_COLUMNS, shown.map(listRow)));
  if (entries.length > limit) io.out(`(only the first ${limit}: raise --limit to see more)\n`);
}

/** Runs `protean dlq inspect <id>`: everything the dead letter holds, its payload included. */
export async function runDlqInspect(
  id: string,
  options: OptionsOf<typeof dlqInspect>,
  io: CliIo,
): Promise<void> {
  checkId(id);
  const entry = await withBroker(options, io, (broker) => inspectDeadLetter(broker, id));
  if (options.json) return printJson(io, { ...summary(entry), payload: payloadOf(entry) });
  const letter = entry.deadLetter;
  const fields: [string, string][] = letter
    ? [
        ['id', entry.id],
        ['stream', `${letter.stream} (entry ${letter.id})`],
        ['group', `${letter.group} (consumer ${letter.consumer})`],
        ['failed at', letter.failedAt],
        ['attempts', String(letter.attempts)],
        ['error', errorOf(letter)],
      ]
    : [['id', `${entry.id} (${NOT_A_DEAD_LETTER})`]];
  const width = Math.max(...fields.map(([name]) => name.length)) + 1;
  for (const [name, value] of fields) io.out(`${`${name}:`.padEnd(width)}  ${value}\n`);
  io.out(`payload:\n${JSON.stringify(payloadOf(entry), null, 2)}\n`);
}

/**
 * Runs `protean dlq replay <id>`: publishes the dead letter's payload to its stream again, then
 * removes it from the queue.
 */
export async function runDlqReplay(
  id: string,
  options: OptionsOf<typeof dlqReplay>,
  io: CliIo,
): Promise<void> {
  checkId(id);
  await withBroker(options, io, async (broker) => {
    const { stream, group, entryId, targeted } = await replayDeadLetter(broker, id);
    io.out(`Replayed ${id} to ${stream} for ${group} (new entry ${entryId})\n`);
    if (!targeted) await noteOtherGroups(io, broker, stream, group);
  });
}

/**
 * Runs `protean dlq replay-all --subscription <s>`: replays every dead letter of that
 * subscription, oldest first.
 */
export async function runDlqReplayAll(
  options: OptionsOf<typeof dlqReplayAll>,
  io: CliIo,
): Promise<void> {
  await withBroker(options, io, async (broker, domain) => {
    const { name, stream, deadLetterStream, group } = requiredQueue(domain, options.subscription);
    const replayed = await replayDeadLetters(broker, deadLetterStream, group);
    io.out(`Replayed ${plural(replayed.length, 'dead letter')} of ${name} to ${stream}\n`);
    if (replayed.some((result) => !result.targeted)) {
      await noteOtherGroups(io, broker, stream, group);
    }
  });
}

/**
 * Runs `protean dlq purge --subscription <s>`: deletes that subscription's dead letters, after
 * asking (or with `yes`). Without a terminal and without `yes` it refuses (exit code 2); a
 * declined question exits 1.
 */
export async function runDlqPurge(options: OptionsOf<typeof dlqPurge>, io: CliIo): Promise<void> {
  if (!options.yes && !io.isTTY) {
    throw new CommandFailure(
      'refusing to purge: "protean dlq purge" deletes dead letters for good, and with no ' +
        'terminal to confirm on it cannot ask first; pass --yes to go ahead',
      ExitCode.usage,
    );
  }
  await withBroker(options, io, async (broker, domain) => {
    const { name, deadLetterStream, group } = requiredQueue(domain, options.subscription);
    const count = (await listDeadLetters(broker, deadLetterStream, { group })).length;
    const what = `${plural(count, 'dead letter')} of ${name} from ${deadLetterStream}`;
    if (count === 0) return io.out(`Nothing to purge: no dead letters of ${name}\n`);
    const question = `Purge ${what}? They cannot be replayed afterwards. [y/N] `;
    if (!options.yes) await confirm(io, question, 'aborted: no dead letter was purged');
    const removed = await purgeDeadLetters(broker, deadLetterStream, group);
    io.out(`Purged ${plural(removed, 'dead letter')} of ${name} from ${deadLetterStream}\n`);
  });
}

const LIST_COLUMNS: Column[] = [
  { header: 'ID' },
  { header: 'GROUP' },
  { header: 'TYPE' },
  { header: 'ATTEMPTS', right: true },
  { header: 'FAILED AT' },
  { header: 'ERROR' },
];

const NOT_A_DEAD_LETTER = 'not a dead letter written by protean-ts';

function listRow(entry: DeadLetterEntry): string[] {
  const letter = entry.deadLetter;
  if (!letter) return [entry.id, '-', '-', '-', '-', `(${NOT_A_DEAD_LETTER})`];
  const type = typeof letter.payload['type'] === 'string' ? letter.payload['type'] : '-';
  const row = [entry.id, letter.group, type, String(letter.attempts), letter.failedAt];
  return [...row, clip(errorOf(letter))];
}

function errorOf(letter: DeadLetter): string {
  return letter.errorCode ? `[${letter.errorCode}] ${letter.error}` : letter.error;
}

/**
 * An entry for JSON output: its id and queue, then the dead letter without its payload (its
 * `id`, the entry id on the original stream, as `originalId`), or what is stored when it is not
 * a dead letter.
 */
function summary(entry: DeadLetterEntry): Record<string, unknown> {
  const { id, deadLetterStream, entryId, deadLetter } = entry;
  const head = { id, deadLetterStream, entryId, deadLetter: deadLetter !== null };
  if (!deadLetter) return { ...head, stored: entry.stored };
  const { payload: _payload, id: originalId, ...fields } = deadLetter;
  return { ...head, originalId, ...fields };
}

function payloadOf(entry: DeadLetterEntry): unknown {
  return entry.deadLetter ? entry.deadLetter.payload : entry.stored;
}

async function withBroker<T>(
  options: DomainOptions,
  io: CliIo,
  work: (broker: Broker, domain: Domain) => Promise<T>,
): Promise<T> {
  return withDomain(options, io, (domain) => {
    noteInProcess(io, 'broker', domain.broker.provider);
    return work(domain.broker, domain);
  });
}

/**
 * The queue and group `name` picks, or every queue of the domain's stream and broker
 * subscriptions with no group (all of its entries, whichever group wrote them).
 */
function queuesOf(domain: Domain, name: string | undefined): ListedQueue[] {
  if (name !== undefined) return [requiredQueue(domain, name)];
  const streams = engineSubscriptions(domain)
    .filter((subscription) => subscription.type !== 'event_store')
    .map((subscription) => deadLetterQueueOf(subscription).deadLetterStream);
  return [...new Set(streams)].sort().map((deadLetterStream) => ({ deadLetterStream }));
}

function requiredQueue(domain: Domain, name: string | undefined): NamedQueue {
  if (name === undefined) throw new CommandFailure('--subscription is required', ExitCode.usage);
  const subscription = chooseSubscription(engineSubscriptions(domain), name);
  try {
    return { name: subscription.name, ...deadLetterQueueOf(subscription) };
  } catch (error) {
    throw asUsage(error);
  }
}

function checkId(id: string): void {
  try {
    parseDeadLetterId(id);
  } catch (error) {
    throw asUsage(error);
  }
}

async function noteOtherGroups(
  io: CliIo,
  broker: Broker,
  stream: string,
  group: string,
): Promise<void> {
  const others = await otherGroups(broker, stream, group);
  if (others.length === 0) return;
  io.err(
    `protean: note: the payload is not an envelope, so the other groups of ${stream} ` +
      `(${others.join(', ')}) receive it again too; handlers that are idempotent skip it\n`,
  );
}
