/**
 * Checks and small computations shared by every OutboxStore adapter, so all of them reject the
 * same input with the same message and schedule retries the same way.
 */
import type { Envelope } from '../../core/envelope.js';
import type {
  OutboxClaimOptions,
  FailureOutcome,
  ListOptions,
  OutboxCleanupOptions,
  RetryPolicy,
} from '../outbox.js';
import { expects, show } from './usage.js';

const usage: (expectation: string) => never = expects('The outbox');

/** The broker rows go to when `enqueue()` names none. */
export const DEFAULT_BROKER = 'default';

/** Rows deleted per statement by `cleanup()` when no `batchSize` is given. */
export const DEFAULT_CLEANUP_BATCH = 1000;

/** Rows `listAbandoned()` returns when no `limit` is given. */
export const DEFAULT_LIST_LIMIT = 100;

const HOUR_MS = 3_600_000;

/** {@link OutboxClaimOptions}, checked; `now` stays `undefined` when not given. */
export type CheckedClaim = Required<
  Pick<OutboxClaimOptions, 'owner' | 'limit' | 'leaseSeconds'>
> & {
  now: Date | undefined;
};

/** Checks the options of `claim()`. */
export function claimOptions(options: OutboxClaimOptions): CheckedClaim {
  const { owner, limit, leaseSeconds, now } = options;
  checkOwner(owner);
  if (!Number.isInteger(limit) || limit < 1)
    usage(`limit to be an integer >= 1, received ${limit}`);
  if (!(Number.isFinite(leaseSeconds) && leaseSeconds > 0))
    usage(`leaseSeconds to be a number > 0, received ${leaseSeconds}`);
  return { owner, limit, leaseSeconds, now: checkNow(now) };
}

/** Throws unless `owner` is a non-empty string. */
export function checkOwner(owner: unknown): asserts owner is string {
  if (typeof owner !== 'string' || owner === '')
    usage(`an owner (a processor's unique name), received ${show(owner)}`);
}

/** Throws unless `now` is `undefined` or a valid `Date`; returns it. */
export function checkNow(now: Date | undefined): Date | undefined {
  if (now === undefined || (now instanceof Date && !Number.isNaN(now.getTime()))) return now;
  return usage(`now to be a valid Date, received ${show(now)}`);
}

/** The broker named by `enqueue()`'s options, or `'default'`. */
export function brokerOf(options: { broker?: string | undefined }): string {
  const { broker = DEFAULT_BROKER } = options;
  if (typeof broker !== 'string' || broker === '')
    usage(`a broker name such as 'default', received ${show(broker)}`);
  return broker;
}

/** Each message as JSON text; throws before anything is written when one is not JSON. */
export function serializeMessages(messages: readonly Envelope[]): string[] {
  return messages.map((message) => {
    try {
      return JSON.stringify(message);
    } catch (error) {
      return usage(
        `messages that are JSON values; message '${message.id}' is not (${String(error)})`,
      );
    }
  });
}

/** The end of a lease of `leaseSeconds` taken at `now`. */
export function leaseEnd(now: Date, leaseSeconds: number): Date {
  return new Date(now.getTime() + leaseSeconds * 1000);
}

/**
 * What a failed attempt does to a row that had failed `attemptsBefore` times: abandon it, or
 * schedule the next attempt after the policy's delay.
 */
export function failureOutcome(
  policy: RetryPolicy,
  attemptsBefore: number,
  now: Date,
): FailureOutcome {
  const attempts = attemptsBefore + 1;
  if (policy.shouldAbandon(attempts)) return { status: 'abandoned', attempts };
  const delay = policy.delaySeconds(attemptsBefore);
  return { status: 'failed', attempts, nextRetryAt: new Date(now.getTime() + delay * 1000) };
}

/** {@link OutboxCleanupOptions}, checked and with the default batch size. */
export type CheckedCleanup = Required<Omit<OutboxCleanupOptions, 'now'>> & {
  now: Date | undefined;
};

/** Checks the options of `cleanup()`. */
export function cleanupOptions(options: OutboxCleanupOptions): CheckedCleanup {
  const { publishedRetentionHours, abandonedRetentionHours } = options;
  checkHours('publishedRetentionHours', publishedRetentionHours);
  checkHours('abandonedRetentionHours', abandonedRetentionHours);
  const batchSize = checkBatchSize(options.batchSize);
  return {
    publishedRetentionHours,
    abandonedRetentionHours,
    batchSize,
    now: checkNow(options.now),
  };
}

/** The instant `hours` before `now`: rows finished before it are past their retention. */
export function retentionCutoff(now: Date, hours: number): Date {
  return new Date(now.getTime() - hours * HOUR_MS);
}

/** Checks a batch size (an integer >= 1), or gives the default. */
export function checkBatchSize(batchSize: number | undefined): number {
  if (batchSize === undefined) return DEFAULT_CLEANUP_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1)
    usage(`batchSize to be an integer >= 1, received ${batchSize}`);
  return batchSize;
}

/** Checks a retention in hours (> 0). */
export function checkHours(name: string, hours: number): void {
  if (!(Number.isFinite(hours) && hours > 0))
    usage(`${name} to be a number > 0, received ${hours}`);
}

/** The limit of `listAbandoned()`, checked, or the default. */
export function listLimit(options: ListOptions = {}): number {
  const { limit = DEFAULT_LIST_LIMIT } = options;
  if (!Number.isInteger(limit) || limit < 1)
    usage(`limit to be an integer >= 1, received ${limit}`);
  return limit;
}
