/**
 * The outbox's retry schedule (`[outbox.retry]` of domain.toml): after `n` failed attempts the
 * next one waits `min(base * multiplier^n, max_backoff)`, +/- `jitter_factor` of that when
 * `jitter = true`; a message is abandoned once it has failed `max_attempts` times.
 */
import { IncorrectUsageError } from '../core/errors.js';
import type { OutboxRetryConfig } from '../config/types.js';
import type { RetryPolicy } from '../ports/outbox.js';

/** Options of {@link createRetryPolicy}. */
export interface RetryPolicyOptions {
  /** A uniform number in [0, 1), for the jitter. @defaultValue `Math.random` */
  random?: () => number;
}

/**
 * The delay before the next attempt after `n` failed ones, without jitter:
 * `min(base_delay_seconds * backoff_multiplier^n, max_backoff_seconds)`.
 *
 * @example
 * const retry = { base_delay_seconds: 1, backoff_multiplier: 2, max_backoff_seconds: 60 };
 * backoffSeconds(retry, 0); // 1
 * backoffSeconds(retry, 3); // 8
 * backoffSeconds(retry, 10); // 60 (capped)
 */
export function backoffSeconds(
  config: Pick<
    OutboxRetryConfig,
    'base_delay_seconds' | 'backoff_multiplier' | 'max_backoff_seconds'
  >,
  n: number,
): number {
  const { base_delay_seconds: base, backoff_multiplier: multiplier } = config;
  // 0 * Infinity would be NaN once multiplier^n overflows.
  const raw = base === 0 ? 0 : base * multiplier ** n;
  return Math.min(raw, config.max_backoff_seconds);
}

/**
 * Spreads `delay` uniformly over `delay * (1 - factor)` .. `delay * (1 + factor)`, so processors
 * that failed together do not retry together. `random()` of 0 gives the low end, 0.5 the delay.
 */
export function jittered(delay: number, factor: number, random: () => number): number {
  return Math.max(0, delay * (1 + factor * (2 * random() - 1)));
}

/**
 * The retry policy of `[outbox.retry]`, checked once here. `delaySeconds(n)` is the wait after `n`
 * earlier failed attempts (so the first retry waits `base_delay_seconds`), jittered when
 * `jitter = true`; `shouldAbandon(attempts)` is true from `max_attempts` failed attempts on.
 *
 * @example
 * const policy = createRetryPolicy(domain.config.outbox.retry);
 * await outbox.markFailed(row.id, owner, String(error), policy);
 *
 * const exact = createRetryPolicy({ ...retry, jitter: false });
 * exact.delaySeconds(0); // 1, then 2, 4, 8, ... up to 60
 * exact.shouldAbandon(3); // true with max_attempts = 3
 */
export function createRetryPolicy(
  config: OutboxRetryConfig,
  options: RetryPolicyOptions = {},
): RetryPolicy {
  checkRetryConfig(config);
  const { random = Math.random } = options;
  return {
    maxAttempts: config.max_attempts,
    delaySeconds(n) {
      checkCount('n', n);
      const delay = backoffSeconds(config, n);
      return config.jitter ? jittered(delay, config.jitter_factor, random) : delay;
    },
    shouldAbandon(attempts) {
      checkCount('attempts', attempts);
      return attempts >= config.max_attempts;
    },
  };
}

function checkRetryConfig(config: OutboxRetryConfig): void {
  const problems: string[] = [];
  const { max_attempts, base_delay_seconds, backoff_multiplier, max_backoff_seconds } = config;
  if (!Number.isInteger(max_attempts) || max_attempts < 1)
    problems.push(`max_attempts must be an integer >= 1, received ${max_attempts}`);
  if (!(base_delay_seconds >= 0))
    problems.push(`base_delay_seconds must be >= 0, received ${base_delay_seconds}`);
  if (!(backoff_multiplier >= 1))
    problems.push(`backoff_multiplier must be >= 1, received ${backoff_multiplier}`);
  if (!(max_backoff_seconds > 0))
    problems.push(`max_backoff_seconds must be > 0, received ${max_backoff_seconds}`);
  if (!(config.jitter_factor >= 0 && config.jitter_factor <= 1))
    problems.push(`jitter_factor must be between 0 and 1, received ${config.jitter_factor}`);
  if (problems.length > 0)
    throw new IncorrectUsageError(`The outbox retry policy is invalid: ${problems.join('; ')}.`);
}

function checkCount(name: string, value: number): void {
  if (Number.isInteger(value) && value >= 0) return;
  throw new IncorrectUsageError(
    `The outbox retry policy expects ${name} to be an integer >= 0, received ${value}.`,
  );
}
