/**
 * The Redis Streams broker (provider `redis`): each port call maps onto one Redis command (XADD,
 * XGROUP CREATE ... MKSTREAM, XREADGROUP, XACK, XPENDING, XAUTOCLAIM, XLEN, XINFO GROUPS, XTRIM,
 * XRANGE, XDEL), with the semantics the inline broker reproduces in memory.
 */
import type {
  Broker,
  BrokerCapabilities,
  BrokerEntry,
  BrokerPayload,
  ClaimOptions,
  ClaimResult,
  GroupInfo,
  PendingEntry,
  PendingOptions,
  RangeOptions,
  ReadGroupOptions,
  StreamEntry,
} from '../../ports/broker.js';
import { rangeBound } from '../../ports/checks/broker.js';
import { type BlockingReader, BlockingReads } from './blocking.js';
import { translateError } from './errors.js';
import {
  decodeFields,
  encodePayload,
  entryId,
  nonNegative,
  parseClaimReply,
  parseEntries,
  parseGroupsReply,
  parsePendingReply,
  parseReadReply,
  PAYLOAD_FIELD,
  positiveInteger,
  type RawEntry,
} from './replies.js';
import { type RedisBrokerTable, redisBrokerSettings } from './settings.js';
import { type Context, RedisSession } from './session.js';

/** Everything the port describes but `subscriptions` (that is pub/sub's). */
export const REDIS_BROKER_CAPABILITIES: BrokerCapabilities = Object.freeze({
  consumerGroups: true,
  persistence: true,
  acknowledgement: true,
  claiming: true,
  blockingReads: true,
});

/**
 * Creates the Redis Streams broker (provider `redis`) from its `[brokers.<name>]` table: `URI`,
 * and optionally `key_prefix` and the timeouts of {@link RedisBrokerSettings}. Needs `ioredis`,
 * loaded when the broker starts. `key` names the table in configuration errors.
 *
 * Payloads are stored as one field, `payload`, holding their JSON. An entry written by another
 * producer (other fields, or a `payload` that is not a JSON object) is read as its fields, as
 * strings, e.g. `{ payload: 'not json' }`: a subscription expecting an envelope dead-letters it.
 *
 * A Redis that cannot be reached fails `start()` (and later commands) with a
 * `BrokerUnavailableError` naming the URI without its password. Blocking reads run on
 * connections of their own under a watchdog (`blockMs` + `watchdog_grace_ms`).
 *
 * @example
 * const broker = await createRedisBroker({ provider: 'redis', URI: 'redis://127.0.0.1:6379/0' });
 * await broker.start();
 * await broker.ensureGroup('bookshelf::book', 'BookProjector');
 * await broker.publish('bookshelf::book', { hello: 'world' });
 * const entries = await broker.readGroup('bookshelf::book', 'BookProjector', 'worker-1', {
 *   blockMs: 1_000,
 * });
 * await broker.close();
 */
export async function createRedisBroker(
  table: RedisBrokerTable,
  key = 'brokers.default',
): Promise<Broker> {
  return new RedisStreamsBroker(new RedisSession(redisBrokerSettings(table, key), 'redis broker'));
}

class RedisStreamsBroker implements Broker {
  readonly provider = 'redis';
  readonly capabilities = REDIS_BROKER_CAPABILITIES;
  readonly #session: RedisSession;
  /** The blocking connections of the current start; replaced on each start. */
  #blocking: BlockingReads | undefined;

  constructor(session: RedisSession) {
    this.#session = session;
  }

  async start(): Promise<void> {
    await this.#session.start();
  }

  async close(): Promise<void> {
    const blocking = this.#blocking;
    this.#blocking = undefined;
    await Promise.all([blocking?.close(), this.#session.close()]);
  }

  async ping(): Promise<void> {
    await this.#run({ command: 'PING' }, []);
  }

  async publish(stream: string, payload: BrokerPayload): Promise<string> {
    const json = encodePayload(stream, payload);
    const key = this.#session.key(stream);
    return String(await this.#run({ command: 'XADD', stream }, [key, '*', PAYLOAD_FIELD, json]));
  }

  async ensureGroup(stream: string, group: string): Promise<boolean> {
    const args = ['CREATE', this.#session.key(stream), group, '0', 'MKSTREAM'];
    try {
      await this.#run({ command: 'XGROUP', stream, group }, args);
      return true;
    } catch (error) {
      if (error instanceof Error && error.message.startsWith('BUSYGROUP')) return false;
      throw error;
    }
  }

  async readGroup(
    stream: string,
    group: string,
    consumer: string,
    options: ReadGroupOptions = {},
  ): Promise<BrokerEntry[]> {
    const count = positiveInteger('count', options.count ?? 10);
    const blockMs = nonNegative('blockMs', options.blockMs ?? 0);
    if (options.pending) return this.#readOwnPending(stream, group, consumer, count);
    const block = Math.ceil(blockMs);
    const args = ['GROUP', group, consumer, 'COUNT', count];
    if (block > 0) args.push('BLOCK', block);
    args.push('STREAMS', this.#session.key(stream), '>');
    const context = { command: 'XREADGROUP', stream, group };
    const reply =
      block > 0
        ? await this.#blockingRead({ ...context, consumer }, args, block)
        : await this.#run(context, args);
    return parseReadReply(reply).map((entry) => toEntry(entry, 1));
  }

  async ack(stream: string, group: string, ids: readonly string[]): Promise<number> {
    if (ids.length === 0) return 0;
    const args = [this.#session.key(stream), group, ...ids];
    return Number(await this.#run({ command: 'XACK', stream, group }, args));
  }

  async pending(
    stream: string,
    group: string,
    options: PendingOptions = {},
  ): Promise<PendingEntry[]> {
    const count = positiveInteger('count', options.count ?? 100);
    const args = [this.#session.key(stream), group, '-', '+', count];
    if (options.consumer !== undefined) args.push(options.consumer);
    return parsePendingReply(await this.#run({ command: 'XPENDING', stream, group }, args));
  }

  /**
   * XAUTOCLAIM, and in the same MULTI the claimer's pending entries from the cursor, for the
   * delivery counters XAUTOCLAIM does not return. Its scan covers at most 10 x count pending
   * entries from the cursor, so the claimer's first 10 x count entries from there include them.
   */
  async claim(
    stream: string,
    group: string,
    consumer: string,
    options: ClaimOptions,
  ): Promise<ClaimResult> {
    const minIdleMs = Math.ceil(nonNegative('minIdleMs', options.minIdleMs));
    const count = positiveInteger('count', options.count ?? 100);
    const cursor = entryId('cursor', options.cursor ?? '0-0');
    const key = this.#session.key(stream);
    const [claimReply, pendingReply] = await this.#session.multi(
      { command: 'XAUTOCLAIM', stream, group },
      [
        ['XAUTOCLAIM', key, group, consumer, minIdleMs, cursor, 'COUNT', count],
        ['XPENDING', key, group, cursor, '+', count * 10, consumer],
      ],
    );
    const { nextCursor, entries, deleted } = parseClaimReply(claimReply);
    const deliveries = deliveryCounts(pendingReply);
    return {
      nextCursor,
      entries: entries.map((entry) => toEntry(entry, deliveries.get(entry.id) ?? 1)),
      deleted,
    };
  }

  async streamLength(stream: string): Promise<number> {
    return Number(await this.#run({ command: 'XLEN', stream }, [this.#session.key(stream)]));
  }

  async groupInfo(stream: string): Promise<GroupInfo[]> {
    try {
      const args = ['GROUPS', this.#session.key(stream)];
      return parseGroupsReply(await this.#run({ command: 'XINFO', stream }, args));
    } catch (error) {
      if (error instanceof Error && /^ERR no such key/.test(error.message)) return [];
      throw error;
    }
  }

  async trim(stream: string, options: { maxLength: number }): Promise<number> {
    const maxLength = nonNegative('maxLength', options.maxLength, true);
    const args = [this.#session.key(stream), 'MAXLEN', '=', maxLength];
    return Number(await this.#run({ command: 'XTRIM', stream }, args));
  }

  async range(stream: string, options: RangeOptions = {}): Promise<StreamEntry[]> {
    const start = rangeBound('start', options.start ?? '-');
    const end = rangeBound('end', options.end ?? '+');
    const count = positiveInteger('count', options.count ?? 100);
    const args = [this.#session.key(stream), start, end, 'COUNT', count];
    const reply = await this.#run({ command: 'XRANGE', stream }, args);
    return parseEntries(reply).map(({ id, fields }) => ({
      id,
      payload: decodeFields(fields) ?? {},
    }));
  }

  async remove(stream: string, ids: readonly string[]): Promise<number> {
    for (const id of ids) entryId('id', id);
    if (ids.length === 0) return 0;
    const args = [this.#session.key(stream), ...ids];
    return Number(await this.#run({ command: 'XDEL', stream }, args));
  }

  /** XREADGROUP id `0` and, in the same MULTI, XPENDING for the entries' delivery counters. */
  async #readOwnPending(
    stream: string,
    group: string,
    consumer: string,
    count: number,
  ): Promise<BrokerEntry[]> {
    const key = this.#session.key(stream);
    const [readReply, pendingReply] = await this.#session.multi(
      { command: 'XREADGROUP', stream, group },
      [
        ['XREADGROUP', 'GROUP', group, consumer, 'COUNT', count, 'STREAMS', key, '0'],
        ['XPENDING', key, group, '-', '+', count, consumer],
      ],
    );
    const deliveries = deliveryCounts(pendingReply);
    return parseReadReply(readReply).map((entry) => toEntry(entry, deliveries.get(entry.id) ?? 1));
  }

  /** XREADGROUP ... BLOCK on a connection of its own, under the watchdog. */
  async #blockingRead(
    reader: Context & BlockingReader,
    args: (string | number)[],
    blockMs: number,
  ): Promise<unknown> {
    const main = await this.#session.connection(reader.command);
    this.#blocking ??= new BlockingReads(main, {
      uri: this.#session.uri,
      graceMs: this.#session.settings.watchdog_grace_ms,
      name: this.#session.name,
    });
    try {
      return await this.#blocking.read(args, blockMs, reader);
    } catch (error) {
      throw translateError(error, { ...reader, uri: this.#session.uri });
    }
  }

  #run(context: Context, args: (string | number)[]): Promise<unknown> {
    return this.#session.call(context, args);
  }
}

function toEntry(entry: RawEntry, deliveries: number): BrokerEntry {
  return { id: entry.id, payload: decodeFields(entry.fields), deliveries };
}

function deliveryCounts(pendingReply: unknown): Map<string, number> {
  return new Map(parsePendingReply(pendingReply).map(({ id, deliveries }) => [id, deliveries]));
}
