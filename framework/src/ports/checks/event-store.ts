/**
 * Argument checks shared by every event store adapter, so all of them reject the same input with
 * the same message.
 */
import { ExpectedVersionError } from '../../core/errors.js';
import type {
  ExpectedVersion,
  ReadCategoryOptions,
  ReadStreamOptions,
  StreamAppend,
} from '../event-store.js';
import { expects, show } from './usage.js';

const usage: (expectation: string) => never = expects('The event store');

/**
 * Throws `ExpectedVersionError` unless a stream at version `actual` (-1: no stream) satisfies
 * `expected` (`undefined` means `'any'`).
 */
export function checkExpectedVersion(
  stream: string,
  expected: ExpectedVersion | undefined,
  actual: number,
): void {
  if (expected === undefined || expected === 'any') return;
  const wanted = expected === 'no_stream' ? -1 : expected;
  if (wanted === actual) return;
  const note =
    wanted === -1 || actual === -1 ? ' (version -1 means the stream does not exist)' : '';
  throw new ExpectedVersionError(`Stream '${stream}'${note}`, wanted, actual);
}

/**
 * Throws `IncorrectUsageError` unless `appends` names distinct, non-empty streams, each with at
 * least one message whose `stream` is that stream, a valid expected version, and ids that are
 * distinct within the batch.
 */
export function checkAppends(appends: readonly StreamAppend[]): void {
  const streams = new Set<string>();
  const ids = new Set<string>();
  for (const { stream, messages, expectedVersion } of appends) {
    if (typeof stream !== 'string' || stream === '')
      usage(`a stream name, received ${show(stream)}`);
    if (streams.has(stream)) usage(`each stream once per batch, received '${stream}' twice`);
    streams.add(stream);
    checkExpectedVersionOption(stream, expectedVersion);
    if (messages.length === 0) usage(`at least one message for '${stream}', received none`);
    for (const message of messages) {
      if (message.stream !== stream) {
        usage(`messages of stream '${stream}', received one of ${show(message.stream)}`);
      }
      if (ids.has(message.id)) usage(`distinct message ids, received '${message.id}' twice`);
      ids.add(message.id);
    }
  }
}

/**
 * Validates {@link ReadStreamOptions} and fills in the defaults.
 */
export function readStreamOptions(options: ReadStreamOptions = {}): Required<ReadStreamOptions> {
  const { fromPosition = 0, maxCount = Number.POSITIVE_INFINITY } = options;
  checkCount('fromPosition', fromPosition, 0);
  if (maxCount !== Number.POSITIVE_INFINITY) checkCount('maxCount', maxCount, 0);
  return { fromPosition, maxCount };
}

/**
 * Validates a category name and {@link ReadCategoryOptions}, and fills in the defaults.
 */
export function readCategoryOptions(
  category: string,
  options: ReadCategoryOptions = {},
): Required<ReadCategoryOptions> {
  if (typeof category !== 'string' || category === '' || category.includes('-')) {
    usage(`a category such as 'bookshelf::book' (no '-'), received ${show(category)}`);
  }
  const { fromGlobalPosition = 1, batchSize = 100 } = options;
  checkCount('fromGlobalPosition', fromGlobalPosition, 0);
  checkCount('batchSize', batchSize, 1);
  return { fromGlobalPosition, batchSize };
}

function checkExpectedVersionOption(stream: string, expected: unknown): void {
  if (expected === undefined || expected === 'any' || expected === 'no_stream') return;
  if (Number.isInteger(expected) && (expected as number) >= -1) return;
  usage(
    `expectedVersion of '${stream}' to be an integer >= -1, 'no_stream' or 'any', ` +
      `received ${show(expected)}`,
  );
}

function checkCount(name: string, value: unknown, min: number): void {
  if (Number.isInteger(value) && (value as number) >= min) return;
  usage(`${name} to be an integer >= ${min}, received ${show(value)}`);
}
