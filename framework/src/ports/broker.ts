/**
 * The broker port: named, append-only streams read through consumer groups, shaped after Redis
 * Streams (XADD, XGROUP CREATE ... MKSTREAM, XREADGROUP, XACK, XPENDING, XAUTOCLAIM, XLEN, XINFO,
 * XTRIM, XRANGE, XDEL) so that adapter maps onto it one call to one command, and the engine's
 * stream subscription is written once against this interface. XRANGE and XDEL read and edit a
 * stream outside of any group (dead-letter queues).
 */
import type { Envelope } from '../core/envelope.js';
import { ProteanError } from '../core/errors.js';

/** A JSON object as it travels on a stream. */
export type JsonObject = { [key: string]: unknown };

/**
 * What can be published: an {@link Envelope}, or any JSON object (external streams carry raw
 * payloads for subscribers). It travels as JSON: a `Date` arrives as its ISO string.
 */
export type BrokerPayload = Envelope | JsonObject;

/** What a broker can do. The contract suite skips, by name and with the reason, what it cannot. */
export interface BrokerCapabilities {
  /** Named groups share a stream: each entry goes to one consumer of every group (XREADGROUP). */
  readonly consumerGroups: boolean;
  /**
   * Entries are kept after delivery until trimmed: a group created later still reads them, and
   * `streamLength`/`trim` work. Without it (pub/sub) an entry reaches only who listens right now.
   */
  readonly persistence: boolean;
  /**
   * Delivered entries stay pending, with a delivery counter, until acknowledged: at-least-once.
   * Without it delivery is at-most-once.
   */
  readonly acknowledgement: boolean;
  /** Entries pending too long with one consumer can be taken over by another (XAUTOCLAIM). */
  readonly claiming: boolean;
  /** `readGroup` can wait for new entries (`blockMs`) and wakes up as soon as one arrives. */
  readonly blockingReads: boolean;
  /**
   * `subscribe()` pushes each payload published on a stream to its listeners as it arrives
   * (Redis pub/sub). Left out means `false`: the broker has no `subscribe()`.
   */
  readonly subscriptions?: boolean;
}

/**
 * Receives one payload pushed by {@link Broker.subscribe}: a copy of its own, and the stream it
 * was published on. A returned promise is awaited only to catch its failure: the next payload does
 * not wait for it.
 */
export type BrokerListener = (payload: JsonObject, stream: string) => void | Promise<void>;

/** Options of {@link Broker.subscribe}. */
export interface SubscribeOptions {
  /**
   * Called when the listener throws or its promise rejects (the payload is not delivered again).
   * @defaultValue a process warning (`process.emitWarning`) naming the stream and the error
   */
  onError?: (error: unknown, payload: JsonObject, stream: string) => void;
}

/** Ends a subscription; calling it again does nothing. */
export type Unsubscribe = () => Promise<void>;

/** One entry read from a stream through a group. */
export interface BrokerEntry {
  /** `<ms>-<seq>`, increasing within a stream, e.g. `1718000000000-0`. */
  readonly id: string;
  /**
   * The published JSON object, copied (changing it changes nothing stored). `null` only in a
   * `pending: true` read, for an entry trimmed away after it was delivered (Redis replies nil):
   * there is nothing to handle, acknowledge it.
   */
  readonly payload: JsonObject | null;
  /** Deliveries of the entry in this group, this one included (1 = first delivery). */
  readonly deliveries: number;
}

/** Options of {@link Broker.readGroup}. */
export interface ReadGroupOptions {
  /** At most this many entries. @defaultValue 10 */
  count?: number;
  /**
   * Wait up to this long for new entries when there are none (`pending: false` only; own pending
   * entries are returned at once, as in Redis). Resolves as soon as one arrives, `[]` on timeout or
   * when the broker closes. Unlike Redis's `BLOCK 0`, 0 never waits. @defaultValue 0
   */
  blockMs?: number;
  /**
   * `true`: this consumer's own pending entries, oldest first (XREADGROUP with id `0`); each one's
   * delivery counter goes up, as in Redis. `false`: entries never delivered to the group (id `>`),
   * which become pending for this consumer with 1 delivery. @defaultValue false
   */
  pending?: boolean;
}

/** One entry of a group's pending entries list (XPENDING, extended form). */
export interface PendingEntry {
  readonly id: string;
  /** The consumer it was last delivered to. */
  readonly consumer: string;
  /** Milliseconds since its last delivery (or claim). */
  readonly idleMs: number;
  /** How many times it has been delivered (read or claimed). */
  readonly deliveries: number;
}

/** Options of {@link Broker.pending}. */
export interface PendingOptions {
  /** At most this many entries, oldest first. @defaultValue 100 */
  count?: number;
  /** Only the entries of this consumer. */
  consumer?: string;
}

/** Options of {@link Broker.claim}. */
export interface ClaimOptions {
  /** Only entries idle at least this long move (a consumer that is alive delivers sooner). */
  minIdleMs: number;
  /** Where to resume: the `nextCursor` of the previous call. @defaultValue '0-0' (the start) */
  cursor?: string;
  /** At most this many entries, claimed or deleted (the scan looks at 10x). @defaultValue 100 */
  count?: number;
}

/** What {@link Broker.claim} did (XAUTOCLAIM's reply). */
export interface ClaimResult {
  /** Pass it to the next call; `'0-0'` when the scan reached the end of the pending list. */
  readonly nextCursor: string;
  /** Entries now pending for the claiming consumer, delivery counter incremented. */
  readonly entries: BrokerEntry[];
  /** Pending ids whose entry was trimmed away: removed from the pending list, nothing to handle. */
  readonly deleted: string[];
}

/** Options of {@link Broker.range} (XRANGE). */
export interface RangeOptions {
  /**
   * The oldest id to include, or `'-'` for the first entry. Prefixed with `(` it is excluded
   * instead, which is how a scan resumes after the last id it saw. @defaultValue '-'
   */
  start?: string;
  /** The newest id to include, or `'+'` for the last entry. @defaultValue '+' */
  end?: string;
  /** At most this many entries, oldest first. @defaultValue 100 */
  count?: number;
}

/** One entry read by {@link Broker.range}: its id and a copy of its payload. */
export interface StreamEntry {
  readonly id: string;
  readonly payload: JsonObject;
}

/** A consumer group as seen by XINFO GROUPS. */
export interface GroupInfo {
  readonly name: string;
  /** Consumers the group has seen (read or claimed). */
  readonly consumers: number;
  /** Entries delivered and not yet acknowledged. */
  readonly pending: number;
  /** The newest entry ever delivered to the group (`'0-0'` for none). */
  readonly lastDeliveredId: string;
  /** Entries not yet delivered to the group; `null` when the broker cannot tell cheaply. */
  readonly lag: number | null;
}

/**
 * A message broker: the inline (in-process) broker, Redis Streams, Redis pub/sub.
 *
 * Delivery through a group is at-least-once: an entry stays pending for the consumer it was
 * delivered to until acknowledged; a restarted consumer re-reads its own pending entries
 * (`pending: true`) and entries of a vanished consumer are claimed by another after they have been
 * idle long enough. The delivery counter lives in the broker, so retry counts survive restarts.
 *
 * A broker without `capabilities.consumerGroups` (pub/sub) throws an `IncorrectUsageError` from
 * the group methods (`ensureGroup`, `readGroup`, `ack`, `pending`, `claim`, `groupInfo`), and one
 * without `capabilities.persistence` from `streamLength`, `trim`, `range` and `remove`, saying what
 * to use instead.
 * Group methods called for a group that does not exist throw {@link NoGroupError} (Redis: NOGROUP),
 * except `ack` (0) and `groupInfo` (`[]`).
 *
 * @example
 * await broker.start();
 * await broker.ensureGroup('bookshelf::book', 'BookProjector');
 * await broker.publish('bookshelf::book', envelope);
 * const consumer = 'BookProjector-host-1';
 * const [entry] = await broker.readGroup('bookshelf::book', 'BookProjector', consumer, {
 *   count: 10,
 *   blockMs: 1_000,
 * });
 * if (entry) await broker.ack('bookshelf::book', 'BookProjector', [entry.id]);
 * await broker.close();
 */
export interface Broker {
  /** The provider's name in domain.toml, e.g. `inline` or `redis`. */
  readonly provider: string;
  readonly capabilities: BrokerCapabilities;
  /** Connects. Idempotent; after `close()` it connects again (stored entries are kept). */
  start(): Promise<void>;
  /**
   * Releases connections and timers: blocked reads resolve with `[]` at once and nothing keeps the
   * process alive. Idempotent. Calls other than `start()`/`close()` then throw.
   */
  close(): Promise<void>;
  /** Resolves when the broker answers; rejects with the reason otherwise (readiness checks). */
  ping(): Promise<void>;
  /** Appends `payload` to `stream` (created if missing) and resolves with the new entry's id. */
  publish(stream: string, payload: BrokerPayload): Promise<string>;
  /**
   * Creates `group` on `stream` (and the stream if missing), starting at the beginning of the
   * stream (XGROUP CREATE ... 0 MKSTREAM): entries published before the engine started are
   * delivered too, which at-least-once needs. An existing group is left as it is.
   * Resolves `true` when it created the group, `false` when it already existed.
   */
  ensureGroup(stream: string, group: string): Promise<boolean>;
  /** Reads as `consumer` of `group`: new entries, or with `pending: true` its own pending ones. */
  readGroup(
    stream: string,
    group: string,
    consumer: string,
    options?: ReadGroupOptions,
  ): Promise<BrokerEntry[]>;
  /** Removes entries from the group's pending list; resolves with how many were pending. */
  ack(stream: string, group: string, ids: readonly string[]): Promise<number>;
  /** The group's pending entries, oldest first. */
  pending(stream: string, group: string, options?: PendingOptions): Promise<PendingEntry[]>;
  /**
   * Moves pending entries idle at least `minIdleMs` to `consumer`, scanning from `cursor`
   * (XAUTOCLAIM): each claimed entry's delivery counter goes up and its idle time restarts.
   */
  claim(
    stream: string,
    group: string,
    consumer: string,
    options: ClaimOptions,
  ): Promise<ClaimResult>;
  /** How many entries the stream holds (0 for a stream that does not exist). */
  streamLength(stream: string): Promise<number>;
  /** The stream's consumer groups (`[]` when the stream does not exist). */
  groupInfo(stream: string): Promise<GroupInfo[]>;
  /** Drops the oldest entries so at most `maxLength` remain; resolves with how many it dropped. */
  trim(stream: string, options: { maxLength: number }): Promise<number>;
  /**
   * The stream's entries with ids from `start` to `end`, oldest first (XRANGE), outside of any
   * group: nothing is delivered or acknowledged. `[]` for a stream that does not exist. Dead-letter
   * queues are read this way (`protean dlq list`).
   */
  range(stream: string, options?: RangeOptions): Promise<StreamEntry[]>;
  /**
   * Deletes the entries with these ids (XDEL); resolves with how many existed. A removed entry
   * still pending in a group reads as `payload: null` there, as a trimmed one does.
   */
  remove(stream: string, ids: readonly string[]): Promise<number>;
  /**
   * Only with `capabilities.subscriptions`: calls `listener` with every payload published on
   * `stream` from the moment the returned promise resolves until the subscription ends.
   * At-most-once: a payload published while nobody listens, or while the connection is down, is
   * lost; nothing is acknowledged or redelivered.
   */
  subscribe?(
    stream: string,
    listener: BrokerListener,
    options?: SubscribeOptions,
  ): Promise<Unsubscribe>;
}

/**
 * A group method named a consumer group that does not exist (Redis: NOGROUP), for example after
 * Redis restarted empty. The stream subscription recreates the group with `ensureGroup()`.
 */
export class NoGroupError extends ProteanError {
  readonly stream: string;
  readonly group: string;

  constructor(stream: string, group: string) {
    super(
      'NO_GROUP',
      `stream '${stream}' has no consumer group '${group}': call ensureGroup('${stream}', ` +
        `'${group}') first (or again, if the broker lost its data).`,
    );
    this.stream = stream;
    this.group = group;
  }
}

/**
 * The broker could not be reached, or did not answer in time: refused or lost connection, DNS
 * failure, timeout, a blocking read abandoned by its watchdog. Adapters throw it for every such
 * failure, whatever their technology; the message names the URI (without its password) and what
 * to check; `cause` is the driver's error. The engine's consume loops wait it out and retry.
 *
 * @example
 * try { await broker.start(); } catch (error) {
 *   if (error instanceof BrokerUnavailableError) console.error(error.uri, error.message);
 * }
 */
export class BrokerUnavailableError extends ProteanError {
  /** The broker's URI, without its password. */
  readonly uri: string;

  constructor(uri: string, message: string, options?: ErrorOptions) {
    super('BROKER_UNAVAILABLE', message, options);
    this.uri = uri;
  }
}

/**
 * Orders two `<ms>-<seq>` entry ids: negative when `a` is older, 0 when equal, positive otherwise.
 *
 * @example
 * ['2-0', '1-5', '1-10'].sort(compareEntryIds); // ['1-5', '1-10', '2-0']
 */
export function compareEntryIds(a: string, b: string): number {
  const [aMs, aSeq] = splitEntryId(a);
  const [bMs, bSeq] = splitEntryId(b);
  return aMs - bMs || aSeq - bSeq;
}

function splitEntryId(id: string): [number, number] {
  const dash = id.indexOf('-');
  if (dash === -1) return [Number(id), 0];
  return [Number(id.slice(0, dash)), Number(id.slice(dash + 1))];
}
