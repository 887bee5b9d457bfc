/**
 * The connection side shared by the Redis brokers: `ioredis` loaded lazily (so protean-ts works
 * without it installed), connection options that fail fast instead of queueing forever, and
 * connections opened with a clear error and closed without hanging.
 */
import type * as IORedis from 'ioredis';
import type { Redis, RedisOptions } from 'ioredis';
import { ConfigurationError } from '../../core/errors.js';
import { unreachable } from './errors.js';
import type { RedisBrokerSettings } from './settings.js';

/** One ioredis connection. */
export type Connection = Redis;

/** How long `close()` waits for QUIT's reply before it drops a connection. */
const QUIT_TIMEOUT_MS = 1_000;
/** Reconnection attempts a command waits through before it fails. */
const MAX_RETRIES_PER_REQUEST = 2;

/** Loads `ioredis`, or says that `user` needs it and how to install it. */
export async function loadIoredis(user: string): Promise<typeof IORedis> {
  try {
    return await import('ioredis');
  } catch (error) {
    throw new ConfigurationError(
      `${user} needs the "ioredis" package, which is not installed: ` +
        `run \`npm install ioredis\` (${error instanceof Error ? error.message : String(error)})`,
    );
  }
}

/**
 * Reconnection delays: 100 ms, 200 ms, 400 ms ... capped at 2 s, plus up to 100 ms of jitter so
 * that many workers do not reconnect in step.
 */
export function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** attempt, 2_000) + Math.floor(Math.random() * 100);
}

/**
 * The options of a broker's main connection: connects on `connect()` (or the first command),
 * reconnects with backoff, and a command fails (rather than waits forever) when Redis stays
 * unreachable for {@link MAX_RETRIES_PER_REQUEST} reconnections or does not answer in time.
 */
export function mainOptions(settings: RedisBrokerSettings, name: string): RedisOptions {
  return {
    lazyConnect: true,
    connectionName: name,
    connectTimeout: settings.connect_timeout_ms,
    ...(settings.command_timeout_ms > 0 ? { commandTimeout: settings.command_timeout_ms } : {}),
    maxRetriesPerRequest: MAX_RETRIES_PER_REQUEST,
    retryStrategy: reconnectDelay,
    // After QUIT (or on a dead server), wait at most this long for the socket to close.
    disconnectTimeout: 500,
  };
}

/**
 * A connection that tracks the last error ioredis reported as an event (the socket error behind
 * a generic "Connection is closed."), so failures can name their real cause.
 */
export interface TrackedConnection {
  readonly connection: Connection;
  /** The last `error` event, if any. */
  lastError(): unknown;
}

/**
 * Creates a connection on `settings.URI` (not connected yet) that records its `error` events
 * instead of letting ioredis print them as unhandled.
 */
export function track(connection: Connection): TrackedConnection {
  let last: unknown;
  connection.on('error', (error: unknown) => (last = error));
  return { connection, lastError: () => last };
}

/**
 * Connects `tracked`, or drops it and throws a `BrokerUnavailableError` naming `uri` (without
 * its password) and the socket error, instead of retrying in the background.
 */
export async function connectOrFail(tracked: TrackedConnection, uri: string): Promise<void> {
  try {
    await tracked.connection.connect();
  } catch (error) {
    tracked.connection.disconnect();
    throw unreachable(uri, tracked.lastError() ?? error);
  }
}

/**
 * Ends `connection`: QUIT when it is connected (bounded by a short timeout), then disconnect,
 * which also rejects a command blocked on it. Never throws.
 */
export async function closeConnection(connection: Connection): Promise<void> {
  if (connection.status === 'ready') {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, QUIT_TIMEOUT_MS)));
    await Promise.race([connection.quit().catch(() => undefined), timeout]);
    clearTimeout(timer);
  }
  connection.disconnect();
}
