import { describe, expect, it } from 'vitest';
import { createInlineBroker } from '../../src/adapters/memory/broker.js';
import { IncorrectUsageError } from '../../src/core/errors.js';
import {
  asDeadLetter,
  deadLetterId,
  deadLetterQueueOf,
  parseDeadLetterId,
} from '../../src/server/dead-letters.js';
import { deadLetter, deadLetterCases } from './dead-letters-cases.js';

describe('dead-letter operations on the inline broker', () => {
  deadLetterCases(async () => createInlineBroker());
});

describe('dead-letter ids', () => {
  it('joins the queue and the entry id with a slash, and splits at the last slash', () => {
    const id = deadLetterId('partners/payments:dlq', '1718000000000-3');
    expect(id).toBe('partners/payments:dlq/1718000000000-3');
    expect(parseDeadLetterId(id)).toEqual({
      deadLetterStream: 'partners/payments:dlq',
      entryId: '1718000000000-3',
    });
  });

  it.each(['1718000000000-0', 'bookshelf::book/1-0', 'bookshelf::book:dlq/latest', ':dlq/1-0'])(
    "refuses '%s', saying what an id looks like",
    (id) => {
      expect(() => parseDeadLetterId(id)).toThrow(IncorrectUsageError);
      expect(() => parseDeadLetterId(id)).toThrow(
        "e.g. 'bookshelf::book:dlq/1718000000000-0'; copy it from the ID column",
      );
    },
  );
});

describe('dead letters and subscriptions', () => {
  it('recognises what the consume loop writes, and nothing less', () => {
    const letter = deadLetter('shop::order', 'Notifier', 1);
    expect(asDeadLetter(letter)).toBe(letter);
    const { payload: _payload, ...withoutPayload } = letter;
    expect(asDeadLetter(withoutPayload)).toBeNull();
    expect(asDeadLetter({ ...letter, attempts: '3' })).toBeNull();
  });

  it("finds a stream or broker subscription's queue; an event_store one has none", () => {
    const stream = { name: 'Notifier@shop::order', handler: 'Notifier', stream: 'shop::order' };
    expect(deadLetterQueueOf({ ...stream, type: 'stream' })).toEqual({
      stream: 'shop::order',
      deadLetterStream: 'shop::order:dlq',
      group: 'Notifier',
    });
    expect(() => deadLetterQueueOf({ ...stream, type: 'event_store' })).toThrow(
      'Notifier@shop::order is an event_store subscription: it has no dead-letter queue',
    );
  });
});
