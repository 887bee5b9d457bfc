/**
 * The Redis pub/sub broker (provider `redis_pubsub`): PUBLISH and SUBSCRIBE, nothing stored.
 * At-most-once: a payload reaches the subscribers listening when it is published, and no one else.
 */
import { IncorrectUsageError } from '../../core/errors.js';
import type {
  Broker,
  BrokerCapabilities,
  BrokerListener,
  BrokerPayload,
  JsonObject,
  SubscribeOptions,
  Unsubscribe,
} from '../../ports/broker.js';
import { connectOrFail, closeConnection, track, type TrackedConnection } from './connection.js';
import { translateError } from './errors.js';
import { decodeMessage, encodePayload } from './replies.js';
import { RedisSession } from './session.js';
import { type RedisBrokerTable, redisBrokerSettings } from './settings.js';

/** Subscriptions, and nothing of what needs storage (groups, acknowledgements, claiming). */
export const REDIS_PUBSUB_CAPABILITIES: BrokerCapabilities = Object.freeze({
  consumerGroups: false,
  persistence: false,
  acknowledgement: false,
  claiming: false,
  blockingReads: false,
  subscriptions: true,
});

/**
 * Creates the Redis pub/sub broker (provider `redis_pubsub`) from its `[brokers.<name>]` table
 * (`URI`, optionally `key_prefix`, put in front of every channel name). Needs `ioredis`.
 *
 * **At-most-once, no persistence.** `publish()` sends the payload to whoever is subscribed to the
 * stream at that moment: a payload published while nobody listens, or while a subscriber is
 * disconnected, is lost, and nothing is acknowledged or redelivered. There are no consumer
 * groups: every subscriber gets every payload, and the group methods, `streamLength()`,
 * `trim()`, `range()` and `remove()` throw an `IncorrectUsageError`. For at-least-once delivery
 * (the engine's stream subscriptions, the outbox), use `provider = "redis"` (Redis Streams).
 *
 * `publish()` resolves with an id made by this broker (`<ms>-<seq>`, increasing), for logs only:
 * Redis pub/sub has no message ids.
 *
 * @example
 * const broker = await createRedisPubSubBroker({ provider: 'redis_pubsub', URI: 'redis://127.0.0.1:6379/0' });
 * await broker.start();
 * const unsubscribe = await broker.subscribe!('prices', (payload) => console.log(payload));
 * await broker.publish('prices', { sku: 'A-1', price: 12 }); // listeners get { sku: 'A-1', price: 12 }
 * await unsubscribe();
 * await broker.close();
 */
export async function createRedisPubSubBroker(
  table: RedisBrokerTable,
  key = 'brokers.default',
): Promise<Broker> {
  const settings = redisBrokerSettings({ provider: 'redis_pubsub', ...table }, key);
  return new RedisPubSubBroker(new RedisSession(settings, 'redis_pubsub broker'));
}

interface Registration {
  readonly listener: BrokerListener;
  readonly onError: NonNullable<SubscribeOptions['onError']>;
}

/** One subscribed channel: its listeners, and the SUBSCRIBE they wait for. */
interface Channel {
  readonly stream: string;
  readonly listeners: Set<Registration>;
  readonly ready: Promise<unknown>;
}

class RedisPubSubBroker implements Broker {
  readonly provider = 'redis_pubsub';
  readonly capabilities = REDIS_PUBSUB_CAPABILITIES;
  readonly #session: RedisSession;
  /** The subscriber connection of the current start (a connection in subscriber mode). */
  #subscriber: Promise<TrackedConnection> | undefined;
  /** By channel (the prefixed stream name). */
  readonly #channels = new Map<string, Channel>();
  #lastMs = 0;
  #lastSeq = 0;

  constructor(session: RedisSession) {
    this.#session = session;
  }

  async start(): Promise<void> {
    await this.#session.start();
  }

  async close(): Promise<void> {
    this.#channels.clear();
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    const tracked = await subscriber?.catch(() => undefined);
    await Promise.all([tracked && closeConnection(tracked.connection), this.#session.close()]);
  }

  async ping(): Promise<void> {
    await this.#session.call({ command: 'PING' }, []);
  }

  async publish(stream: string, payload: BrokerPayload): Promise<string> {
    const json = encodePayload(stream, payload);
    await this.#session.call({ command: 'PUBLISH', stream }, [this.#session.key(stream), json]);
    return this.#nextId();
  }

  async subscribe(
    stream: string,
    listener: BrokerListener,
    options: SubscribeOptions = {},
  ): Promise<Unsubscribe> {
    const { connection } = await this.#subscriberConnection();
    const key = this.#session.key(stream);
    let channel = this.#channels.get(key);
    if (!channel) {
      channel = { stream, listeners: new Set(), ready: connection.subscribe(key) };
      this.#channels.set(key, channel);
    }
    const registration = { listener, onError: options.onError ?? warn };
    channel.listeners.add(registration);
    try {
      await channel.ready;
    } catch (error) {
      this.#remove(key, channel, registration);
      throw translateError(error, { uri: this.#session.uri, command: 'SUBSCRIBE', stream });
    }
    let active = true;
    return async () => {
      if (!active) return;
      active = false;
      // A closed connection has nothing left to unsubscribe from.
      if (this.#remove(key, channel, registration)) await connection.unsubscribe(key).catch(noop);
    };
  }

  async ensureGroup(): Promise<boolean> {
    throw needsStreams('ensureGroup', 'consumer groups');
  }

  async readGroup(): Promise<never> {
    throw needsStreams('readGroup', 'consumer groups');
  }

  async ack(): Promise<number> {
    throw needsStreams('ack', 'acknowledgements');
  }

  async pending(): Promise<never> {
    throw needsStreams('pending', 'pending entries');
  }

  async claim(): Promise<never> {
    throw needsStreams('claim', 'pending entries to claim');
  }

  async groupInfo(): Promise<never> {
    throw needsStreams('groupInfo', 'consumer groups');
  }

  async streamLength(): Promise<number> {
    throw needsStreams('streamLength', 'stored entries');
  }

  async trim(): Promise<number> {
    throw needsStreams('trim', 'stored entries');
  }

  async range(): Promise<never> {
    throw needsStreams('range', 'stored entries');
  }

  async remove(): Promise<number> {
    throw needsStreams('remove', 'stored entries');
  }

  /** Removes a listener; `true` when it was the channel's last one (the channel is gone). */
  #remove(key: string, channel: Channel, registration: Registration): boolean {
    channel.listeners.delete(registration);
    if (channel.listeners.size > 0 || this.#channels.get(key) !== channel) return false;
    this.#channels.delete(key);
    return true;
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
    const tracked = track(main.duplicate({ connectionName: `${this.#session.name}-subscriber` }));
    tracked.connection.on('message', (key: string, message: string) =>
      this.#dispatch(key, message),
    );
    await connectOrFail(tracked, this.#session.uri);
    return tracked;
  }

  #dispatch(key: string, message: string): void {
    const channel = this.#channels.get(key);
    for (const registration of channel?.listeners ?? []) {
      deliver(registration, decodeMessage(message), channel!.stream);
    }
  }

  /** `<ms>-<seq>`, increasing even when the clock stands still or goes back. */
  #nextId(): string {
    const now = Date.now();
    if (now > this.#lastMs) [this.#lastMs, this.#lastSeq] = [now, 0];
    else this.#lastSeq += 1;
    return `${this.#lastMs}-${this.#lastSeq}`;
  }
}

/** Calls the listener; its failure (thrown or rejected) goes to its `onError`. */
function deliver({ listener, onError }: Registration, payload: JsonObject, stream: string): void {
  const fail = (error: unknown) => {
    try {
      onError(error, payload, stream);
    } catch (failure) {
      warn(failure, payload, stream);
    }
  };
  try {
    const result = listener(payload, stream);
    if (result instanceof Promise) result.catch(fail);
  } catch (error) {
    fail(error);
  }
}

function warn(error: unknown, _payload: JsonObject, stream: string): void {
  const reason = error instanceof Error ? error.message : String(error);
  process.emitWarning(`a listener of '${stream}' failed and its payload is dropped: ${reason}`, {
    code: 'PROTEAN_LISTENER_FAILED',
  });
}

function needsStreams(method: string, what: string): IncorrectUsageError {
  return new IncorrectUsageError(
    `the redis_pubsub broker has no ${what}: ${method}() needs Redis Streams. Set ` +
      'provider = "redis" in the [brokers.<name>] table of domain.toml for consumer groups, ' +
      'acknowledgements and stored entries, or use subscribe() for at-most-once delivery.',
  );
}

function noop(): void {}
