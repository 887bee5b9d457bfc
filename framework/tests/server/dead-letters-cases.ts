/**
 * The dead-letter operations (list, inspect, replay, purge) as behaviours over any broker that
 * stores entries: run on the inline broker by dead-letters.unit.spec.ts and on Redis by
 * dead-letters.int.spec.ts.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { streams } from '../../src/core/envelope.js';
import { IncorrectUsageError, NotFoundError } from '../../src/core/errors.js';
import type { Broker, JsonObject } from '../../src/ports/broker.js';
import {
  countDeadLetters,
  inspectDeadLetter,
  listDeadLetters,
  otherGroups,
  purgeDeadLetters,
  replayDeadLetter,
  replayDeadLetters,
} from '../../src/server/dead-letters.js';
import { REPLAY_FOR_HEADER } from '../../src/server/subscriptions/dead-letter.js';
import type { DeadLetter } from '../../src/server/subscriptions/dead-letter.js';

interface World {
  broker: Broker;
  /** `test-<uuid>::order`, a category stream of its own. */
  stream: string;
  /** `<stream>:dlq`. */
  dlq: string;
  /** Writes a dead letter of `group` for payload `{ n }` as the consume loop does; its entry id. */
  bury(group: string, n: number): Promise<string>;
}

/** What the consume loop writes for `{ n }` read from `stream` by `group`. */
export function deadLetter(stream: string, group: string, n: number): DeadLetter {
  return {
    stream,
    id: `${1_700_000_000_000 + n}-0`,
    group,
    consumer: `${group}-host-1`,
    error: `boom ${n}`,
    errorCode: 'HANDLER_FAILED',
    failedAt: '2024-01-01T00:00:00.000Z',
    attempts: 3,
    payload: { n, type: 'Shop.OrderPlaced.v1' },
  };
}

/**
 * Declares the cases; `makeBroker` gives an unstarted broker of the adapter under test.
 *
 * @example
 * deadLetterCases(async () => createInlineBroker());
 */
export function deadLetterCases(makeBroker: () => Promise<Broker>): void {
  let world: World;
  beforeEach(async () => {
    const broker = await makeBroker();
    await broker.start();
    const stream = `test-${randomUUID()}::order`;
    const dlq = streams.deadLetter(stream);
    const bury = (group: string, n: number) => broker.publish(dlq, deadLetter(stream, group, n));
    world = { broker, stream, dlq, bury };
  });
  afterEach(() => world.broker.close());

  it('lists the dead letters of a queue oldest first, by <queue>/<entry id>', async () => {
    const { broker, dlq, stream, bury } = world;
    const first = await bury('Notifier', 1);
    const second = await bury('Auditor', 2);
    const listed = await listDeadLetters(broker, dlq);
    expect(listed.map((entry) => entry.id)).toEqual([`${dlq}/${first}`, `${dlq}/${second}`]);
    expect(listed[0]).toEqual({
      id: `${dlq}/${first}`,
      deadLetterStream: dlq,
      entryId: first,
      deadLetter: deadLetter(stream, 'Notifier', 1),
      stored: deadLetter(stream, 'Notifier', 1),
    });
  });

  it("filters by group and limit, and counts one group's or the whole queue", async () => {
    const { broker, dlq, bury } = world;
    for (let n = 0; n < 5; n += 1) await bury(n % 2 === 0 ? 'Notifier' : 'Auditor', n);
    const notifier = await listDeadLetters(broker, dlq, { group: 'Notifier' });
    expect(notifier.map((entry) => entry.deadLetter?.payload['n'])).toEqual([0, 2, 4]);
    const limited = await listDeadLetters(broker, dlq, { group: 'Notifier', limit: 2 });
    expect(limited.map((entry) => entry.deadLetter?.payload['n'])).toEqual([0, 2]);
    expect(await countDeadLetters(broker, dlq, 'Auditor')).toBe(2);
    expect(await countDeadLetters(broker, dlq)).toBe(5);
    expect(await listDeadLetters(broker, `${dlq}-missing`)).toEqual([]);
  });

  it('scans a queue longer than one page', async () => {
    const { broker, dlq, bury } = world;
    for (let n = 0; n < 450; n += 1) await bury(n < 300 ? 'Notifier' : 'Auditor', n);
    expect(await countDeadLetters(broker, dlq, 'Notifier')).toBe(300);
    const auditor = await listDeadLetters(broker, dlq, { group: 'Auditor' });
    expect(auditor.map((entry) => entry.deadLetter?.payload['n'])).toEqual(
      Array.from({ length: 150 }, (_, k) => 300 + k),
    );
  });

  it('inspects one entry; says which ids are malformed or gone', async () => {
    const { broker, dlq, stream, bury } = world;
    const id = `${dlq}/${await bury('Notifier', 7)}`;
    const entry = await inspectDeadLetter(broker, id);
    expect(entry.deadLetter).toEqual(deadLetter(stream, 'Notifier', 7));
    await expect(inspectDeadLetter(broker, `${dlq}/1-0`)).rejects.toThrow(NotFoundError);
    await expect(inspectDeadLetter(broker, `${dlq}/1-0`)).rejects.toThrow(
      `no dead letter '${dlq}/1-0': ${dlq} has no entry 1-0`,
    );
    await expect(inspectDeadLetter(broker, '1-0')).rejects.toThrow(IncorrectUsageError);
    await expect(inspectDeadLetter(broker, `${stream}/1-0`)).rejects.toThrow(
      `'${stream}/1-0' is not a dead-letter id: expected <stream>:dlq/<entry id>`,
    );
  });

  it('replays: the original payload goes back to its stream, the entry leaves the queue', async () => {
    const { broker, dlq, stream, bury } = world;
    await broker.ensureGroup(stream, 'Notifier');
    const id = `${dlq}/${await bury('Notifier', 3)}`;
    const result = await replayDeadLetter(broker, id);
    expect(result).toEqual({
      id,
      stream,
      group: 'Notifier',
      entryId: expect.any(String),
      targeted: false,
    });
    const [delivered] = await broker.readGroup(stream, 'Notifier', 'c1');
    expect(delivered).toEqual({
      id: result.entryId,
      payload: { n: 3, type: 'Shop.OrderPlaced.v1' },
      deliveries: 1,
    });
    expect(await broker.streamLength(dlq)).toBe(0);
    await expect(replayDeadLetter(broker, id)).rejects.toThrow(NotFoundError);
  });

  it('marks a replayed envelope for the group that gave up on it, keeping its headers', async () => {
    const { broker, dlq, stream } = world;
    const envelope = {
      id: 'message-1',
      type: 'Shop.OrderPlaced.v1',
      kind: 'EVENT',
      stream: `${stream}-1`,
      data: { n: 1 },
      metadata: { headers: { tenant: 'acme' } },
    };
    const letter = { ...deadLetter(stream, 'Notifier', 1), payload: envelope };
    const id = `${dlq}/${await broker.publish(dlq, letter)}`;
    const result = await replayDeadLetter(broker, id);
    expect(result.targeted).toBe(true);
    const [republished] = await broker.range(stream);
    expect(republished!.payload).toEqual({
      ...envelope,
      metadata: { headers: { tenant: 'acme', [REPLAY_FOR_HEADER]: 'Notifier' } },
    });
  });

  it("replays one group's dead letters oldest first, leaving the other groups'", async () => {
    const { broker, dlq, stream, bury } = world;
    for (let n = 0; n < 4; n += 1) await bury(n < 3 ? 'Notifier' : 'Auditor', n);
    const replayed = await replayDeadLetters(broker, dlq, 'Notifier');
    expect(replayed).toHaveLength(3);
    const republished = await broker.range(stream);
    expect(republished.map((entry) => entry.payload['n'])).toEqual([0, 1, 2]);
    expect(republished.map((entry) => entry.id)).toEqual(replayed.map((r) => r.entryId));
    const left = await listDeadLetters(broker, dlq);
    expect(left.map((entry) => entry.deadLetter?.group)).toEqual(['Auditor']);
  });

  it("purges one group's dead letters only, and counts them", async () => {
    const { broker, dlq, bury } = world;
    for (let n = 0; n < 5; n += 1) await bury(n === 2 ? 'Auditor' : 'Notifier', n);
    expect(await purgeDeadLetters(broker, dlq, 'Notifier')).toBe(4);
    expect(await purgeDeadLetters(broker, dlq, 'Notifier')).toBe(0);
    const left = await listDeadLetters(broker, dlq);
    expect(left.map((entry) => entry.deadLetter?.payload['n'])).toEqual([2]);
  });

  it('lists an entry that is not a dead letter, and refuses to replay it', async () => {
    const { broker, dlq } = world;
    const stranger: JsonObject = { hello: 'world' };
    const id = `${dlq}/${await broker.publish(dlq, stranger)}`;
    const [listed] = await listDeadLetters(broker, dlq);
    expect(listed).toMatchObject({ id, deadLetter: null, stored: stranger });
    expect(await listDeadLetters(broker, dlq, { group: 'Notifier' })).toEqual([]);
    await expect(replayDeadLetter(broker, id)).rejects.toThrow(
      `'${id}' is not a dead letter written by protean-ts`,
    );
    expect(await broker.streamLength(dlq)).toBe(1);
  });

  it('names the other groups of a stream, which a replay reaches too', async () => {
    const { broker, stream } = world;
    await broker.ensureGroup(stream, 'Notifier');
    await broker.ensureGroup(stream, 'Auditor');
    expect(await otherGroups(broker, stream, 'Notifier')).toEqual(['Auditor']);
    expect(await otherGroups(broker, `${stream}-missing`, 'Notifier')).toEqual([]);
  });
}
