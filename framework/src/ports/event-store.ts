/**
 * The event store port: an append-only log of messages, grouped in streams and categories, with
 * optimistic concurrency per stream. Modelled on Message DB and Emmett; adapters implement it and
 * one contract suite (`testing/contracts/event-store.ts`) holds them all to the same behaviour.
 *
 * Vocabulary (stream names are built by `streams` in core/envelope.ts):
 * - a **stream** is one aggregate's history, e.g. `bookshelf::book-42`; its messages have a
 *   `position` counted from 0, and the stream's **version** is the position of its last message
 *   (-1 when the stream has no messages: "no stream");
 * - a **category** is what comes before the first `-` of a stream name (`bookshelf::book`);
 * - every stored message also has a `globalPosition`, counted from 1 and strictly increasing
 *   across the whole store (gaps are allowed: a rolled-back transaction may burn numbers).
 */
import type { Envelope, MessageMetadata } from '../core/envelope.js';
import type { SchemaOperations, TransactionLink } from './database.js';

/** A message to append: an envelope whose positions the store assigns (any given are ignored). */
export type NewMessage = Omit<Envelope, 'metadata'> & {
  metadata: Omit<MessageMetadata, 'position' | 'globalPosition'>;
};

/** A message read from the store: an envelope with both positions filled in. */
export type StoredMessage = Envelope & {
  metadata: MessageMetadata & { position: number; globalPosition: number };
};

/**
 * The optimistic-concurrency condition of an append:
 * - a number: the stream must be at exactly this version (the position of its last message;
 *   -1 means "no stream", the same as `'no_stream'`);
 * - `'no_stream'`: the stream must have no messages yet;
 * - `'any'`: no check.
 */
export type ExpectedVersion = number | 'no_stream' | 'any';

/** Where one message was stored. */
export interface StoredPosition {
  /** Position in its stream, from 0. */
  readonly position: number;
  /** Position across the store, from 1. */
  readonly globalPosition: number;
}

/**
 * What an append stored. `position` and `globalPosition` are those of the last message appended;
 * `position` is also the stream's new version, the `expectedVersion` of the next append.
 */
export interface AppendResult extends StoredPosition {
  readonly stream: string;
  /** One entry per appended message, in the order given. */
  readonly positions: readonly StoredPosition[];
}

/** Options of {@link EventStore.append}. */
export interface AppendOptions {
  /** @defaultValue `'any'` */
  expectedVersion?: ExpectedVersion;
}

/** Options of {@link EventStore.appendBatch}. */
export interface AppendBatchOptions {
  /**
   * A database transaction to write in, when the store can join it (same technology and
   * database): then the messages are stored if and only if that transaction commits.
   */
  transaction?: TransactionLink | undefined;
}

/** One stream's part of an {@link EventStore.appendBatch}. */
export interface StreamAppend extends AppendOptions {
  stream: string;
  messages: readonly NewMessage[];
}

/** Options of {@link EventStore.readStream}. */
export interface ReadStreamOptions {
  /** The first position to return. @defaultValue 0 */
  fromPosition?: number;
  /** At most this many messages (0 returns none). @defaultValue all of them */
  maxCount?: number;
}

/** Options of {@link EventStore.readCategory}. */
export interface ReadCategoryOptions {
  /** The first global position to return (inclusive). @defaultValue 1 */
  fromGlobalPosition?: number;
  /** At most this many messages per call. @defaultValue 100 */
  batchSize?: number;
}

/**
 * What an adapter can promise beyond the baseline. The contract suite skips, with the reason in
 * the test's name, the cases of a capability an adapter declares `false`.
 */
export interface EventStoreCapabilities {
  /**
   * `appendBatch` is atomic across streams: a failure while writing any message (not only a
   * failed expected-version check) leaves nothing of the batch stored. The unit of work relies on
   * it to commit several aggregates' events at once.
   */
  readonly atomicBatch: boolean;
}

/**
 * An append-only, stream-partitioned message store.
 *
 * Every method copies: a caller mutating a message it appended or read changes nothing stored.
 * Data and metadata are stored as JSON (a `Date` comes back as its ISO string).
 *
 * Errors: `ExpectedVersionError` (code `EXPECTED_VERSION_ERROR`) when a concurrency condition
 * fails, with -1 standing for "no stream" in `expected` and `actual`; a `ProteanError` with code
 * `DUPLICATE_MESSAGE` when a message id is already stored (ids are unique across the store);
 * `IncorrectUsageError` (code `INCORRECT_USAGE`) for bad arguments. A rejected append stores nothing.
 *
 * @example
 * const { position } = await store.append('bookshelf::book-42', [bookAdded], {
 *   expectedVersion: 'no_stream',
 * });
 * await store.append('bookshelf::book-42', [bookCheckedOut], { expectedVersion: position });
 * const history = await store.readStream('bookshelf::book-42');
 */
export interface EventStore extends Partial<SchemaOperations> {
  /** The provider's name in domain.toml, e.g. `memory`. */
  readonly provider: string;
  readonly capabilities: EventStoreCapabilities;
  /** Connects (a no-op for memory). */
  start(): Promise<void>;
  /** Releases connections and resources. */
  close(): Promise<void>;
  /**
   * Resolves when the store answers; rejects with the reason otherwise (readiness checks).
   * Bounded in time by the adapter, so a hung server cannot hang the caller.
   */
  ping(): Promise<void>;

  /**
   * Appends `messages` (at least one, each with `stream` equal to `stream`) at the end of the
   * stream, all or none, if `options.expectedVersion` holds.
   */
  append(
    stream: string,
    messages: readonly NewMessage[],
    options?: AppendOptions,
  ): Promise<AppendResult>;

  /**
   * Appends to several distinct streams at once: checks every expected version first, then
   * stores all the messages or none. Resolves with one result per entry, in order; global
   * positions follow the order of the entries, then of their messages.
   */
  appendBatch(
    appends: readonly StreamAppend[],
    options?: AppendBatchOptions,
  ): Promise<AppendResult[]>;
  /**
   * Whether `appendBatch` can write inside this database transaction (same technology and
   * database). When it cannot, events and state do not commit together: `domain.init()` checks.
   */
  canJoin(transaction: TransactionLink): boolean;

  /** The stream's messages in position order; `[]` for a stream that does not exist. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<StoredMessage[]>;

  /**
   * Up to `batchSize` messages of every stream in `category` (`categoryOf(message.stream) ===
   * category`) with `globalPosition >= fromGlobalPosition`, in global order. To read everything,
   * call again from the last message's `globalPosition + 1` until a batch comes back empty.
   * `category` must not contain `-` (that would be a stream name).
   *
   * An adapter must never return a message while a lower global position of the same category
   * may still commit: a subscription reading from the last position + 1 would skip the late one.
   */
  readCategory(category: string, options?: ReadCategoryOptions): Promise<StoredMessage[]>;

  /** The position of the stream's last message, or -1 when it has none. */
  streamVersion(stream: string): Promise<number>;

  /** The stream's last message, or `undefined` when it has none. */
  readLast(stream: string): Promise<StoredMessage | undefined>;
}
