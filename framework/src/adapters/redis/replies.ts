/**
 * What travels between the broker port and Redis: payloads encoded as one JSON field, Redis
 * replies (XREADGROUP, XPENDING, XAUTOCLAIM, XINFO GROUPS) parsed into the port's types, and the
 * port's options checked with the same messages as the inline broker.
 */
import type { GroupInfo, JsonObject, PendingEntry } from '../../ports/broker.js';

export { encodePayload, entryId, nonNegative, positiveInteger } from '../../ports/checks/broker.js';

/** The one field of a stream entry (and the whole of a pub/sub message) that holds the JSON. */
export const PAYLOAD_FIELD = 'payload';

/** An entry as Redis returns it: its id and its fields, or `null` when it was trimmed away. */
export interface RawEntry {
  readonly id: string;
  readonly fields: readonly string[] | null;
}

/**
 * The payload of an entry. An entry written by protean-ts has one `payload` field holding a JSON
 * object, which is returned parsed. Anything else (an entry written by another producer with its
 * own fields, a `payload` that is not a JSON object) comes back as its fields, as strings:
 * `{ payload: 'not json' }`, `{ order_id: '7', amount: '5' }`. Nothing is lost; a subscription
 * that expects an envelope finds none and dead-letters the entry. `null` for a trimmed entry.
 */
export function decodeFields(fields: readonly string[] | null): JsonObject | null {
  if (fields === null) return null;
  if (fields.length === 2 && fields[0] === PAYLOAD_FIELD) {
    const parsed = parseObject(fields[1]!);
    if (parsed) return parsed;
  }
  const pairs: [string, string][] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) pairs.push([fields[i]!, fields[i + 1]!]);
  return Object.fromEntries(pairs);
}

/** A pub/sub message as a payload: the JSON object it holds, or `{ payload: <text> }`. */
export function decodeMessage(text: string): JsonObject {
  return parseObject(text) ?? { [PAYLOAD_FIELD]: text };
}

function parseObject(text: string): JsonObject | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as JsonObject)
      : null;
  } catch {
    return null;
  }
}

/**
 * XREADGROUP on one stream: `null` when nothing came, else the stream's entries, which RESP2
 * returns as `[[key, entries]]` and RESP3 (ioredis 6's default, map replies flattened) as
 * `[key, entries]`.
 */
export function parseReadReply(reply: unknown): RawEntry[] {
  if (!Array.isArray(reply) || reply.length === 0) return [];
  const entries: unknown = typeof reply[0] === 'string' ? reply[1] : (reply[0] as unknown[])[1];
  return parseEntries(entries ?? []);
}

/** A list of `[id, fields | null]` pairs (XREADGROUP, XAUTOCLAIM). */
export function parseEntries(entries: unknown): RawEntry[] {
  return (entries as [string, string[] | null][]).map(([id, fields]) => ({ id, fields }));
}

/** XPENDING, extended form: `[[id, consumer, idle, deliveries], ...]`. */
export function parsePendingReply(reply: unknown): PendingEntry[] {
  return (reply as [string, string, number, number][]).map(([id, consumer, idle, deliveries]) => ({
    id,
    consumer,
    idleMs: Number(idle),
    deliveries: Number(deliveries),
  }));
}

/** XAUTOCLAIM (Redis 7): `[nextCursor, [[id, fields], ...], [deletedId, ...]]`. */
export function parseClaimReply(reply: unknown): {
  nextCursor: string;
  entries: RawEntry[];
  deleted: string[];
} {
  const [nextCursor, entries, deleted] = reply as [string, unknown, string[] | undefined];
  return { nextCursor, entries: parseEntries(entries), deleted: deleted ?? [] };
}

/** XINFO GROUPS: one flat `[name, value, name, value ...]` list (or an object) per group. */
export function parseGroupsReply(reply: unknown): GroupInfo[] {
  return (reply as unknown[]).map((group) => {
    const fields = Array.isArray(group) ? pairsToObject(group) : (group as Record<string, unknown>);
    const lag = fields['lag'];
    return {
      name: String(fields['name']),
      consumers: Number(fields['consumers']),
      pending: Number(fields['pending']),
      lastDeliveredId: String(fields['last-delivered-id']),
      lag: lag === null || lag === undefined ? null : Number(lag),
    };
  });
}

function pairsToObject(list: readonly unknown[]): Record<string, unknown> {
  const object: Record<string, unknown> = {};
  for (let i = 0; i + 1 < list.length; i += 2) object[String(list[i])] = list[i + 1];
  return object;
}
