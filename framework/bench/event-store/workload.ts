/**
 * The event-store workload, identical for both sides. `n` events in streams of 10 (one category,
 * `bench::account`), each stream written by two appends of 5 events (`'no_stream'`, then expected
 * version 4), by 4 concurrent writers; then one reader catches up on the category from global
 * position 1 in batches of 100. Afterwards the read is checked: every event exactly once, in
 * global order, each stream's events at positions 0..9 in the order they were appended.
 */
import type { NewMessage, StoredMessage } from '../../src/ports/event-store.js';
import { CorrectnessError } from '../lib/types.js';

export const CATEGORY = 'bench::account';
export const EVENTS_PER_STREAM = 10;
export const EVENTS_PER_APPEND = 5;
export const WRITERS = 4;
export const READ_BATCH = 100;

/** One append: a stream, its expected version, its messages. */
export interface AppendCall {
  readonly stream: string;
  readonly expectedVersion: number | 'no_stream';
  readonly messages: readonly NewMessage[];
}

/** One side's event store, on a table emptied before each run. */
export interface Side {
  append(call: AppendCall): Promise<void>;
  /** Up to `batchSize` messages of `CATEGORY` from `fromGlobalPosition`, in global order. */
  readCategory(fromGlobalPosition: number, batchSize: number): Promise<StoredMessage[]>;
}

function event(stream: string, account: number, n: number): NewMessage {
  return {
    id: `${stream}:${n}`,
    type: 'Bench.Deposited.v1',
    kind: 'EVENT',
    stream,
    data: { accountId: String(account), amount: { value: 100 + n, currency: 'EUR' }, n },
    metadata: {
      timestamp: '2025-01-01T00:00:00.000Z',
      correlationId: `corr-${account}`,
      causationId: `cmd-${account}-${n}`,
      aggregateVersion: n + 1,
      headers: { traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01' },
    },
  };
}

/**
 * The appends of a run of `events` events (rounded up to whole streams), per writer, each writer's
 * in the order it sends them. `run` tags ids so no two runs on one table share an id.
 */
export function plan(events: number, run: string): AppendCall[][] {
  const streams = Math.max(1, Math.ceil(events / EVENTS_PER_STREAM));
  const writers: AppendCall[][] = Array.from({ length: WRITERS }, () => []);
  for (let account = 0; account < streams; account++) {
    const stream = `${CATEGORY}-${run}.${account}`;
    const all = Array.from({ length: EVENTS_PER_STREAM }, (_, n) => event(stream, account, n));
    for (let first = 0; first < EVENTS_PER_STREAM; first += EVENTS_PER_APPEND) {
      writers[account % WRITERS]?.push({
        stream,
        expectedVersion: first === 0 ? 'no_stream' : first - 1,
        messages: all.slice(first, first + EVENTS_PER_APPEND),
      });
    }
  }
  return writers;
}

/** Sends every writer's appends, writers concurrently; resolves with each append's latency (ns). */
export async function appendAll(side: Side, writers: readonly AppendCall[][]): Promise<number[]> {
  const latencies: number[] = [];
  await Promise.all(
    writers.map(async (calls) => {
      for (const call of calls) {
        const start = process.hrtime.bigint();
        await side.append(call);
        latencies.push(Number(process.hrtime.bigint() - start));
      }
    }),
  );
  return latencies;
}

/** Reads the whole category batch after batch, from the last global position + 1. */
export async function catchUp(side: Side): Promise<StoredMessage[]> {
  const read: StoredMessage[] = [];
  for (let from = 1; ;) {
    const batch = await side.readCategory(from, READ_BATCH);
    if (batch.length === 0) return read;
    for (const message of batch) read.push(message);
    from = (batch.at(-1)?.metadata.globalPosition ?? 0) + 1;
  }
}

/** Throws `CorrectnessError` unless `read` holds every appended event once, in order. */
export function verify(
  side: string,
  writers: readonly AppendCall[][],
  read: StoredMessage[],
): void {
  const expected = new Map<string, { stream: string; position: number }>();
  for (const call of writers.flat()) {
    const first = call.expectedVersion === 'no_stream' ? 0 : call.expectedVersion + 1;
    call.messages.forEach(({ id }, i) =>
      expected.set(id, { stream: call.stream, position: first + i }),
    );
  }
  const problems: string[] = [];
  if (read.length !== expected.size) {
    problems.push(`read ${read.length} events, appended ${expected.size}`);
  }
  const seen = new Set<string>();
  let previous = 0;
  for (const message of read) {
    const { position, globalPosition } = message.metadata;
    const wanted = expected.get(message.id);
    if (seen.has(message.id)) problems.push(`event ${message.id} read twice`);
    else if (!wanted) problems.push(`event ${message.id} read but never appended`);
    else if (wanted.stream !== message.stream || wanted.position !== position) {
      problems.push(
        `event ${message.id} at ${message.stream}@${position}, appended at ${wanted.stream}@${wanted.position}`,
      );
    }
    if (globalPosition <= previous)
      problems.push(`global position ${globalPosition} after ${previous}`);
    seen.add(message.id);
    previous = globalPosition;
  }
  for (const id of expected.keys())
    if (!seen.has(id)) problems.push(`event ${id} appended but never read`);
  if (problems.length > 0) throw new CorrectnessError(side, problems);
}
