import { describe, expect, it } from 'vitest';
import type { OutboxRetryConfig } from '../../src/config/types.js';
import { backoffSeconds, createRetryPolicy, jittered } from '../../src/outbox/retry.js';
import { failureOutcome } from '../../src/ports/checks/outbox.js';

/** The defaults of `[outbox.retry]`. */
const defaults: OutboxRetryConfig = {
  max_attempts: 3,
  base_delay_seconds: 1,
  backoff_multiplier: 2,
  max_backoff_seconds: 60,
  jitter: true,
  jitter_factor: 0.25,
};
const exact = { ...defaults, jitter: false };

describe('the outbox retry schedule', () => {
  it('doubles from the base delay and caps at max_backoff_seconds', () => {
    const policy = createRetryPolicy(exact);
    const delays = [0, 1, 2, 3, 4, 5, 6, 7, 50, 2000].map((n) => policy.delaySeconds(n));
    expect(delays).toEqual([1, 2, 4, 8, 16, 32, 60, 60, 60, 60]);
  });

  it('follows another multiplier and base exactly', () => {
    const config = {
      ...exact,
      base_delay_seconds: 0.5,
      backoff_multiplier: 3,
      max_backoff_seconds: 10,
    };
    expect([0, 1, 2, 3].map((n) => backoffSeconds(config, n))).toEqual([0.5, 1.5, 4.5, 10]);
    expect(backoffSeconds({ ...config, base_delay_seconds: 0 }, 5000)).toBe(0);
  });

  it('spreads the delay by +/- jitter_factor when jitter is on', () => {
    const at = (u: number) => createRetryPolicy(defaults, { random: () => u }).delaySeconds(3);
    expect(at(0)).toBe(6);
    expect(at(0.25)).toBe(7);
    expect(at(0.5)).toBe(8);
    expect(at(0.75)).toBe(9);
    expect(at(0.999_999)).toBeCloseTo(10, 4);
    expect(jittered(60, 0.25, () => 0)).toBe(45);
    expect(jittered(4, 1, () => 0)).toBe(0);
  });

  it('draws a fresh random number per delay, within the bounds', () => {
    const draws = [0.1, 0.9];
    const policy = createRetryPolicy(defaults, { random: () => draws.shift() ?? 0.5 });
    expect(policy.delaySeconds(2)).toBeCloseTo(3.2, 10);
    expect(policy.delaySeconds(2)).toBeCloseTo(4.8, 10);
    const sampled = createRetryPolicy(defaults);
    for (let n = 0; n < 200; n += 1) {
      const delay = sampled.delaySeconds(n % 8);
      const base = Math.min(2 ** (n % 8), 60);
      expect(delay).toBeGreaterThanOrEqual(base * 0.75);
      expect(delay).toBeLessThanOrEqual(base * 1.25);
    }
  });

  it('abandons once max_attempts attempts have failed', () => {
    const policy = createRetryPolicy(exact);
    expect([1, 2, 3, 4].map((attempts) => policy.shouldAbandon(attempts))).toEqual([
      false,
      false,
      true,
      true,
    ]);
    expect(policy.maxAttempts).toBe(3);
    expect(createRetryPolicy({ ...exact, max_attempts: 1 }).shouldAbandon(1)).toBe(true);
  });

  it("turns a failure into the row's next state: 1 s, 2 s, then abandoned", () => {
    const policy = createRetryPolicy(exact);
    const now = new Date('2030-01-01T00:00:00.000Z');
    const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);
    expect(failureOutcome(policy, 0, now)).toEqual({
      status: 'failed',
      attempts: 1,
      nextRetryAt: later(1),
    });
    expect(failureOutcome(policy, 1, now)).toEqual({
      status: 'failed',
      attempts: 2,
      nextRetryAt: later(2),
    });
    expect(failureOutcome(policy, 2, now)).toEqual({ status: 'abandoned', attempts: 3 });
  });

  it('rejects a policy it cannot follow, naming every bad key', () => {
    const bad = { ...defaults, max_attempts: 0, backoff_multiplier: 0.5, jitter_factor: 2 };
    expect(() => createRetryPolicy(bad)).toThrow(
      'The outbox retry policy is invalid: max_attempts must be an integer >= 1, received 0; ' +
        'backoff_multiplier must be >= 1, received 0.5; ' +
        'jitter_factor must be between 0 and 1, received 2.',
    );
    const policy = createRetryPolicy(exact);
    expect(() => policy.delaySeconds(-1)).toThrow(/n to be an integer >= 0, received -1/);
    expect(() => policy.shouldAbandon(1.5)).toThrow(/attempts to be an integer >= 0/);
  });
});
