/**
 * The consume loop of a consumer group, shared by the `stream` and `broker` subscriptions: own
 * pending entries first, then new ones; dead consumers' entries claimed; retries counted by the
 * broker's delivery counter; dead letters written before the source is acknowledged; a lost group
 * recreated; an unreachable broker waited out. What an entry means is the `process` function's job.
 */
import { streams } from '../../core/envelope.js';
import { IncorrectUsageError } from '../../core/errors.js';
import type { ResolvedStreamSubscription } from '../../config/profiles.js';
import { BrokerUnavailableError, NoGroupError } from '../../ports/broker.js';
import type { Broker, BrokerEntry, JsonObject } from '../../ports/broker.js';
import type { Logger } from '../../ports/logger.js';
import { messageFields, NO_TRACER } from '../../ports/trace.js';
import type { TraceFields, Tracer } from '../../ports/trace.js';
import { failpoint } from '../../internal/failpoints.js';
import { Backoff } from './clock.js';
import type { Clock } from './clock.js';
import { MalformedMessageError } from './dead-letter.js';
import type { DeadLetter } from './dead-letter.js';
import { errorFields } from './settings.js';

/** The settings a consume loop reads (from `resolveSubscriptionOptions`). */
export type ConsumeSettings = Pick<
  ResolvedStreamSubscription,
  | 'messages_per_tick'
  | 'tick_interval'
  | 'blocking_timeout_ms'
  | 'max_retries'
  | 'retry_delay_seconds'
  | 'enable_dlq'
  | 'claim_idle_ms'
>;

/** What a {@link ConsumeLoop} is built from. */
export interface ConsumeLoopInit {
  /** Names the subscription in log lines. */
  name: string;
  broker: Broker;
  stream: string;
  group: string;
  consumer: string;
  settings: ConsumeSettings;
  /**
   * Handles one payload. Throwing fails the delivery: the entry is retried, or dead-lettered
   * once its deliveries reach `max_retries`; a {@link MalformedMessageError} dead-letters it at once.
   * Resolving with `false` says the entry was not for this handler (acknowledged unhandled).
   */
  process(payload: JsonObject): Promise<boolean | void>;
  logger: Logger;
  clock: Clock;
  /** Sleeps, waking early when the subscription closes. */
  sleep(ms: number): Promise<void>;
  /** Where trace events go. @defaultValue none */
  tracer?: Tracer;
}

/** What a {@link ConsumeLoop} has done so far. */
export interface ConsumeCounters {
  readonly processed: number;
  readonly failed: number;
  readonly deadLettered: number;
  readonly lastId?: string;
}

const NO_CURSOR = '0-0';

/**
 * One consumer of one group on one stream. `open()` creates the group if missing; each `cycle()`
 * claims idle entries of dead consumers when due (every `claim_idle_ms / 2`, carrying the
 * XAUTOCLAIM cursor over cycles until the scan ends), re-reads its own pending entries when some
 * are waiting for a retry (`retry_delay_seconds` after the failure), then reads new entries.
 */
export class ConsumeLoop {
  readonly #init: ConsumeLoopInit;
  readonly #backoff = new Backoff();
  /** Own pending entries may be waiting (at start, after a failure, after broker trouble). */
  #ownPending = true;
  #retryAt = 0;
  #claimCursor = NO_CURSOR;
  #lastClaimScan = Number.NEGATIVE_INFINITY;
  #processed = 0;
  #failed = 0;
  #deadLettered = 0;
  #lastId: string | undefined;
  readonly #tracer: Tracer;

  constructor(init: ConsumeLoopInit) {
    if (!init.broker.capabilities.consumerGroups || !init.broker.capabilities.acknowledgement) {
      throw new IncorrectUsageError(
        `${init.name}: the ${init.broker.provider} broker has no consumer groups with ` +
          'acknowledgement, which a stream or broker subscription needs (at-least-once); use a ' +
          '"redis" or "inline" broker for it.',
      );
    }
    this.#init = init;
    this.#tracer = init.tracer ?? NO_TRACER;
  }

  /** Entries handled, failed deliveries, dead letters written, and the last id acknowledged. */
  get counters(): ConsumeCounters {
    const counters = {
      processed: this.#processed,
      failed: this.#failed,
      deadLettered: this.#deadLettered,
    };
    return this.#lastId === undefined ? counters : { ...counters, lastId: this.#lastId };
  }

  /** Creates the group (from the start of the stream) if missing; own pending entries come first. */
  async open(): Promise<void> {
    const { broker, stream, group } = this.#init;
    const created = await broker.ensureGroup(stream, group);
    this.#ownPending = true;
    this.#retryAt = 0;
    this.#log('debug', created ? 'consumer group created' : 'consumer group joined');
  }

  /**
   * One cycle; resolves with the entries it consumed (handled, failed or dropped). `blocking`
   * waits up to `blocking_timeout_ms` for new entries when there was nothing else to do; not
   * blocking, it still waits for a pending retry to come due rather than report no work.
   */
  async cycle(blocking: boolean): Promise<number> {
    try {
      const consumed = await this.#steps(blocking);
      this.#backoff.reset();
      return consumed;
    } catch (error) {
      await this.#recover(error);
      return 0;
    }
  }

  async #steps(blocking: boolean): Promise<number> {
    let consumed = this.#claimDue() ? await this.#claim() : 0;
    if (this.#ownPending) {
      const wait = this.#untilRetry();
      if (!blocking && consumed === 0 && wait > 0) await this.#init.sleep(wait);
      if (this.#untilRetry() === 0) consumed += await this.#readOwnPending();
    }
    const blockMs = !blocking || consumed > 0 ? 0 : this.#blockMs();
    return consumed + (await this.#readNew(blockMs));
  }

  #untilRetry(): number {
    return Math.max(0, this.#retryAt - this.#init.clock.now());
  }

  #blockMs(): number {
    const { blocking_timeout_ms } = this.#init.settings;
    return this.#ownPending
      ? Math.min(blocking_timeout_ms, this.#untilRetry())
      : blocking_timeout_ms;
  }

  async #readOwnPending(): Promise<number> {
    const { broker, stream, group, consumer, settings } = this.#init;
    const count = settings.messages_per_tick;
    const entries = await broker.readGroup(stream, group, consumer, { pending: true, count });
    this.#ownPending = entries.length >= count;
    for (const entry of entries) await this.#deliver(entry);
    return entries.length;
  }

  async #readNew(blockMs: number): Promise<number> {
    const { broker, stream, group, consumer, settings } = this.#init;
    const count = settings.messages_per_tick;
    const entries = await broker.readGroup(stream, group, consumer, { count, blockMs });
    for (const entry of entries) await this.#deliver(entry);
    return entries.length;
  }

  #claimDue(): boolean {
    if (!this.#init.broker.capabilities.claiming) return false;
    if (this.#claimCursor !== NO_CURSOR) return true;
    return this.#init.clock.now() - this.#lastClaimScan >= this.#init.settings.claim_idle_ms / 2;
  }

  /** One XAUTOCLAIM step from the cursor; the scan restarts `claim_idle_ms / 2` after it ends. */
  async #claim(): Promise<number> {
    const { broker, stream, group, consumer, settings } = this.#init;
    const { nextCursor, entries, deleted } = await broker.claim(stream, group, consumer, {
      minIdleMs: settings.claim_idle_ms,
      cursor: this.#claimCursor,
      count: settings.messages_per_tick,
    });
    this.#claimCursor = nextCursor;
    if (nextCursor === NO_CURSOR) this.#lastClaimScan = this.#init.clock.now();
    if (deleted.length > 0) this.#log('warn', 'claimed entries were trimmed away', { deleted });
    if (entries.length > 0) {
      const ids = entries.map((entry) => entry.id);
      this.#log('info', 'claimed entries of an idle consumer', { ids });
    }
    for (const entry of entries) await this.#deliver(entry);
    return entries.length + deleted.length;
  }

  async #deliver(entry: BrokerEntry): Promise<void> {
    if (entry.payload === null) {
      this.#log('warn', 'pending entry was trimmed away; acknowledging it', { entryId: entry.id });
      await this.#ack(entry);
      return;
    }
    // Tracing costs one check per step while nobody listens: no event, no clock read.
    const began = this.#tracer.on ? this.#trace('handler.started', entry) : undefined;
    let handled: boolean | void;
    try {
      handled = await this.#init.process(entry.payload);
    } catch (error) {
      if (this.#tracer.on) this.#traceFailure(entry, began, error);
      await this.#deliveryFailed(entry, entry.payload, error);
      return;
    }
    if (this.#tracer.on) this.#trace('handler.completed', entry, began, handled === false);
    failpoint('consumer.after_handle_before_ack');
    await this.#ack(entry);
    if (this.#tracer.on) this.#trace('message.acked', entry);
    this.#processed += 1;
  }

  /** Emits `event` about `entry`; resolves with the time now, to measure from. */
  #trace(event: TraceFields['event'], entry: BrokerEntry, began?: number, skipped = false): number {
    const now = performance.now();
    this.#tracer.emit({
      event,
      ...this.#entryTrace(entry),
      ...(began === undefined ? {} : { durationMs: now - began }),
      ...(skipped ? { skipped } : {}),
    });
    return now;
  }

  #traceFailure(entry: BrokerEntry, began: number | undefined, error: unknown): void {
    const durationMs = began === undefined ? undefined : performance.now() - began;
    this.#tracer.emit({
      event: 'handler.failed',
      ...this.#entryTrace(entry),
      ...(durationMs === undefined ? {} : { durationMs }),
      error: errorFields(error).error,
    });
  }

  #entryTrace(entry: BrokerEntry): Omit<TraceFields, 'event'> {
    const { name, stream, group } = this.#init;
    return {
      stream,
      subscription: name,
      handler: group,
      entryId: entry.id,
      attempts: entry.deliveries,
      ...(entry.payload ? messageFields(entry.payload) : {}),
    };
  }

  async #deliveryFailed(entry: BrokerEntry, payload: JsonObject, error: unknown): Promise<void> {
    this.#failed += 1;
    const { max_retries, retry_delay_seconds } = this.#init.settings;
    if (error instanceof MalformedMessageError || entry.deliveries >= max_retries) {
      await this.#giveUp(entry, payload, error);
      return;
    }
    this.#ownPending = true;
    this.#retryAt = this.#init.clock.now() + retry_delay_seconds * 1000;
    if (this.#tracer.on) {
      const { error: reason } = errorFields(error);
      this.#tracer.emit({ event: 'message.nacked', ...this.#entryTrace(entry), error: reason });
    }
    this.#log('warn', 'delivery failed; the entry stays pending for a retry', {
      ...entryFields(entry),
      maxRetries: max_retries,
      ...errorFields(error),
    });
  }

  /** Dead letter first, acknowledgement after: a crash in between duplicates, never loses. */
  async #giveUp(entry: BrokerEntry, payload: JsonObject, error: unknown): Promise<void> {
    const fields = { ...entryFields(entry), ...errorFields(error) };
    if (!this.#init.settings.enable_dlq) {
      await this.#ack(entry);
      this.#log('error', 'delivery failed for the last time; dropped (enable_dlq = false)', fields);
      return;
    }
    const deadLetterStream = streams.deadLetter(this.#init.stream);
    await this.#init.broker.publish(deadLetterStream, this.#deadLetter(entry, payload, error));
    this.#deadLettered += 1;
    failpoint('consumer.after_dlq_before_ack');
    await this.#ack(entry);
    if (this.#tracer.on) {
      const { error: reason } = errorFields(error);
      this.#tracer.emit({ event: 'message.dlq', ...this.#entryTrace(entry), error: reason });
    }
    this.#log('error', 'delivery failed for the last time; moved to the dead-letter queue', {
      ...fields,
      deadLetterStream,
    });
  }

  #deadLetter(entry: BrokerEntry, payload: JsonObject, error: unknown): DeadLetter {
    const { stream, group, consumer, clock } = this.#init;
    return {
      stream,
      id: entry.id,
      group,
      consumer,
      ...errorFields(error),
      failedAt: new Date(clock.now()).toISOString(),
      attempts: entry.deliveries,
      payload,
    };
  }

  async #ack(entry: BrokerEntry): Promise<void> {
    const { broker, stream, group } = this.#init;
    await broker.ack(stream, group, [entry.id]);
    this.#lastId = entry.id;
  }

  /** A lost group is recreated, an unreachable broker waited out; anything else crashes the loop. */
  async #recover(error: unknown): Promise<void> {
    // Whatever happened, entries may be pending for this consumer: re-read them first, also
    // after a crash, when the supervisor runs the loop again.
    this.#ownPending = true;
    this.#retryAt = 0;
    const unavailable = error instanceof BrokerUnavailableError;
    if (!unavailable && !(error instanceof NoGroupError)) throw error;
    const backoffMs = this.#backoff.next();
    if (unavailable) {
      this.#log('error', 'broker unavailable; backing off', { backoffMs, ...errorFields(error) });
      await this.#init.sleep(backoffMs);
      return;
    }
    this.#log('warn', 'consumer group is missing (did the broker restart empty?); recreating it', {
      backoffMs,
    });
    await this.#init.sleep(backoffMs);
    this.#claimCursor = NO_CURSOR;
    await this.#init.broker.ensureGroup(this.#init.stream, this.#init.group).catch((cause) => {
      if (!(cause instanceof BrokerUnavailableError)) throw cause;
      this.#log('error', 'could not recreate the consumer group yet', errorFields(cause));
    });
  }

  #log(
    level: 'debug' | 'info' | 'warn' | 'error',
    message: string,
    fields: Record<string, unknown> = {},
  ): void {
    const { name, stream, group, consumer } = this.#init;
    this.#init.logger[level](message, { subscription: name, stream, group, consumer, ...fields });
  }
}

function entryFields(entry: BrokerEntry): Record<string, unknown> {
  return { entryId: entry.id, deliveries: entry.deliveries };
}
