/**
 * The main connection of a Redis broker and its lifecycle: opened by `start()` (or the first
 * command), refused after `close()`, reopened by the next `start()`. Commands go through it with
 * their errors translated into the port's.
 */
import { IncorrectUsageError } from '../../core/errors.js';
import {
  closeConnection,
  connectOrFail,
  loadIoredis,
  mainOptions,
  track,
  type Connection,
  type TrackedConnection,
} from './connection.js';
import { type CommandContext, translateError } from './errors.js';
import { redactRedisUri, type RedisBrokerSettings } from './settings.js';

/** A command and its arguments, e.g. `['XLEN', 'orders']`. */
export type CommandLine = readonly [string, ...(string | number)[]];

/** A command's context without the URI, which the session adds. */
export type Context = Omit<CommandContext, 'uri'>;

/** One broker's main connection. */
export class RedisSession {
  readonly settings: RedisBrokerSettings;
  /** The URI without its password, for messages. */
  readonly uri: string;
  /** The connection name Redis shows in CLIENT LIST. */
  readonly name: string;
  /** Who uses the connection, e.g. `redis broker`, for messages. */
  readonly #user: string;
  #opening: Promise<TrackedConnection> | undefined;
  #closed = false;

  constructor(settings: RedisBrokerSettings, user: string) {
    this.settings = settings;
    this.uri = redactRedisUri(settings.URI);
    this.name = `protean-ts:${settings.provider}`;
    this.#user = user;
  }

  /** The Redis key of `stream`: the key prefix, then the stream's name. */
  key(stream: string): string {
    return `${this.settings.key_prefix}${stream}`;
  }

  /** Connects (idempotent), or throws a `BrokerUnavailableError`; undoes an earlier `close()`. */
  async start(): Promise<void> {
    this.#closed = false;
    await this.#open();
  }

  /** Ends the main connection (QUIT, then disconnect). Idempotent. */
  async close(): Promise<void> {
    this.#closed = true;
    const opening = this.#opening;
    this.#opening = undefined;
    const tracked = await opening?.catch(() => undefined);
    if (tracked) await closeConnection(tracked.connection);
  }

  /** The main connection, connected; refused after `close()`. */
  async connection(command: string): Promise<Connection> {
    if (this.#closed) {
      throw new IncorrectUsageError(
        `the ${this.#user} is closed: ${command} was called after close(); call start() first.`,
      );
    }
    return (await this.#open()).connection;
  }

  /** Sends one command; its error comes back translated (NoGroupError, BrokerUnavailableError). */
  async call(context: Context, args: readonly (string | number)[]): Promise<unknown> {
    const connection = await this.connection(context.command);
    try {
      return await connection.call(context.command, ...args);
    } catch (error) {
      throw translateError(error, { ...context, uri: this.uri });
    }
  }

  /** Sends `commands` in one MULTI/EXEC (one round trip, nothing interleaved); their replies. */
  async multi(context: Context, commands: readonly CommandLine[]): Promise<unknown[]> {
    const connection = await this.connection(context.command);
    const transaction = connection.multi();
    for (const [command, ...args] of commands) transaction.call(command, ...args);
    try {
      const results = (await transaction.exec()) ?? [];
      return results.map(([error, reply]) => {
        if (error) throw error;
        return reply;
      });
    } catch (error) {
      throw translateError(error, { ...context, uri: this.uri });
    }
  }

  #open(): Promise<TrackedConnection> {
    this.#opening ??= this.#connect().catch((error: unknown) => {
      this.#opening = undefined;
      throw error;
    });
    return this.#opening;
  }

  async #connect(): Promise<TrackedConnection> {
    const { Redis } = await loadIoredis(`the ${this.#user}`);
    const tracked = track(new Redis(this.settings.URI, mainOptions(this.settings, this.name)));
    await connectOrFail(tracked, this.uri);
    return tracked;
  }
}
