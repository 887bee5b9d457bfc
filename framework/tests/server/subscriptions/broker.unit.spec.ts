import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createInlineBroker } from '../../../src/adapter.js';
import type { JsonObject } from '../../../src/ports/broker.js';
import { BrokerSubscription } from '../../../src/server/subscriptions/index.js';
import { drain, readAll, recordingLogger, streamSettings } from './helpers.js';

const PAYMENTS = 'payments';

describe('the broker subscription (subscribers of external streams)', () => {
  let broker = createInlineBroker();
  let subscription: BrokerSubscription | undefined;
  beforeEach(async () => {
    broker = createInlineBroker();
    await broker.start();
  });
  afterEach(async () => {
    await subscription?.close();
    await broker.close();
  });

  function subscribe(handle: (payload: JsonObject) => Promise<void>): BrokerSubscription {
    subscription = new BrokerSubscription({
      handler: 'PaymentsSubscriber',
      stream: PAYMENTS,
      broker,
      handle,
      settings: streamSettings({ max_retries: 2, retry_delay_seconds: 0 }),
      logger: recordingLogger().logger,
      consumer: 'payments-1',
    });
    return subscription;
  }

  it('hands the raw payloads to the handler and acknowledges them', async () => {
    await broker.publish(PAYMENTS, { orderId: '7', amount: 5 });
    const received: JsonObject[] = [];
    const sub = subscribe(async (payload) => void received.push(payload));

    expect(await drain(sub)).toEqual([1]);

    expect(received).toEqual([{ orderId: '7', amount: 5 }]);
    expect(await broker.pending(PAYMENTS, 'PaymentsSubscriber')).toEqual([]);
    expect(sub.status()).toMatchObject({
      type: 'broker',
      handler: 'PaymentsSubscriber',
      processed: 1,
    });
  });

  it('dead-letters a payload its handler keeps rejecting, after max_retries deliveries', async () => {
    await broker.publish(PAYMENTS, { orderId: 'unknown' });
    const sub = subscribe(async () => {
      throw new Error('no such order');
    });

    expect(await drain(sub)).toEqual([1, 1]);

    expect(await readAll(broker, `${PAYMENTS}:dlq`)).toMatchObject([
      { stream: PAYMENTS, group: 'PaymentsSubscriber', error: 'no such order', attempts: 2 },
    ]);
    expect(await broker.pending(PAYMENTS, 'PaymentsSubscriber')).toEqual([]);
  });
});
