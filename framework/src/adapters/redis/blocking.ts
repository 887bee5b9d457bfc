/**
 * Blocking reads (XREADGROUP ... BLOCK) of the Redis Streams broker. Each one runs on a connection
 * of its own, so that it never delays the broker's other commands, and under a client-side
 * watchdog, so that a connection that silently died (or a Redis that stopped answering) cannot
 * hang the consumer: past `blockMs` + grace the connection is dropped and the read fails.
 */
import {
  closeConnection,
  connectOrFail,
  track,
  type Connection,
  type TrackedConnection,
} from './connection.js';
import { BrokerUnavailableError } from '../../ports/broker.js';

/** Who is reading, to name it when the watchdog fires. */
export interface BlockingReader {
  readonly stream: string;
  readonly group: string;
  readonly consumer: string;
}

/**
 * The blocking connections of one broker start: idle ones are reused, a read takes one for
 * itself (opening another when all are busy). Closing it wakes every blocked read with `null`.
 */
export class BlockingReads {
  readonly #main: Connection;
  readonly #uri: string;
  readonly #graceMs: number;
  readonly #name: string;
  readonly #idle: TrackedConnection[] = [];
  readonly #busy = new Set<Connection>();
  #closed = false;

  constructor(main: Connection, options: { uri: string; graceMs: number; name: string }) {
    this.#main = main;
    this.#uri = options.uri;
    this.#graceMs = options.graceMs;
    this.#name = options.name;
  }

  /**
   * Sends `XREADGROUP <args>` (which must include `BLOCK blockMs`) on a connection of its own and
   * resolves with Redis's reply (`null` when nothing arrived in time), or with `null` when
   * {@link close} is called meanwhile. Rejects with a `BrokerUnavailableError` when no reply came
   * within `blockMs` + grace; Redis errors (NOGROUP ...) are passed on for the caller to translate.
   */
  async read(
    args: readonly (string | number)[],
    blockMs: number,
    reader: BlockingReader,
  ): Promise<unknown> {
    const tracked = this.#acquire();
    let timer: NodeJS.Timeout | undefined;
    const watchdog = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        tracked.connection.disconnect();
        reject(this.#abandoned(blockMs, reader));
      }, blockMs + this.#graceMs);
    });
    try {
      const reply = await Promise.race([this.#send(tracked, args), watchdog]);
      this.#release(tracked);
      return reply;
    } catch (error) {
      this.#busy.delete(tracked.connection);
      tracked.connection.disconnect();
      if (this.#closed) return null;
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Drops the busy connections (their reads resolve with `null`) and quits the idle ones. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const connection of this.#busy) connection.disconnect();
    this.#busy.clear();
    const idle = this.#idle.splice(0);
    await Promise.all(idle.map(({ connection }) => closeConnection(connection)));
  }

  /** An idle connection still usable, or a new one (not connected yet). */
  #acquire(): TrackedConnection {
    let tracked = this.#idle.pop();
    while (tracked && !['ready', 'wait'].includes(tracked.connection.status)) {
      tracked.connection.disconnect();
      tracked = this.#idle.pop();
    }
    tracked ??= track(
      this.#main.duplicate({
        connectionName: `${this.#name}-blocking`,
        lazyConnect: true,
        commandTimeout: undefined,
        // A dropped blocking connection is replaced, not reconnected and its read resent: the
        // watchdog and the caller's next read take care of it.
        maxRetriesPerRequest: 0,
        retryStrategy: () => null,
        autoResendUnfulfilledCommands: false,
        // Redis does not close a blocked client's socket on our FIN: destroy it at once rather
        // than after ioredis's default 2 s, which would hold the process after close().
        disconnectTimeout: 0,
      }),
    );
    this.#busy.add(tracked.connection);
    return tracked;
  }

  async #send(tracked: TrackedConnection, args: readonly (string | number)[]): Promise<unknown> {
    if (tracked.connection.status === 'wait') await connectOrFail(tracked, this.#uri);
    return tracked.connection.call('XREADGROUP', ...args);
  }

  #release(tracked: TrackedConnection): void {
    this.#busy.delete(tracked.connection);
    if (this.#closed) tracked.connection.disconnect();
    else this.#idle.push(tracked);
  }

  #abandoned(blockMs: number, reader: BlockingReader): BrokerUnavailableError {
    const limit = blockMs + this.#graceMs;
    return new BrokerUnavailableError(
      this.#uri,
      `Redis at ${this.#uri} did not answer a blocking XREADGROUP on '${reader.stream}' ` +
        `(group '${reader.group}', consumer '${reader.consumer}') within ${limit} ms ` +
        `(BLOCK ${blockMs} ms + ${this.#graceMs} ms grace): the connection was dropped and the ` +
        'next read opens a new one. Entries Redis may have delivered meanwhile stay pending for ' +
        'this consumer: read them with pending: true, or let claim() move them. Check that ' +
        'Redis is up and not paused or overloaded.',
    );
  }
}
