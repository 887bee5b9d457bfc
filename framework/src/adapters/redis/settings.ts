/**
 * The settings of the Redis brokers (`[brokers.<name>]` with `provider = "redis"` or
 * `"redis_pubsub"`): checked once, where the broker is built, with the defaults filled in.
 */
import { ConfigurationError } from '../../core/errors.js';

/** A broker table as domain.toml (or code) gives it: the keys the Redis brokers read. */
export interface RedisBrokerTable {
  readonly provider?: unknown;
  readonly URI?: unknown;
  readonly key_prefix?: unknown;
  readonly connect_timeout_ms?: unknown;
  readonly command_timeout_ms?: unknown;
  readonly watchdog_grace_ms?: unknown;
}

/** The checked settings of a Redis broker. */
export interface RedisBrokerSettings {
  /** `redis` or `redis_pubsub`. */
  readonly provider: string;
  /** `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS). */
  readonly URI: string;
  /**
   * Put in front of every stream key (and pub/sub channel): `orders` is stored as
   * `<key_prefix>orders`. Lets several apps or test files share one Redis. @defaultValue ''
   */
  readonly key_prefix: string;
  /** How long connecting may take before it fails. @defaultValue 5000 */
  readonly connect_timeout_ms: number;
  /**
   * How long a non-blocking command may wait for its reply before it fails (a paused or stuck
   * Redis surfaces as an error instead of a hang); 0 waits forever. @defaultValue 5000
   */
  readonly command_timeout_ms: number;
  /**
   * A blocking read that has no reply `blockMs` + this many ms after it started is abandoned: its
   * connection is dropped and a new one is opened for the next read. @defaultValue 1000
   */
  readonly watchdog_grace_ms: number;
}

const DEFAULTS = { connect_timeout_ms: 5_000, command_timeout_ms: 5_000, watchdog_grace_ms: 1_000 };
const EXAMPLE_URI = 'URI = "${REDIS_URL|redis://127.0.0.1:6379/0}"';

/**
 * Checks a Redis broker table and fills in the defaults; every error names `key` (the table).
 *
 * @example
 * redisBrokerSettings({ provider: 'redis', URI: 'redis://127.0.0.1:6379/0' });
 * // { provider: 'redis', URI: '...', key_prefix: '', connect_timeout_ms: 5000, ... }
 */
export function redisBrokerSettings(
  table: RedisBrokerTable,
  key = 'brokers.default',
): RedisBrokerSettings {
  const provider = typeof table.provider === 'string' ? table.provider : 'redis';
  const prefix = table.key_prefix ?? '';
  if (typeof prefix !== 'string') {
    throw new ConfigurationError(
      `${key}.key_prefix: must be a string, received ${describe(prefix)}; leave it out for none.`,
    );
  }
  return {
    provider,
    URI: checkUri(table.URI, key, provider),
    key_prefix: prefix,
    connect_timeout_ms: wholeNumber(table, key, 'connect_timeout_ms', 1),
    command_timeout_ms: wholeNumber(table, key, 'command_timeout_ms', 0),
    watchdog_grace_ms: wholeNumber(table, key, 'watchdog_grace_ms', 1),
  };
}

/**
 * The URI without its password, safe for logs and error messages.
 *
 * @example
 * redactRedisUri('redis://app:secret@cache:6379/0'); // 'redis://app@cache:6379/0'
 */
export function redactRedisUri(uri: string): string {
  if (!URL.canParse(uri)) return '<unparseable Redis URI>';
  const url = new URL(uri);
  url.password = '';
  url.searchParams.delete('password');
  return url.toString();
}

function checkUri(uri: unknown, key: string, provider: string): string {
  if (typeof uri !== 'string' || uri.trim() === '') {
    throw new ConfigurationError(
      `${key}.URI: provider = "${provider}" needs a URI, received ${describe(uri)}; add it to ` +
        `the [${key}] table of domain.toml, e.g. ${EXAMPLE_URI}`,
    );
  }
  if (!/^rediss?:\/\//.test(uri) || !URL.canParse(uri)) {
    throw new ConfigurationError(
      `${key}.URI: must be a redis:// (or rediss://) URL, received ${describe(uri)}; ` +
        `e.g. ${EXAMPLE_URI}`,
    );
  }
  return uri;
}

function wholeNumber(
  table: RedisBrokerTable,
  key: string,
  name: keyof typeof DEFAULTS,
  min: number,
): number {
  const value = table[name] ?? DEFAULTS[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) {
    throw new ConfigurationError(
      `${key}.${name}: must be a whole number >= ${min}, received ${describe(value)}; ` +
        `leave it out for the default (${DEFAULTS[name]}).`,
    );
  }
  return value;
}

/** A received value for a message: `nothing`, or its JSON (a URI without its password). */
function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  return JSON.stringify(typeof value === 'string' ? redactRedisUri(value) : value);
}
