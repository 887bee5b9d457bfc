/**
 * How the Redis brokers report failures: a Redis that cannot be reached (or does not answer) is the
 * port's `BrokerUnavailableError`; a missing consumer group is the port's `NoGroupError`; any other
 * reply error from Redis (`WRONGTYPE` ...) is passed on as ioredis raised it.
 */
import { ProteanError } from '../../core/errors.js';
import { BrokerUnavailableError, NoGroupError } from '../../ports/broker.js';

/** What a failed command was about, to name it in the error. */
export interface CommandContext {
  /** The broker's URI, without its password. */
  readonly uri: string;
  /** The Redis command, e.g. `XADD`. */
  readonly command: string;
  /** The stream (as the caller named it, without the key prefix). */
  readonly stream?: string;
  readonly group?: string;
}

/**
 * Turns a driver error into what the port promises: `NOGROUP` -> `NoGroupError`, a connection
 * problem -> {@link BrokerUnavailableError}, any other Redis reply error unchanged.
 */
export function translateError(error: unknown, context: CommandContext): unknown {
  if (error instanceof ProteanError) return error;
  const message = error instanceof Error ? error.message : String(error);
  if (/\bNOGROUP\b/.test(message) && context.stream !== undefined) {
    return new NoGroupError(context.stream, context.group ?? '');
  }
  if (isReplyError(error) && !/^(LOADING|MASTERDOWN|TRYAGAIN)\b/.test(message)) return error;
  const about = context.stream === undefined ? '' : ` on '${context.stream}'`;
  return new BrokerUnavailableError(
    context.uri,
    `Redis at ${context.uri} did not complete ${context.command}${about} (${message}): ` +
      `${WHAT_TO_CHECK}; the broker reconnects on its own once Redis answers.`,
    { cause: error },
  );
}

/**
 * The error of a connection that could not be opened: `cause` is the most telling error seen
 * (ioredis reports the socket error as an event and rejects with a generic one).
 */
export function unreachable(uri: string, cause: unknown): BrokerUnavailableError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new BrokerUnavailableError(
    uri,
    `cannot connect to Redis at ${uri} (${reason}): ${WHAT_TO_CHECK}.`,
    { cause },
  );
}

const WHAT_TO_CHECK =
  'check that Redis is running and reachable there (redis-cli -u <URI> ping) and that the URI ' +
  'of the broker in domain.toml ([brokers.<name>] URI) is right';

/** A reply from Redis (`ERR ...`, `WRONGTYPE ...`), as opposed to a connection problem. */
function isReplyError(error: unknown): boolean {
  return error instanceof Error && error.name === 'ReplyError';
}
