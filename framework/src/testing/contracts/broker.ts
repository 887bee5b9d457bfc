/**
 * The Broker port's contract suite: one set of behaviours, run on every adapter (inline, Redis
 * Streams, Redis pub/sub), so the inline broker behaves like Redis and tests on it mean something.
 * A case an adapter cannot support is skipped by declared capability, with the reason in its name.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { streams, type Envelope } from '../../core/envelope.js';
import { IncorrectUsageError } from '../../core/errors.js';
import {
  compareEntryIds,
  NoGroupError,
  type Broker,
  type BrokerCapabilities,
  type BrokerEntry,
  type JsonObject,
} from '../../ports/broker.js';
import { declareSubscriptionCases } from './broker-subscriptions.js';

/** Options of {@link brokerContract}. */
export interface BrokerContractOptions {
  /**
   * What the adapter declares; the suite checks `broker.capabilities` equals it and skips, by name,
   * the cases it rules out. @defaultValue every capability
   */
  capabilities?: BrokerCapabilities;
  /**
   * Moves the adapter's clock forward, for an adapter built on a fake clock. Without it the suite
   * waits in real time (at most 100 ms at once).
   */
  advanceTime?: (ms: number) => void | Promise<void>;
}

type Capability = keyof BrokerCapabilities;

/** What one case works with: a fresh, started broker and a stream name of its own. */
interface Case {
  readonly broker: Broker;
  /** `test-<uuid>`. */
  readonly stream: string;
  /** Lets `ms` pass on the broker's clock (fake or real). */
  elapse(ms: number): Promise<void>;
  /** Publishes `{ n: 0 }`, `{ n: 1 }`, ... and resolves with their ids. */
  publishNumbers(count: number): Promise<string[]>;
}

/** Declares a case; it is skipped, with the reason in its name, when a capability is missing. */
type Declare = (title: string, fn: (c: Case) => Promise<void>) => void;

interface Suite {
  readonly capabilities: BrokerCapabilities;
  /** Cases for brokers that have every one of `capabilities`. */
  needs(...capabilities: Capability[]): Declare;
  /** Cases for brokers that do not have `capability` (how they refuse). */
  lacks(capability: Capability): Declare;
}

const EVERY_CAPABILITY: BrokerCapabilities = {
  consumerGroups: true,
  persistence: true,
  acknowledgement: true,
  claiming: true,
  blockingReads: true,
};

const GROUP = 'group-a';
const ids = (entries: readonly { id: string }[]) => entries.map((entry) => entry.id);
const payloads = (entries: readonly BrokerEntry[]) => entries.map((entry) => entry.payload);

/**
 * Declares the Broker contract for one adapter. Each case gets a fresh broker from `makeBroker`
 * (unstarted: the suite starts it, and closes it after the case) and a unique stream name.
 *
 * @example
 * ```ts
 * // framework/tests/adapters/memory/broker.unit.spec.ts
 * import { brokerContract } from 'protean-ts/testing';
 * brokerContract('inline', async () => createInlineBroker());
 * ```
 */
export function brokerContract(
  name: string,
  makeBroker: () => Promise<Broker>,
  options: BrokerContractOptions = {},
): void {
  describe(`Broker contract: ${name}`, () => {
    const suite = createSuite(makeBroker, options);
    declarePublishCases(suite);
    declareGroupCases(suite);
    declarePendingCases(suite);
    declareClaimCases(suite);
    declareBlockingCases(suite);
    declareRangeCases(suite);
    declareSubscriptionCases(suite.needs('subscriptions'), suite.lacks('subscriptions'));
  });
}

function createSuite(makeBroker: () => Promise<Broker>, options: BrokerContractOptions): Suite {
  const capabilities = options.capabilities ?? EVERY_CAPABILITY;
  let current: Case | undefined;
  beforeEach(async () => {
    const broker = await makeBroker();
    const stream = `test-${randomUUID()}`;
    const elapse = async (ms: number) => {
      await (options.advanceTime ? options.advanceTime(ms) : sleep(Math.min(ms, 100)));
    };
    const publishNumbers = async (count: number) => {
      const published: string[] = [];
      for (let n = 0; n < count; n++) published.push(await broker.publish(stream, { n }));
      return published;
    };
    current = { broker, stream, elapse, publishNumbers };
    await broker.start();
  });
  afterEach(async () => {
    await current?.broker.close();
    current = undefined;
  });
  const declare =
    (skipReason: string | undefined): Declare =>
    (title, fn) =>
      it.skipIf(skipReason !== undefined)(
        skipReason ? `${title} (skipped: ${skipReason})` : title,
        () => fn(current ?? expect.fail('no broker: beforeEach did not run')),
      );
  const needs = (...required: Capability[]) => {
    const missing = required.filter((capability) => !capabilities[capability]);
    return declare(missing.length > 0 ? `the broker declares no ${missing.join(', ')}` : undefined);
  };
  const lacks = (capability: Capability) =>
    declare(capabilities[capability] ? `the broker declares ${capability}` : undefined);
  return { capabilities, needs, lacks };
}

function declarePublishCases(s: Suite): void {
  const test = s.needs();

  test('declares its provider and its capabilities, and answers ping', async ({ broker }) => {
    expect(broker.provider).toMatch(/\S/);
    expect({ ...broker.capabilities }).toEqual(s.capabilities);
    await expect(broker.ping()).resolves.toBeUndefined();
  });

  test('refuses a payload that is not a JSON object', async ({ broker, stream }) => {
    const notAnObject = [1, 2] as unknown as JsonObject;
    await expect(broker.publish(stream, notAnObject)).rejects.toThrow(IncorrectUsageError);
  });

  s.needs('persistence')('stamps increasing <ms>-<seq> ids, counts and trims', async (c) => {
    const published = await c.publishNumbers(5);
    expect(published.every((id) => /^\d+-\d+$/.test(id))).toBe(true);
    expect([...new Set(published)].sort(compareEntryIds)).toEqual(published);
    expect(await c.broker.streamLength(c.stream)).toBe(5);
    expect(await c.broker.trim(c.stream, { maxLength: 2 })).toBe(3);
    expect(await c.broker.trim(c.stream, { maxLength: 2 })).toBe(0);
    expect(await c.broker.streamLength(c.stream)).toBe(2);
    expect(await c.broker.streamLength(`${c.stream}-missing`)).toBe(0);
  });

  s.needs('persistence')(
    'refuses calls after close(), keeps entries across a restart',
    async (c) => {
      await c.broker.publish(c.stream, { n: 0 });
      await c.broker.close();
      await expect(c.broker.publish(c.stream, { n: 1 })).rejects.toThrow();
      await c.broker.start();
      expect(await c.broker.streamLength(c.stream)).toBe(1);
    },
  );

  s.lacks('consumerGroups')('refuses group methods with an IncorrectUsageError', async (c) => {
    const { broker, stream } = c;
    const calls = [
      () => broker.ensureGroup(stream, GROUP),
      () => broker.readGroup(stream, GROUP, 'c1'),
      () => broker.ack(stream, GROUP, ['1-0']),
      () => broker.pending(stream, GROUP),
      () => broker.claim(stream, GROUP, 'c1', { minIdleMs: 0 }),
      () => broker.groupInfo(stream),
    ];
    for (const call of calls) await expect(call()).rejects.toThrow(IncorrectUsageError);
  });
}

function declareGroupCases(s: Suite): void {
  const test = s.needs('consumerGroups');

  test('delivers entries through a group in publish order, once each', async (c) => {
    await c.broker.ensureGroup(c.stream, GROUP);
    const published = await c.publishNumbers(3);
    const first = await c.broker.readGroup(c.stream, GROUP, 'c1', { count: 2 });
    const rest = await c.broker.readGroup(c.stream, GROUP, 'c1', { count: 10 });
    expect(ids([...first, ...rest])).toEqual(published);
    expect(payloads(first)).toEqual([{ n: 0 }, { n: 1 }]);
    expect([...first, ...rest].map((entry) => entry.deliveries)).toEqual([1, 1, 1]);
    expect(await c.broker.readGroup(c.stream, GROUP, 'c1')).toEqual([]);
  });

  test('splits a group between two consumers, no entry delivered to both', async (c) => {
    await c.broker.ensureGroup(c.stream, GROUP);
    const published = await c.publishNumbers(4);
    const one = await c.broker.readGroup(c.stream, GROUP, 'c1', { count: 2 });
    const two = await c.broker.readGroup(c.stream, GROUP, 'c2', { count: 10 });
    expect(ids(one)).toEqual(published.slice(0, 2));
    expect(ids(two)).toEqual(published.slice(2));
  });

  test('gives every entry to each of two groups', async (c) => {
    await c.broker.ensureGroup(c.stream, 'group-a');
    await c.broker.ensureGroup(c.stream, 'group-b');
    const published = await c.publishNumbers(3);
    expect(ids(await c.broker.readGroup(c.stream, 'group-a', 'c1'))).toEqual(published);
    expect(ids(await c.broker.readGroup(c.stream, 'group-b', 'c1'))).toEqual(published);
  });

  s.needs('consumerGroups', 'persistence')('lets a new group read older entries', async (c) => {
    const published = await c.publishNumbers(2);
    expect(await c.broker.ensureGroup(c.stream, GROUP)).toBe(true);
    expect(ids(await c.broker.readGroup(c.stream, GROUP, 'c1'))).toEqual(published);
  });

  test("creates a group once: ensureGroup keeps an existing group's position", async (c) => {
    expect(await c.broker.ensureGroup(c.stream, GROUP)).toBe(true);
    const published = await c.publishNumbers(2);
    await c.broker.readGroup(c.stream, GROUP, 'c1', { count: 1 });
    expect(await c.broker.ensureGroup(c.stream, GROUP)).toBe(false);
    expect(ids(await c.broker.readGroup(c.stream, GROUP, 'c1'))).toEqual([published[1]]);
  });

  test('throws NoGroupError for a group that does not exist', async ({ broker, stream }) => {
    await expect(broker.readGroup(stream, 'missing', 'c1')).rejects.toThrow(NoGroupError);
    await expect(broker.pending(stream, 'missing')).rejects.toMatchObject({ code: 'NO_GROUP' });
    const claim = broker.claim(stream, 'missing', 'c1', { minIdleMs: 0 });
    await expect(claim).rejects.toThrow(NoGroupError);
    expect(await broker.ack(stream, 'missing', ['1-0'])).toBe(0);
    expect(await broker.groupInfo(stream)).toEqual([]);
  });

  test('copies payloads in and out, as JSON', async ({ broker, stream }) => {
    await broker.ensureGroup(stream, 'group-a');
    await broker.ensureGroup(stream, 'group-b');
    const payload = { book: { title: 'Dune' }, at: new Date(0), tags: ['sf'] };
    await broker.publish(stream, payload);
    payload.book.title = 'changed after publish';
    const expected = { book: { title: 'Dune' }, at: '1970-01-01T00:00:00.000Z', tags: ['sf'] };
    const [read] = await broker.readGroup(stream, 'group-a', 'c1');
    expect(read?.payload).toEqual(expected);
    (read!.payload as typeof expected).book.title = 'changed after read';
    expect(payloads(await broker.readGroup(stream, 'group-b', 'c1'))).toEqual([expected]);
  });
}

function declarePendingCases(s: Suite): void {
  const test = s.needs('consumerGroups', 'acknowledgement');

  test("redelivers unacknowledged entries as the consumer's own pending", async (c) => {
    await c.broker.ensureGroup(c.stream, GROUP);
    const [first, second] = await c.publishNumbers(2);
    await c.broker.readGroup(c.stream, GROUP, 'c1');
    expect(await c.broker.readGroup(c.stream, GROUP, 'c1', { pending: true })).toEqual([
      { id: first, payload: { n: 0 }, deliveries: 2 },
      { id: second, payload: { n: 1 }, deliveries: 2 },
    ]);
    const once = await c.broker.readGroup(c.stream, GROUP, 'c1', { pending: true, count: 1 });
    expect(once.map(({ id, deliveries }) => ({ id, deliveries }))).toEqual([
      { id: first, deliveries: 3 },
    ]);
    expect(await c.broker.readGroup(c.stream, GROUP, 'c2', { pending: true })).toEqual([]);
    expect(await c.broker.readGroup(c.stream, GROUP, 'c1')).toEqual([]);
  });

  test('removes acknowledged entries from pending; a second ack counts 0', async (c) => {
    await c.broker.ensureGroup(c.stream, GROUP);
    const published = await c.publishNumbers(3);
    await c.broker.readGroup(c.stream, GROUP, 'c1');
    expect(await c.broker.ack(c.stream, GROUP, published.slice(0, 2))).toBe(2);
    expect(await c.broker.ack(c.stream, GROUP, published.slice(0, 1))).toBe(0);
    expect(ids(await c.broker.pending(c.stream, GROUP))).toEqual([published[2]]);
    const own = await c.broker.readGroup(c.stream, GROUP, 'c1', { pending: true });
    expect(ids(own)).toEqual([published[2]]);
  });

  test('lists pending entries with their consumer, idle time and deliveries', async (c) => {
    await c.broker.ensureGroup(c.stream, GROUP);
    const [first, second] = await c.publishNumbers(2);
    await c.broker.readGroup(c.stream, GROUP, 'c1', { count: 1 });
    await c.broker.readGroup(c.stream, GROUP, 'c2', { count: 1 });
    await c.elapse(60);
    await c.broker.readGroup(c.stream, GROUP, 'c1', { pending: true });
    const listed = await c.broker.pending(c.stream, GROUP);
    expect(listed.map(({ id, consumer, deliveries }) => ({ id, consumer, deliveries }))).toEqual([
      { id: first, consumer: 'c1', deliveries: 2 },
      { id: second, consumer: 'c2', deliveries: 1 },
    ]);
    expect(listed[1]!.idleMs).toBeGreaterThanOrEqual(50);
    expect(listed[0]!.idleMs).toBeLessThan(listed[1]!.idleMs);
    expect(ids(await c.broker.pending(c.stream, GROUP, { consumer: 'c2' }))).toEqual([second]);
    expect(ids(await c.broker.pending(c.stream, GROUP, { count: 1 }))).toEqual([first]);
  });

  test("reports each group's consumers, pending count and lag", async (c) => {
    await c.broker.ensureGroup(c.stream, 'group-a');
    await c.broker.ensureGroup(c.stream, 'group-b');
    const published = await c.publishNumbers(3);
    await c.broker.readGroup(c.stream, 'group-a', 'c1', { count: 2 });
    const info = (await c.broker.groupInfo(c.stream)).sort((a, b) => a.name.localeCompare(b.name));
    expect(info).toEqual([
      { name: 'group-a', consumers: 1, pending: 2, lastDeliveredId: published[1], lag: 1 },
      { name: 'group-b', consumers: 0, pending: 0, lastDeliveredId: '0-0', lag: 3 },
    ]);
  });

  const dlqTest = s.needs('consumerGroups', 'acknowledgement', 'persistence');
  dlqTest('moves an entry to the DLQ: publish to <stream>:dlq, then ack', async (c) => {
    const dlq = streams.deadLetter(c.stream);
    await c.broker.ensureGroup(c.stream, GROUP);
    await c.broker.publish(c.stream, envelope(c.stream));
    const [entry] = await c.broker.readGroup(c.stream, GROUP, 'c1');
    const failure = {
      stream: c.stream,
      id: entry!.id,
      group: GROUP,
      consumer: 'c1',
      error: 'boom',
    };
    await c.broker.publish(dlq, {
      ...failure,
      attempts: entry!.deliveries,
      payload: entry!.payload,
    });
    expect(await c.broker.ack(c.stream, GROUP, [entry!.id])).toBe(1);
    expect(await c.broker.pending(c.stream, GROUP)).toEqual([]);
    expect(await c.broker.streamLength(dlq)).toBe(1);
    await c.broker.ensureGroup(dlq, 'dlq-reader');
    const [dead] = await c.broker.readGroup(dlq, 'dlq-reader', 'c1');
    expect(dead?.payload).toEqual({ ...failure, attempts: 1, payload: envelope(c.stream) });
  });
}

function declareClaimCases(s: Suite): void {
  const test = s.needs('consumerGroups', 'acknowledgement', 'claiming');

  test('claims entries idle at least minIdleMs for another consumer', async (c) => {
    await c.broker.ensureGroup(c.stream, GROUP);
    const [idle, fresh] = await c.publishNumbers(2);
    await c.broker.readGroup(c.stream, GROUP, 'c1', { count: 1 });
    await c.elapse(80);
    await c.broker.readGroup(c.stream, GROUP, 'c1', { count: 1 });
    expect(await c.broker.claim(c.stream, GROUP, 'c2', { minIdleMs: 50 })).toEqual({
      nextCursor: '0-0',
      entries: [{ id: idle, payload: { n: 0 }, deliveries: 2 }],
      deleted: [],
    });
    const listed = await c.broker.pending(c.stream, GROUP);
    expect(listed.map(({ id, consumer }) => ({ id, consumer }))).toEqual([
      { id: idle, consumer: 'c2' },
      { id: fresh, consumer: 'c1' },
    ]);
    const own = await c.broker.readGroup(c.stream, GROUP, 'c2', { pending: true });
    expect(ids(own)).toEqual([idle]);
  });

  test('carries the claim cursor across calls', async (c) => {
    await c.broker.ensureGroup(c.stream, GROUP);
    const published = await c.publishNumbers(3);
    await c.broker.readGroup(c.stream, GROUP, 'c1');
    await c.elapse(60);
    const first = await c.broker.claim(c.stream, GROUP, 'c2', { minIdleMs: 50, count: 2 });
    expect(ids(first.entries)).toEqual(published.slice(0, 2));
    expect(first.nextCursor).toBe(published[2]);
    const options = { minIdleMs: 50, count: 2, cursor: first.nextCursor };
    const second = await c.broker.claim(c.stream, GROUP, 'c2', options);
    expect(ids(second.entries)).toEqual(published.slice(2));
    expect(second.nextCursor).toBe('0-0');
  });

  const trimTest = s.needs('consumerGroups', 'acknowledgement', 'claiming', 'persistence');
  trimTest('sees pending entries trimmed away: nil when re-read, deleted by claim', async (c) => {
    await c.broker.ensureGroup(c.stream, GROUP);
    const [a, b, kept] = await c.publishNumbers(3);
    await c.broker.readGroup(c.stream, GROUP, 'c1');
    await c.broker.trim(c.stream, { maxLength: 1 });
    const own = await c.broker.readGroup(c.stream, GROUP, 'c1', { pending: true });
    expect(own.map(({ id, payload }) => ({ id, payload }))).toEqual([
      { id: a, payload: null },
      { id: b, payload: null },
      { id: kept, payload: { n: 2 } },
    ]);
    const claimed = await c.broker.claim(c.stream, GROUP, 'c2', { minIdleMs: 0 });
    expect(claimed.deleted).toEqual([a, b]);
    expect(ids(claimed.entries)).toEqual([kept]);
    expect(ids(await c.broker.pending(c.stream, GROUP))).toEqual([kept]);
  });
}

function declareBlockingCases(s: Suite): void {
  const test = s.needs('consumerGroups', 'blockingReads');

  test('wakes a blocking read as soon as an entry is published', async ({ broker, stream }) => {
    await broker.ensureGroup(stream, GROUP);
    const started = Date.now();
    const reading = broker.readGroup(stream, GROUP, 'c1', { blockMs: 1_000 });
    await sleep(20);
    await broker.publish(stream, { n: 'late' });
    expect(payloads(await reading)).toEqual([{ n: 'late' }]);
    expect(Date.now() - started).toBeLessThan(500);
  });

  test('ends a blocking read with [] when nothing arrives in blockMs', async ({
    broker,
    stream,
  }) => {
    await broker.ensureGroup(stream, GROUP);
    const started = Date.now();
    expect(await broker.readGroup(stream, GROUP, 'c1', { blockMs: 100 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(90);
  });

  test('releases a blocked read with [] when the broker closes', async ({ broker, stream }) => {
    await broker.ensureGroup(stream, GROUP);
    const started = Date.now();
    const reading = broker.readGroup(stream, GROUP, 'c1', { blockMs: 3_000 });
    await sleep(20);
    await broker.close();
    expect(await reading).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
}

function declareRangeCases(s: Suite): void {
  const test = s.needs('persistence');

  test('reads entries by id range, oldest first, outside of any group', async (c) => {
    const [a, b, d, e] = await c.publishNumbers(4);
    expect(await c.broker.range(c.stream)).toEqual([
      { id: a, payload: { n: 0 } },
      { id: b, payload: { n: 1 } },
      { id: d, payload: { n: 2 } },
      { id: e, payload: { n: 3 } },
    ]);
    expect(ids(await c.broker.range(c.stream, { start: b!, end: d! }))).toEqual([b, d]);
    expect(ids(await c.broker.range(c.stream, { start: `(${a!}`, count: 2 }))).toEqual([b, d]);
    expect(ids(await c.broker.range(c.stream, { start: e!, end: e! }))).toEqual([e]);
    // An end without `-<seq>` takes every entry of that millisecond, as in Redis.
    const ms = (id: string) => Number(id.split('-')[0]);
    const upToMs = [a, b, d, e].filter((id) => ms(id!) <= ms(b!));
    expect(ids(await c.broker.range(c.stream, { end: String(ms(b!)) }))).toEqual(upToMs);
    expect(await c.broker.range(`${c.stream}-missing`)).toEqual([]);
  });

  test('copies the payloads it reads and refuses bad bounds', async ({ broker, stream }) => {
    await broker.publish(stream, { book: { title: 'Dune' } });
    const [read] = await broker.range(stream);
    (read!.payload['book'] as { title: string }).title = 'changed after read';
    expect((await broker.range(stream))[0]?.payload).toEqual({ book: { title: 'Dune' } });
    await expect(broker.range(stream, { start: 'first' })).rejects.toThrow(
      "start must be '-', '+' or an entry id like '1718000000000-0'",
    );
    await expect(broker.range(stream, { count: 0 })).rejects.toThrow(IncorrectUsageError);
  });

  test('removes entries by id and counts only those that existed', async (c) => {
    const [a, b, d] = await c.publishNumbers(3);
    expect(await c.broker.remove(c.stream, [a!, d!])).toBe(2);
    expect(await c.broker.remove(c.stream, [a!])).toBe(0);
    expect(await c.broker.remove(c.stream, [])).toBe(0);
    expect(await c.broker.range(c.stream)).toEqual([{ id: b, payload: { n: 1 } }]);
    expect(await c.broker.streamLength(c.stream)).toBe(1);
    await expect(c.broker.remove(c.stream, ['latest'])).rejects.toThrow(IncorrectUsageError);
  });

  const pendingTest = s.needs('persistence', 'consumerGroups', 'acknowledgement');
  pendingTest('reads a removed pending entry as null, as a trimmed one', async (c) => {
    await c.broker.ensureGroup(c.stream, GROUP);
    const [gone, kept] = await c.publishNumbers(2);
    await c.broker.readGroup(c.stream, GROUP, 'c1');
    await c.broker.remove(c.stream, [gone!]);
    const own = await c.broker.readGroup(c.stream, GROUP, 'c1', { pending: true });
    expect(own.map(({ id, payload }) => ({ id, payload }))).toEqual([
      { id: gone, payload: null },
      { id: kept, payload: { n: 1 } },
    ]);
  });

  s.lacks('persistence')(
    'refuses the stored-entry methods with an IncorrectUsageError',
    async (c) => {
      const { broker, stream } = c;
      const calls = [
        () => broker.streamLength(stream),
        () => broker.trim(stream, { maxLength: 0 }),
        () => broker.range(stream),
        () => broker.remove(stream, ['1-0']),
      ];
      for (const call of calls) await expect(call()).rejects.toThrow(IncorrectUsageError);
    },
  );
}

function envelope(stream: string): Envelope {
  const metadata = { timestamp: '2024-01-01T00:00:00.000Z', correlationId: 'c-1', headers: {} };
  const id = '00000000-0000-4000-8000-000000000001';
  return { id, type: 'Test.Happened.v1', kind: 'EVENT', stream, data: { n: 42 }, metadata };
}
