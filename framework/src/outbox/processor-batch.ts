/**
 * One claimed batch of the outbox processor: publish each row, then mark the successes published
 * in one fenced call and record each failure with the retry policy. Publishing comes before
 * marking, so a crash in between makes duplicates, never a loss: the outbox's guarantee is
 * at-least-once, and idempotent handlers absorb the duplicates.
 */
import type { Logger } from '../ports/logger.js';
import type { Broker } from '../ports/broker.js';
import type { ClaimedMessage, OutboxStore, RetryPolicy } from '../ports/outbox.js';
import type { Tracer } from '../ports/trace.js';
import type { Envelope } from '../core/envelope.js';
import { failpoint } from '../internal/failpoints.js';

/** What a batch needs from its processor. */
export interface BatchContext {
  readonly outbox: OutboxStore;
  readonly broker: Broker;
  readonly owner: string;
  readonly policy: RetryPolicy;
  readonly logger: Logger;
  readonly streamOf: (message: Envelope) => string;
  /** `now` for the marks: `undefined` lets the store use its own clock. */
  readonly now: () => Date | undefined;
  /** True once `close()` was called: rows not started yet are left for `releaseLeases()`. */
  readonly stopping: () => boolean;
  /** Where `outbox.published` and `outbox.failed` go. */
  readonly tracer: Tracer;
}

/** What one batch did. */
export interface BatchOutcome {
  /** Rows marked published. */
  published: number;
  /** Failed attempts that will be retried. */
  failed: number;
  /** Rows given up on this time (`max_attempts` reached). */
  abandoned: number;
  /** Rows whose mark the fence refused: their lease expired, another owner has them now. */
  leaseLost: number;
  /** Rows not started because the processor is closing (released by `close()`). */
  skipped: number;
}

interface Failure {
  readonly row: ClaimedMessage;
  readonly error: string;
}

/**
 * Publishes `rows` in order, then marks them; never throws for a broker failure (that row is
 * marked failed), only when the store fails.
 */
export async function processBatch(
  rows: readonly ClaimedMessage[],
  context: BatchContext,
): Promise<BatchOutcome> {
  const published: string[] = [];
  const failures: Failure[] = [];
  let skipped = 0;
  for (const row of rows) {
    if (context.stopping()) {
      skipped += 1;
      continue;
    }
    const error = await publishRow(row, context);
    if (error === undefined) published.push(row.id);
    else failures.push({ row, error });
  }
  failpoint('relay.before_mark');
  const outcome = { published: 0, failed: 0, abandoned: 0, leaseLost: 0, skipped };
  await markPublished(published, context, outcome);
  for (const failure of failures) await markFailed(failure, context, outcome);
  return outcome;
}

/** Publishes one row; resolves with the error's message when the broker refused it. */
async function publishRow(row: ClaimedMessage, context: BatchContext): Promise<string | undefined> {
  const { message } = row;
  let stream: string;
  let entryId: string;
  // Tracing costs one check while nobody listens: no event, no clock read.
  const began = context.tracer.on ? performance.now() : 0;
  try {
    stream = context.streamOf(message);
    entryId = await context.broker.publish(stream, message);
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  if (context.tracer.on) {
    const durationMs = began > 0 ? performance.now() - began : undefined;
    const { id: messageId, type: messageType } = message;
    const timing = durationMs === undefined ? {} : { durationMs };
    const published = { stream, entryId, messageId, messageType, attempts: row.attempts + 1 };
    context.tracer.emit({ event: 'outbox.published', ...published, ...timing });
  }
  failpoint('relay.after_publish');
  context.logger.debug('outbox message published', {
    ...fields(row, context),
    stream,
    entryId,
  });
  return undefined;
}

async function markPublished(
  ids: readonly string[],
  context: BatchContext,
  outcome: BatchOutcome,
): Promise<void> {
  if (ids.length === 0) return;
  const marked = await context.outbox.markPublished(ids, context.owner, { now: context.now() });
  outcome.published = marked;
  if (marked === ids.length) return;
  outcome.leaseLost += ids.length - marked;
  context.logger.warn('outbox lease lost before the mark: those rows will be published again', {
    owner: context.owner,
    published: ids.length,
    marked,
  });
}

async function markFailed(
  { row, error }: Failure,
  context: BatchContext,
  outcome: BatchOutcome,
): Promise<void> {
  const { outbox, owner, policy, logger } = context;
  const result = await outbox.markFailed(row.id, owner, error, policy, { now: context.now() });
  if (result !== undefined && context.tracer.on) {
    const { id: messageId, type: messageType } = row.message;
    const { status, attempts } = result;
    context.tracer.emit({
      event: 'outbox.failed',
      messageId,
      messageType,
      status,
      attempts,
      error,
    });
  }
  if (result === undefined) {
    outcome.leaseLost += 1;
    logger.warn('outbox publish failed and the lease was lost', { ...fields(row, context), error });
  } else if (result.status === 'failed') {
    outcome.failed += 1;
    const { attempts, nextRetryAt } = result;
    logger.warn('outbox publish failed; will retry', {
      ...fields(row, context),
      error,
      attempts,
      nextRetryAt: nextRetryAt.toISOString(),
    });
  } else {
    outcome.abandoned += 1;
    const { attempts } = result;
    logger.warn('outbox message abandoned', { ...fields(row, context), error, attempts });
  }
}

function fields(row: ClaimedMessage, context: BatchContext): Record<string, unknown> {
  const { id, type } = row.message;
  return { owner: context.owner, row: row.id, messageId: id, type };
}
