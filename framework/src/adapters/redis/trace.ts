/**
 * The Redis trace channel: trace events over Redis pub/sub, between the engines that emit them
 * and the observatories that listen, in other processes. At most once, like every pub/sub
 * payload; nothing is stored.
 */
import type { TraceChannel, TraceEvent, TraceListener } from '../../ports/trace.js';
import { closeConnection, connectOrFail, track, type TrackedConnection } from './connection.js';
import { RedisSession } from './session.js';
import { type RedisBrokerTable, redisBrokerSettings } from './settings.js';

/** Options of {@link createRedisTraceChannel}. */
export interface RedisTraceChannelOptions {
  /** The channel, without the key prefix (which the table's `key_prefix` adds). */
  readonly channel: string;
  /**
   * How often the emitter asks Redis whether anyone subscribes (`PUBSUB NUMSUB`): a new listener
   * receives events at most this long after it subscribed. @defaultValue 1000
   */
  readonly watchMs?: number;
}

/**
 * Creates a trace channel on the Redis of a broker table (`URI`, `key_prefix`, timeouts), on the
 * channel `<key_prefix><channel>`. Needs `ioredis`.
 *
 * `hasListeners()` answers from what Redis last said about the channel's subscribers (asked every
 * `watchMs`, and told by each PUBLISH), so an engine with no observatory attached publishes
 * nothing at all. A publication that fails is dropped, and the channel counts as unheard until
 * Redis answers again.
 */
export function createRedisTraceChannel(
  table: RedisBrokerTable,
  options: RedisTraceChannelOptions,
): TraceChannel {
  const settings = redisBrokerSettings({ ...table, provider: 'redis_pubsub' }, 'brokers.default');
  return new RedisTraceChannel(new RedisSession(settings, 'trace channel'), options);
}

class RedisTraceChannel implements TraceChannel {
  readonly kind = 'redis';
  readonly #session: RedisSession;
  readonly #key: string;
  readonly #watchMs: number;
  readonly #listeners = new Set<TraceListener>();
  #subscribers = 0;
  #timer: NodeJS.Timeout | undefined;
  #subscriber: Promise<TrackedConnection> | undefined;
  #closed = false;

  constructor(session: RedisSession, options: RedisTraceChannelOptions) {
    this.#session = session;
    this.#key = session.key(options.channel);
    this.#watchMs = options.watchMs ?? 1_000;
  }

  /** Starts watching for subscribers; never fails (an unreachable Redis means nobody listens). */
  async start(): Promise<void> {
    this.#closed = false;
    if (this.#timer) return;
    this.#timer = setInterval(() => void this.#watch(), this.#watchMs).unref();
    await this.#watch();
  }

  hasListeners(): boolean {
    return this.#subscribers > 0;
  }

  emit(event: TraceEvent): void {
    if (this.#closed) return;
    this.#session.call({ command: 'PUBLISH' }, [this.#key, JSON.stringify(event)]).then(
      (receivers) => (this.#subscribers = Number(receivers)),
      () => (this.#subscribers = 0),
    );
  }

  async subscribe(listener: TraceListener): Promise<() => Promise<void>> {
    const registration: TraceListener = (event) => listener(event);
    this.#listeners.add(registration);
    try {
      await this.#subscriberConnection();
    } catch (error) {
      this.#listeners.delete(registration);
      throw error;
    }
    this.#subscribers = Math.max(this.#subscribers, 1);
    return async () => void this.#listeners.delete(registration);
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#listeners.clear();
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    const tracked = await subscriber?.catch(() => undefined);
    await Promise.all([tracked && closeConnection(tracked.connection), this.#session.close()]);
  }

  async #watch(): Promise<void> {
    try {
      const reply = await this.#session.call({ command: 'PUBSUB' }, ['NUMSUB', this.#key]);
      this.#subscribers = Number((reply as unknown[])[1] ?? 0);
    } catch {
      this.#subscribers = 0;
    }
  }

  #subscriberConnection(): Promise<TrackedConnection> {
    this.#subscriber ??= this.#openSubscriber().catch((error: unknown) => {
      this.#subscriber = undefined;
      throw error;
    });
    return this.#subscriber;
  }

  async #openSubscriber(): Promise<TrackedConnection> {
    const main = await this.#session.connection('SUBSCRIBE');
    const name = `${this.#session.name}-trace`;
    const tracked = track(main.duplicate({ connectionName: name }));
    tracked.connection.on('message', (_key: string, message: string) => this.#dispatch(message));
    await connectOrFail(tracked, this.#session.uri);
    await tracked.connection.subscribe(this.#key);
    return tracked;
  }

  #dispatch(message: string): void {
    let event: TraceEvent;
    try {
      event = JSON.parse(message) as TraceEvent;
    } catch {
      return;
    }
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // Best effort: a failing listener loses this event, nothing else.
      }
    }
  }
}
