/**
 * The message envelope: every command and event travels in one, JSON on the wire. Its fields and
 * the stream names are explained for users in docs/guides/processing.md, "The envelope and stream
 * names".
 */

/** Whether a message asks for something (command) or says something happened (event). */
export type MessageKind = 'COMMAND' | 'EVENT';

/** Data about a message, as opposed to its payload. */
export interface MessageMetadata {
  /** ISO-8601 time the message was created. */
  timestamp: string;
  /** Shared by a command and everything it causes, transitively. */
  correlationId: string;
  /** The id of the message that directly caused this one (absent for a first command). */
  causationId?: string;
  /** For events: the aggregate's version after the change that raised it. */
  aggregateVersion?: number;
  /** Position in its stream, once stored in an event store (0-based). */
  position?: number;
  /** Position across the whole store, once stored (1-based, increasing). */
  globalPosition?: number;
  /** Free-form headers that travel with the message. */
  headers: Record<string, string>;
}

/**
 * A command or event as it is stored and transmitted.
 *
 * @example
 * const added: Envelope = {
 *   id: '0b6c5f3e-7d2a-4c1b-9e8f-1a2b3c4d5e6f',
 *   type: 'Bookshelf.BookAdded.v1',
 *   kind: 'EVENT',
 *   stream: 'bookshelf::book-42',
 *   data: { bookId: '42', title: 'Dune' },
 *   metadata: {
 *     timestamp: '2025-03-04T10:00:00.000Z',
 *     correlationId: '0b6c5f3e-7d2a-4c1b-9e8f-1a2b3c4d5e6f',
 *     headers: {},
 *   },
 * };
 */
export interface Envelope<D extends Record<string, unknown> = Record<string, unknown>> {
  id: string;
  /** Versioned type name: `<Domain>.<Name>.v<N>`, e.g. `Bookshelf.BookAdded.v1`. */
  type: string;
  kind: MessageKind;
  /** The stream it belongs to, e.g. `bookshelf::book-42` or `bookshelf::book:command-42`. */
  stream: string;
  data: D;
  metadata: MessageMetadata;
}

/** The category of a stream: everything before the first `-` (`bookshelf::book-42` -> `bookshelf::book`). */
export function categoryOf(stream: string): string {
  const dash = stream.indexOf('-');
  return dash === -1 ? stream : stream.slice(0, dash);
}

/** The id part of an instance stream, or `undefined` for a category. */
export function streamId(stream: string): string | undefined {
  const dash = stream.indexOf('-');
  return dash === -1 ? undefined : stream.slice(dash + 1);
}

/**
 * Stream names: categories, instances, command streams and dead-letter queues. Every stream name
 * the framework writes or reads back is built, or taken apart, here.
 *
 * @example
 * streams.instance(streams.category('bookshelf', 'book'), '42'); // 'bookshelf::book-42'
 */
export const streams = {
  /** `bookshelf` + `order_item` -> `bookshelf::order_item`. */
  category: (domain: string, aggregateSnakeName: string) => `${domain}::${aggregateSnakeName}`,
  /** `bookshelf::book` + `42` -> `bookshelf::book-42`. */
  instance: (category: string, id: string) => `${category}-${id}`,
  /** The category of a domain's command streams: `bookshelf::book` -> `bookshelf::book:command`. */
  commandCategory: (category: string) => `${category}${COMMAND_SUFFIX}`,
  /** `bookshelf::book` + `42` -> `bookshelf::book:command-42`. */
  command: (category: string, id: string) => `${category}${COMMAND_SUFFIX}-${id}`,
  /** The dead-letter queue of a stream: `bookshelf::book` -> `bookshelf::book:dlq`. */
  deadLetter: (stream: string) => `${stream}${DEAD_LETTER_SUFFIX}`,
  /** The stream a dead-letter queue belongs to, or `undefined` when `queue` is not one. */
  ofDeadLetter: (queue: string): string | undefined =>
    queue.endsWith(DEAD_LETTER_SUFFIX) ? queue.slice(0, -DEAD_LETTER_SUFFIX.length) : undefined,
};

const COMMAND_SUFFIX = ':command';
const DEAD_LETTER_SUFFIX = ':dlq';
