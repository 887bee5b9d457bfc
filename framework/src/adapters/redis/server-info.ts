/**
 * What Redis says about itself (`INFO server`, `memory`, `stats`): its version, memory and load,
 * for monitoring (the observatory's broker health). Not part of the Broker port: other brokers
 * have nothing like it.
 */
import { RedisSession } from './session.js';
import { type RedisBrokerTable, redisBrokerSettings } from './settings.js';

/** A Redis server's vital signs. */
export interface RedisServerInfo {
  /** `redis_version`, e.g. `7.2.4`. */
  readonly version: string;
  /** `used_memory`, in bytes. */
  readonly memoryBytes: number;
  /** `instantaneous_ops_per_sec`. */
  readonly opsPerSec: number;
  /** `connected_clients`. */
  readonly clients: number;
  /** `uptime_in_seconds`. */
  readonly uptimeSeconds: number;
}

/** Reads {@link RedisServerInfo} over a connection of its own. */
export interface RedisInfoReader {
  read(): Promise<RedisServerInfo>;
  close(): Promise<void>;
}

/**
 * A reader of the Redis a broker table (`URI`, timeouts) points at. Needs `ioredis`.
 */
export function createRedisInfoReader(table: RedisBrokerTable): RedisInfoReader {
  const settings = redisBrokerSettings({ ...table, provider: 'redis' }, 'brokers.default');
  const session = new RedisSession(settings, 'broker monitor');
  return {
    async read() {
      const reply = await session.call({ command: 'INFO' }, []);
      return parseRedisInfo(String(reply));
    },
    close: () => session.close(),
  };
}

/** The fields of {@link RedisServerInfo} from an INFO reply (`key:value` lines). */
export function parseRedisInfo(reply: string): RedisServerInfo {
  const fields = new Map<string, string>();
  for (const line of reply.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields.set(line.slice(0, colon), line.slice(colon + 1));
  }
  const number = (key: string) => Number(fields.get(key) ?? 0) || 0;
  return {
    version: fields.get('redis_version') ?? 'unknown',
    memoryBytes: number('used_memory'),
    opsPerSec: number('instantaneous_ops_per_sec'),
    clients: number('connected_clients'),
    uptimeSeconds: number('uptime_in_seconds'),
  };
}
