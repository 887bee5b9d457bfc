/**
 * The inline broker: Redis Streams semantics inside the process (entry ids, consumer groups,
 * pending entries lists with delivery counters and idle times, claiming, blocking reads, ranges
 * and deletes), so every flow, the engine included, runs in one process with no services, and
 * behaves as it will on Redis.
 */
import { IncorrectUsageError } from '../../core/errors.js';
import { encodePayload, entryId, nonNegative, positiveInteger } from '../../ports/checks/broker.js';
import {
  compareEntryIds,
  NoGroupError,
  type Broker,
  type BrokerCapabilities,
  type BrokerEntry,
  type BrokerPayload,
  type ClaimOptions,
  type ClaimResult,
  type GroupInfo,
  type JsonObject,
  type PendingEntry,
  type PendingOptions,
  type RangeOptions,
  type ReadGroupOptions,
  type StreamEntry,
} from '../../ports/broker.js';
import { selectRange } from './broker-range.js';

/** Options of {@link createInlineBroker}. */
export interface InlineBrokerOptions {
  /**
   * The clock of entry ids and idle times, in epoch milliseconds. Tests pass a fake one to make
   * entries idle without sleeping; blocking reads still wait in real time. @defaultValue Date.now
   */
  now?: () => number;
}

/** Everything the port describes: the inline broker is the reference for the others. */
export const INLINE_BROKER_CAPABILITIES: BrokerCapabilities = Object.freeze({
  consumerGroups: true,
  persistence: true,
  acknowledgement: true,
  claiming: true,
  blockingReads: true,
});

/** Payloads are stored as JSON text, as on Redis: copies in and out, and the same conversions. */
interface StoredEntry {
  readonly id: string;
  readonly json: string;
}

interface Delivery {
  consumer: string;
  deliveries: number;
  deliveredAt: number;
}

interface GroupState {
  lastDeliveredId: string;
  /** Insertion order is id order: only reads of new entries add, and they go forward. */
  readonly pending: Map<string, Delivery>;
  readonly consumers: Set<string>;
}

/** One read or claim by `consumer` of a group, at `now`. */
interface GroupCall {
  readonly state: StreamState;
  readonly group: GroupState;
  readonly consumer: string;
  readonly count: number;
  readonly now: number;
}

interface StreamState {
  /** In id order; trimming drops from the front. */
  entries: StoredEntry[];
  readonly byId: Map<string, StoredEntry>;
  readonly groups: Map<string, GroupState>;
  lastMs: number;
  lastSeq: number;
}

/**
 * Creates the embedded broker (provider `inline`). Entries live in the process and are lost with
 * it; the outbox and the event store are the record of truth, as they are with Redis.
 *
 * @example
 * const broker = createInlineBroker();
 * await broker.start();
 * await broker.ensureGroup('bookshelf::book', 'BookProjector');
 * await broker.publish('bookshelf::book', { hello: 'world' });
 * const entries = await broker.readGroup('bookshelf::book', 'BookProjector', 'worker-1');
 */
export function createInlineBroker(options: InlineBrokerOptions = {}): Broker {
  return new InlineBroker(options.now ?? Date.now);
}

class InlineBroker implements Broker {
  readonly provider = 'inline';
  readonly capabilities = INLINE_BROKER_CAPABILITIES;
  readonly #now: () => number;
  readonly #streams = new Map<string, StreamState>();
  /** Blocked reads by stream: each function wakes one up. */
  readonly #waiters = new Map<string, Set<() => void>>();
  #closed = false;

  constructor(now: () => number) {
    this.#now = now;
  }

  async start(): Promise<void> {
    this.#closed = false;
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const stream of [...this.#waiters.keys()]) this.#wake(stream);
  }

  async ping(): Promise<void> {
    this.#assertOpen('ping');
  }

  async publish(stream: string, payload: BrokerPayload): Promise<string> {
    this.#assertOpen('publish');
    const json = encodePayload(stream, payload);
    const state = this.#stream(stream);
    const entry = { id: nextId(state, this.#now()), json };
    state.entries.push(entry);
    state.byId.set(entry.id, entry);
    this.#wake(stream);
    return entry.id;
  }

  async ensureGroup(stream: string, group: string): Promise<boolean> {
    this.#assertOpen('ensureGroup');
    const { groups } = this.#stream(stream);
    if (groups.has(group)) return false;
    groups.set(group, { lastDeliveredId: '0-0', pending: new Map(), consumers: new Set() });
    return true;
  }

  async readGroup(
    stream: string,
    group: string,
    consumer: string,
    options: ReadGroupOptions = {},
  ): Promise<BrokerEntry[]> {
    this.#assertOpen('readGroup');
    const count = positiveInteger('count', options.count ?? 10);
    const blockMs = nonNegative('blockMs', options.blockMs ?? 0);
    const call = () => this.#call(stream, group, consumer, count);
    if (options.pending) return deliverOwnPending(call());
    const deadline = Date.now() + blockMs;
    for (;;) {
      const entries = deliverNew(call());
      const remaining = deadline - Date.now();
      if (entries.length > 0 || remaining <= 0) return entries;
      await this.#waitForEntry(stream, remaining);
      if (this.#closed) return [];
    }
  }

  async ack(stream: string, group: string, ids: readonly string[]): Promise<number> {
    this.#assertOpen('ack');
    const groupState = this.#streams.get(stream)?.groups.get(group);
    return ids.filter((id) => groupState?.pending.delete(id)).length;
  }

  async pending(
    stream: string,
    group: string,
    options: PendingOptions = {},
  ): Promise<PendingEntry[]> {
    this.#assertOpen('pending');
    const count = positiveInteger('count', options.count ?? 100);
    const [, groupState] = this.#group(stream, group);
    const now = this.#now();
    const result: PendingEntry[] = [];
    for (const [id, { consumer, deliveries, deliveredAt }] of groupState.pending) {
      if (result.length >= count) break;
      if (options.consumer !== undefined && consumer !== options.consumer) continue;
      result.push({ id, consumer, idleMs: Math.max(0, now - deliveredAt), deliveries });
    }
    return result;
  }

  async claim(
    stream: string,
    group: string,
    consumer: string,
    options: ClaimOptions,
  ): Promise<ClaimResult> {
    this.#assertOpen('claim');
    const minIdleMs = nonNegative('minIdleMs', options.minIdleMs);
    const count = positiveInteger('count', options.count ?? 100);
    const cursor = entryId('cursor', options.cursor ?? '0-0');
    return autoClaim(this.#call(stream, group, consumer, count), minIdleMs, cursor);
  }

  async streamLength(stream: string): Promise<number> {
    this.#assertOpen('streamLength');
    return this.#streams.get(stream)?.entries.length ?? 0;
  }

  async groupInfo(stream: string): Promise<GroupInfo[]> {
    this.#assertOpen('groupInfo');
    const state = this.#streams.get(stream);
    if (!state) return [];
    return [...state.groups].map(([name, groupState]) => ({
      name,
      consumers: groupState.consumers.size,
      pending: groupState.pending.size,
      lastDeliveredId: groupState.lastDeliveredId,
      lag: state.entries.length - firstAfter(state.entries, groupState.lastDeliveredId),
    }));
  }

  async trim(stream: string, options: { maxLength: number }): Promise<number> {
    this.#assertOpen('trim');
    const maxLength = nonNegative('maxLength', options.maxLength, true);
    const state = this.#streams.get(stream);
    if (!state || state.entries.length <= maxLength) return 0;
    const dropped = state.entries.slice(0, state.entries.length - maxLength);
    state.entries = state.entries.slice(dropped.length);
    for (const { id } of dropped) state.byId.delete(id);
    return dropped.length;
  }

  async range(stream: string, options: RangeOptions = {}): Promise<StreamEntry[]> {
    this.#assertOpen('range');
    const selected = selectRange(this.#streams.get(stream)?.entries ?? [], options);
    return selected.map(({ id, json }) => ({ id, payload: JSON.parse(json) as JsonObject }));
  }

  async remove(stream: string, ids: readonly string[]): Promise<number> {
    this.#assertOpen('remove');
    for (const id of ids) entryId('id', id);
    const state = this.#streams.get(stream);
    const gone = new Set(ids.filter((id) => state?.byId.delete(id)));
    if (state && gone.size > 0) state.entries = state.entries.filter(({ id }) => !gone.has(id));
    return gone.size;
  }

  #assertOpen(method: string): void {
    if (this.#closed) {
      throw new IncorrectUsageError(
        `the inline broker is closed: ${method}() was called after close(); call start() first.`,
      );
    }
  }

  /** The stream's state, created empty when missing (XADD and MKSTREAM do the same). */
  #stream(stream: string): StreamState {
    let state = this.#streams.get(stream);
    if (!state) {
      state = { entries: [], byId: new Map(), groups: new Map(), lastMs: 0, lastSeq: 0 };
      this.#streams.set(stream, state);
    }
    return state;
  }

  #group(stream: string, group: string): [StreamState, GroupState] {
    const state = this.#streams.get(stream);
    const groupState = state?.groups.get(group);
    if (!state || !groupState) throw new NoGroupError(stream, group);
    return [state, groupState];
  }

  /** A read or claim by `consumer`, who thereby joins the group (as in Redis). */
  #call(stream: string, group: string, consumer: string, count: number): GroupCall {
    const [state, groupState] = this.#group(stream, group);
    groupState.consumers.add(consumer);
    return { state, group: groupState, consumer, count, now: this.#now() };
  }

  /** Resolves on the next publish to `stream`, after `ms`, or on close(), whichever comes first. */
  #waitForEntry(stream: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const waiters = this.#waiters.get(stream) ?? new Set();
      this.#waiters.set(stream, waiters);
      const wake = () => {
        clearTimeout(timer);
        waiters.delete(wake);
        if (waiters.size === 0 && this.#waiters.get(stream) === waiters)
          this.#waiters.delete(stream);
        resolve();
      };
      // Not unref'd: a consumer waiting for work is what keeps an engine alive; close() clears it.
      const timer = setTimeout(wake, ms);
      waiters.add(wake);
    });
  }

  #wake(stream: string): void {
    for (const wake of [...(this.#waiters.get(stream) ?? [])]) wake();
  }
}

function toEntry(entry: StoredEntry, deliveries: number): BrokerEntry {
  return { id: entry.id, payload: JSON.parse(entry.json) as JsonObject, deliveries };
}

/** `<ms>-<seq>`, increasing even when the clock stands still or goes back (as Redis does). */
function nextId(state: StreamState, now: number): string {
  if (now > state.lastMs) {
    state.lastMs = now;
    state.lastSeq = 0;
  } else {
    state.lastSeq += 1;
  }
  return `${state.lastMs}-${state.lastSeq}`;
}

/** Index of the first entry whose id is greater than `id` (binary search). */
function firstAfter(entries: readonly StoredEntry[], id: string): number {
  let low = 0;
  let high = entries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareEntryIds(entries[middle]!.id, id) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** XREADGROUP `>`: entries after the group's last delivered id become pending for `consumer`. */
function deliverNew({ state, group, consumer, count, now }: GroupCall): BrokerEntry[] {
  const start = firstAfter(state.entries, group.lastDeliveredId);
  const batch = state.entries.slice(start, start + count);
  for (const { id } of batch) group.pending.set(id, { consumer, deliveries: 1, deliveredAt: now });
  group.lastDeliveredId = batch.at(-1)?.id ?? group.lastDeliveredId;
  return batch.map((entry) => toEntry(entry, 1));
}

/** XREADGROUP `0`: own pending entries, each delivered once more (nil when trimmed away). */
function deliverOwnPending({ state, group, consumer, count, now }: GroupCall): BrokerEntry[] {
  const result: BrokerEntry[] = [];
  for (const [id, delivery] of group.pending) {
    if (result.length >= count) break;
    if (delivery.consumer !== consumer) continue;
    const entry = state.byId.get(id);
    if (!entry) {
      result.push({ id, payload: null, deliveries: delivery.deliveries });
      continue;
    }
    delivery.deliveries += 1;
    delivery.deliveredAt = now;
    result.push(toEntry(entry, delivery.deliveries));
  }
  return result;
}

/**
 * XAUTOCLAIM: scans the pending list from `cursor` (at most 10 x `count` entries, as Redis does);
 * trimmed entries leave the list and count as deleted, idle ones move to `consumer`.
 */
function autoClaim(call: GroupCall, minIdleMs: number, cursor: string): ClaimResult {
  const { state, group, consumer, now } = call;
  const ids = [...group.pending.keys()].filter((id) => compareEntryIds(id, cursor) >= 0);
  const entries: BrokerEntry[] = [];
  const deleted: string[] = [];
  let budget = call.count;
  let attempts = call.count * 10;
  let next = 0;
  while (attempts-- > 0 && budget > 0 && next < ids.length) {
    const id = ids[next++]!;
    const delivery = group.pending.get(id)!;
    const entry = state.byId.get(id);
    if (!entry) {
      group.pending.delete(id);
      deleted.push(id);
      budget -= 1;
    } else if (now - delivery.deliveredAt >= minIdleMs) {
      Object.assign(delivery, { consumer, deliveredAt: now, deliveries: delivery.deliveries + 1 });
      entries.push(toEntry(entry, delivery.deliveries));
      budget -= 1;
    }
  }
  return { nextCursor: ids[next] ?? '0-0', entries, deleted };
}
