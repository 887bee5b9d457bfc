/**
 * The Broker contract's cases for `subscribe()` (capability `subscriptions`, Redis pub/sub):
 * declared by {@link brokerContract}, skipped with the reason on brokers without it.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { Broker, JsonObject } from '../../ports/broker.js';

/** What a subscription case works with: a started broker and a stream name of its own. */
export interface SubscriptionCase {
  readonly broker: Broker;
  readonly stream: string;
}

/** Declares one case (skipped, with the reason in its name, when the capability rules it out). */
export type DeclareSubscriptionCase = (
  title: string,
  fn: (c: SubscriptionCase) => Promise<void>,
) => void;

/** Declares the cases for brokers with `subscriptions` (`needs`) and without (`lacks`). */
export function declareSubscriptionCases(
  needs: DeclareSubscriptionCase,
  lacks: DeclareSubscriptionCase,
): void {
  lacks('has no subscribe()', async ({ broker }) => {
    expect(broker.subscribe).toBeUndefined();
  });

  needs('pushes each payload to every subscriber of its stream, a copy each', async (c) => {
    const first: unknown[] = [];
    const second: unknown[] = [];
    const elsewhere: unknown[] = [];
    await subscribe(c.broker)(c.stream, (payload, stream) => void first.push({ payload, stream }));
    await subscribe(c.broker)(c.stream, (payload) => {
      second.push(payload);
      payload['n'] = 'changed by the second listener';
    });
    await subscribe(c.broker)(`${c.stream}-other`, (payload) => void elsewhere.push(payload));
    await c.broker.publish(c.stream, { n: 1, at: new Date(0) });
    const expected = { n: 1, at: '1970-01-01T00:00:00.000Z' };
    await eventually(() => expect(second).toHaveLength(1));
    expect(first).toEqual([{ payload: expected, stream: c.stream }]);
    expect(elsewhere).toEqual([]);
  });

  needs('stops pushing after unsubscribe; unsubscribing twice does nothing', async (c) => {
    const kept: JsonObject[] = [];
    const dropped: JsonObject[] = [];
    await subscribe(c.broker)(c.stream, (payload) => void kept.push(payload));
    const unsubscribe = await subscribe(c.broker)(
      c.stream,
      (payload) => void dropped.push(payload),
    );
    await c.broker.publish(c.stream, { n: 1 });
    await eventually(() => expect(dropped).toHaveLength(1));
    await unsubscribe();
    await unsubscribe();
    await c.broker.publish(c.stream, { n: 2 });
    await eventually(() => expect(kept).toEqual([{ n: 1 }, { n: 2 }]));
    expect(dropped).toEqual([{ n: 1 }]);
  });

  needs('reports a failing listener to onError and keeps pushing', async (c) => {
    const failures: unknown[] = [];
    const received: JsonObject[] = [];
    const onError = (error: unknown, payload: JsonObject, stream: string) =>
      void failures.push({ message: (error as Error).message, payload, stream });
    const failing = async () => Promise.reject(new Error('listener failed'));
    await subscribe(c.broker)(c.stream, failing, { onError });
    await subscribe(c.broker)(
      c.stream,
      () => {
        throw new Error('listener threw');
      },
      { onError },
    );
    await subscribe(c.broker)(c.stream, (payload) => void received.push(payload));
    await c.broker.publish(c.stream, { n: 1 });
    await c.broker.publish(c.stream, { n: 2 });
    await eventually(() => expect(received).toHaveLength(2));
    await eventually(() => expect(failures).toHaveLength(4));
    expect(failures).toContainEqual({
      message: 'listener threw',
      payload: { n: 2 },
      stream: c.stream,
    });
    expect(failures).toContainEqual({
      message: 'listener failed',
      payload: { n: 1 },
      stream: c.stream,
    });
  });
}

function subscribe(broker: Broker): NonNullable<Broker['subscribe']> {
  const method = broker.subscribe ?? expect.fail('capabilities.subscriptions, yet no subscribe()');
  return method.bind(broker);
}

/** Retries `check` until it passes, for at most `ms` (pushes arrive asynchronously). */
async function eventually(check: () => void, ms = 2_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    try {
      check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await sleep(10);
    }
  }
}
