/**
 * Dead-letter queues seen from the operator's side (`protean dlq`): list, inspect, replay and
 * purge what consume loops wrote to `<stream>:dlq`, over any broker that stores entries. One queue
 * serves every consumer group of its stream; each dead letter names its group.
 */
import { streams } from '../core/envelope.js';
import { IncorrectUsageError, NotFoundError } from '../core/errors.js';
import type { Broker, JsonObject, StreamEntry } from '../ports/broker.js';
import { REPLAY_FOR_HEADER } from './subscriptions/dead-letter.js';
import type { DeadLetter } from './subscriptions/dead-letter.js';
import type { Subscription } from './subscriptions/types.js';

/** What a dead-letter id looks like, for messages and help. */
export const DEAD_LETTER_ID_EXAMPLE = 'bookshelf::book:dlq/1718000000000-0';

/** Entries read per XRANGE while scanning a queue. */
const PAGE_SIZE = 200;

/** One entry of a dead-letter queue. */
export interface DeadLetterEntry {
  /** `<dead-letter stream>/<entry id>`: names the entry to `inspect` and `replay`. */
  readonly id: string;
  /** The queue, e.g. `bookshelf::book:dlq`. */
  readonly deadLetterStream: string;
  /** The entry's id in the queue. */
  readonly entryId: string;
  /** What the consume loop wrote; `null` for an entry something else wrote there. */
  readonly deadLetter: DeadLetter | null;
  /** The entry's payload as stored. */
  readonly stored: JsonObject;
}

/** Options of {@link listDeadLetters}. */
export interface DeadLetterFilter {
  /** Only the dead letters of this consumer group (a subscription's handler). @defaultValue all */
  group?: string | undefined;
  /** At most this many, oldest first. @defaultValue all of them */
  limit?: number | undefined;
}

/** What {@link replayDeadLetter} did. */
export interface ReplayResult {
  /** The dead letter's id; the entry is gone from its queue. */
  readonly id: string;
  /** The stream its payload was published to again: the one it was read from. */
  readonly stream: string;
  /** The consumer group that gave up on it. */
  readonly group: string;
  /** The new entry's id on that stream. */
  readonly entryId: string;
  /**
   * `true` when only `group` handles it again: an envelope, marked for that group (the stream's
   * other groups acknowledge it unhandled). `false` for a raw payload, which every group receives.
   */
  readonly targeted: boolean;
}

/** The id `protean dlq` shows for an entry: its queue, a slash, its entry id. */
export function deadLetterId(deadLetterStream: string, entryId: string): string {
  return `${deadLetterStream}/${entryId}`;
}

/**
 * Splits a dead-letter id at its last `/` (entry ids hold none, stream names may).
 *
 * @throws IncorrectUsageError when it is not `<stream>:dlq/<ms>-<seq>`.
 */
export function parseDeadLetterId(id: string): { deadLetterStream: string; entryId: string } {
  const slash = id.lastIndexOf('/');
  const deadLetterStream = id.slice(0, slash);
  const entryId = id.slice(slash + 1);
  if (slash > 0 && streams.ofDeadLetter(deadLetterStream) && /^\d+-\d+$/.test(entryId)) {
    return { deadLetterStream, entryId };
  }
  throw new IncorrectUsageError(
    `'${id}' is not a dead-letter id: expected <stream>:dlq/<entry id>, e.g. ` +
      `'${DEAD_LETTER_ID_EXAMPLE}'; copy it from the ID column of \`protean dlq list\`.`,
  );
}

/** Where a subscription's dead letters are: its stream's queue, under its group. */
export interface DeadLetterQueue {
  /** The stream whose failures the queue holds, e.g. `bookshelf::book`. */
  readonly stream: string;
  /** `<stream>:dlq`. */
  readonly deadLetterStream: string;
  /** The consumer group: the subscription's handler. */
  readonly group: string;
}

/**
 * The queue a `stream` or `broker` subscription moves what it gives up on to.
 *
 * @throws IncorrectUsageError for an `event_store` subscription, which has none.
 * @example
 * deadLetterQueueOf(subscription); // { deadLetterStream: 'bookshelf::book:dlq', group: 'CatalogProjector' }
 */
export function deadLetterQueueOf(
  subscription: Pick<Subscription, 'name' | 'handler' | 'type' | 'stream'>,
): DeadLetterQueue {
  if (subscription.type === 'event_store') {
    throw new IncorrectUsageError(
      `${subscription.name} is an event_store subscription: it has no dead-letter queue (a ` +
        'message that keeps failing is logged and skipped); only stream and broker ' +
        'subscriptions have one.',
    );
  }
  const { stream, handler: group } = subscription;
  return { stream, deadLetterStream: streams.deadLetter(stream), group };
}

/**
 * The dead letter `stored` holds, or `null` when it lacks a field the consume loop always writes.
 */
export function asDeadLetter(stored: JsonObject): DeadLetter | null {
  const text = ['stream', 'id', 'group', 'consumer', 'error', 'failedAt'];
  if (text.some((key) => typeof stored[key] !== 'string')) return null;
  if (typeof stored['attempts'] !== 'number') return null;
  const payload = stored['payload'];
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) return null;
  return stored as DeadLetter;
}

/**
 * The entries of one queue, oldest first, optionally only one group's, at most `limit`.
 *
 * @example
 * const letters = await listDeadLetters(broker, 'bookshelf::book:dlq', { group: 'CatalogProjector' });
 */
export async function listDeadLetters(
  broker: Broker,
  deadLetterStream: string,
  filter: DeadLetterFilter = {},
): Promise<DeadLetterEntry[]> {
  const limit = filter.limit ?? Number.POSITIVE_INFINITY;
  const found: DeadLetterEntry[] = [];
  if (limit <= 0) return found;
  for await (const entry of scan(broker, deadLetterStream)) {
    const letter = toEntry(deadLetterStream, entry);
    if (filter.group === undefined || letter.deadLetter?.group === filter.group) found.push(letter);
    if (found.length >= limit) break;
  }
  return found;
}

/**
 * How many entries a queue holds: all of them (one XLEN), or one group's (a scan of the queue).
 *
 * @example
 * await countDeadLetters(broker, 'bookshelf::book:dlq', 'CatalogProjector'); // 2
 */
export async function countDeadLetters(
  broker: Broker,
  deadLetterStream: string,
  group?: string,
): Promise<number> {
  if (group === undefined) return broker.streamLength(deadLetterStream);
  return (await countDeadLettersByGroup(broker, deadLetterStream)).get(group) ?? 0;
}

/**
 * How many dead letters each consumer group has in a queue, from one scan of it (entries that
 * are not dead letters are left out).
 */
export async function countDeadLettersByGroup(
  broker: Broker,
  deadLetterStream: string,
): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for await (const entry of scan(broker, deadLetterStream)) {
    const group = asDeadLetter(entry.payload)?.group;
    if (group !== undefined) counts.set(group, (counts.get(group) ?? 0) + 1);
  }
  return counts;
}

/**
 * The entry a dead-letter id names.
 *
 * @throws IncorrectUsageError for a malformed id; NotFoundError when the queue has no such entry.
 * @example
 * const { deadLetter } = await inspectDeadLetter(broker, 'bookshelf::book:dlq/1718000000000-0');
 */
export async function inspectDeadLetter(broker: Broker, id: string): Promise<DeadLetterEntry> {
  const { deadLetterStream, entryId } = parseDeadLetterId(id);
  const [entry] = await broker.range(deadLetterStream, { start: entryId, end: entryId, count: 1 });
  if (entry) return toEntry(deadLetterStream, entry);
  throw new NotFoundError(
    `no dead letter '${id}': ${deadLetterStream} has no entry ${entryId} (replayed or purged ` +
      'already?); see what the queue holds with `protean dlq list`.',
  );
}

/**
 * Publishes the dead letter's original payload to its original stream, then removes it from the
 * queue: publish first, so a crash in between duplicates the message, never loses it. An envelope
 * goes out marked for the group that gave up on it (`REPLAY_FOR_HEADER`): the stream's other
 * groups acknowledge it without handling it again. A raw payload reaches every group.
 *
 * @throws what {@link inspectDeadLetter} throws; IncorrectUsageError for an entry that is not a
 *   dead letter (nothing says where it came from).
 * @example
 * const { stream, entryId } = await replayDeadLetter(broker, 'bookshelf::book:dlq/1718000000000-0');
 */
export async function replayDeadLetter(broker: Broker, id: string): Promise<ReplayResult> {
  return replay(broker, await inspectDeadLetter(broker, id));
}

/**
 * Replays every dead letter of `group` in the queue, oldest first (see {@link replayDeadLetter}).
 * The list is taken before the first replay, so a message that fails again and comes back to the
 * queue is not replayed a second time by the same call.
 *
 * @example
 * const replayed = await replayDeadLetters(broker, 'bookshelf::book:dlq', 'CatalogProjector');
 */
export async function replayDeadLetters(
  broker: Broker,
  deadLetterStream: string,
  group: string,
): Promise<ReplayResult[]> {
  const replayed: ReplayResult[] = [];
  for (const entry of await listDeadLetters(broker, deadLetterStream, { group })) {
    replayed.push(await replay(broker, entry));
  }
  return replayed;
}

/**
 * Deletes every dead letter of `group` from the queue (the other groups' stay); resolves with how
 * many were deleted.
 *
 * @example
 * await purgeDeadLetters(broker, 'bookshelf::book:dlq', 'CatalogProjector'); // 2
 */
export async function purgeDeadLetters(
  broker: Broker,
  deadLetterStream: string,
  group: string,
): Promise<number> {
  const ids = (await listDeadLetters(broker, deadLetterStream, { group })).map((e) => e.entryId);
  let removed = 0;
  for (let start = 0; start < ids.length; start += PAGE_SIZE) {
    removed += await broker.remove(deadLetterStream, ids.slice(start, start + PAGE_SIZE));
  }
  return removed;
}

/** The consumer groups of `stream` other than `group`: a replayed message reaches them again. */
export async function otherGroups(
  broker: Broker,
  stream: string,
  group: string,
): Promise<string[]> {
  const groups = await broker.groupInfo(stream);
  return groups.map((info) => info.name).filter((name) => name !== group);
}

async function replay(broker: Broker, entry: DeadLetterEntry): Promise<ReplayResult> {
  const letter = entry.deadLetter;
  if (!letter) {
    throw new IncorrectUsageError(
      `'${entry.id}' is not a dead letter written by protean-ts: it lacks the stream, group, ` +
        `error or payload fields (received the keys ${keys(entry.stored)}), ` +
        'so there is nowhere to replay it to; look at it with `protean dlq inspect`.',
    );
  }
  const targeted = forGroup(letter.payload, letter.group);
  const published = await broker.publish(letter.stream, targeted ?? letter.payload);
  await broker.remove(entry.deadLetterStream, [entry.entryId]);
  const { stream, group } = letter;
  return { id: entry.id, stream, group, entryId: published, targeted: targeted !== undefined };
}

/** An envelope marked for `group` alone (see `REPLAY_FOR_HEADER`); `undefined` for a raw payload. */
function forGroup(payload: JsonObject, group: string): JsonObject | undefined {
  const metadata = payload['metadata'];
  if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
    return undefined;
  const headers = (metadata as { headers?: unknown }).headers ?? {};
  if (typeof headers !== 'object' || headers === null || Array.isArray(headers)) return undefined;
  const marked = { ...headers, [REPLAY_FOR_HEADER]: group };
  return { ...payload, metadata: { ...metadata, headers: marked } };
}

/** The queue's entries, page by page, each page resuming after the last id seen. */
async function* scan(broker: Broker, stream: string): AsyncGenerator<StreamEntry> {
  let start = '-';
  for (;;) {
    const page = await broker.range(stream, { start, count: PAGE_SIZE });
    yield* page;
    const last = page.at(-1);
    if (!last || page.length < PAGE_SIZE) return;
    start = `(${last.id}`;
  }
}

function toEntry(deadLetterStream: string, { id, payload }: StreamEntry): DeadLetterEntry {
  return {
    id: deadLetterId(deadLetterStream, id),
    deadLetterStream,
    entryId: id,
    deadLetter: asDeadLetter(payload),
    stored: payload,
  };
}

function keys(stored: JsonObject): string {
  return JSON.stringify(Object.keys(stored));
}
