/**
 * The options of the outbox processor, their defaults, and the checks they pass once, where the
 * processor is built.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { OutboxConfig } from '../config/types.js';
import { categoryOf, type Envelope } from '../core/envelope.js';
import { IncorrectUsageError } from '../core/errors.js';
import type { Broker } from '../ports/broker.js';
import type { Logger } from '../ports/logger.js';
import type { OutboxStore } from '../ports/outbox.js';
import { NO_TRACER, type Tracer } from '../ports/trace.js';
import { abortableSleep, type Sleep } from './processor-timing.js';

const SILENT: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/** How often the processor's loop deletes finished rows past their retention, by default. */
export const DEFAULT_CLEANUP_INTERVAL_SECONDS = 60;

/** Options of `new OutboxProcessor(...)`. */
export interface OutboxProcessorOptions {
  /** The outbox to drain (started by its owner, e.g. `domain.init()`). */
  outbox: OutboxStore;
  /** The broker to publish to (started by its owner). */
  broker: Broker;
  /** `[outbox]` of domain.toml: `domain.config.outbox`. */
  config: OutboxConfig;
  /** This processor's unique name, written on the rows it leases; see {@link processorOwner}. */
  owner: string;
  /**
   * Batch summaries at info, retries and abandons at warn, store outages at error, each message
   * at debug. @defaultValue a silent logger (the engine passes its own)
   */
  logger?: Logger | undefined;
  /**
   * The clock, in epoch milliseconds, passed as `now` to every outbox call, so tests move time
   * instead of sleeping. Left out, the store uses its own clock (PostgreSQL: the server's `now()`,
   * the same for every processor, which the lease fence relies on). @defaultValue the store's clock
   */
  clock?: (() => number) | undefined;
  /** A uniform number in [0, 1) for the retry jitter. @defaultValue `Math.random` */
  random?: (() => number) | undefined;
  /**
   * The broker stream a message goes to.
   * @defaultValue the category of its stream (`bookshelf::book-42` -> `bookshelf::book`)
   */
  streamOf?: ((message: Envelope) => string) | undefined;
  /** How the loop waits between ticks. @defaultValue a timer `wake()` and `close()` cut short */
  sleep?: Sleep | undefined;
  /** Seconds between the loop's cleanups of finished rows; 0 turns them off. @defaultValue 60 */
  cleanupIntervalSeconds?: number | undefined;
  /** Where `outbox.published` and `outbox.failed` trace events go. @defaultValue none */
  tracer?: Tracer | undefined;
}

/** The options with every default filled in, checked. */
export interface ProcessorSettings {
  readonly outbox: OutboxStore;
  readonly broker: Broker;
  readonly config: OutboxConfig;
  readonly owner: string;
  readonly logger: Logger;
  /** The injected clock, if any: `now` for the store is `undefined` without one. */
  readonly clock: (() => number) | undefined;
  readonly random: () => number;
  readonly streamOf: (message: Envelope) => string;
  readonly sleep: Sleep;
  readonly cleanupIntervalMs: number;
  readonly tracer: Tracer;
}

/** The default stream of a message: its stream's category. */
export function categoryStream(message: Envelope): string {
  return categoryOf(message.stream);
}

/** A processor name unique across hosts, processes and restarts: `outbox-<host>-<pid>-<random>`. */
export function processorOwner(prefix = 'outbox'): string {
  return `${prefix}-${hostname()}-${process.pid}-${randomUUID().slice(0, 8)}`;
}

/**
 * Fills in the defaults and checks the options once; throws an `IncorrectUsageError` listing
 * every problem.
 */
export function processorSettings(options: OutboxProcessorOptions): ProcessorSettings {
  const { cleanupIntervalSeconds = DEFAULT_CLEANUP_INTERVAL_SECONDS } = options;
  const problems = [...configProblems(options.config)];
  if (typeof options.owner !== 'string' || options.owner === '')
    problems.push(`owner must be a non-empty string, received ${String(options.owner)}`);
  if (!(Number.isFinite(cleanupIntervalSeconds) && cleanupIntervalSeconds >= 0))
    problems.push(`cleanupIntervalSeconds must be >= 0, received ${cleanupIntervalSeconds}`);
  if (problems.length > 0)
    throw new IncorrectUsageError(
      `The outbox processor's options are invalid: ${problems.join('; ')}.`,
    );
  return {
    outbox: options.outbox,
    broker: options.broker,
    config: options.config,
    owner: options.owner,
    logger: options.logger ?? SILENT,
    clock: options.clock,
    random: options.random ?? Math.random,
    streamOf: options.streamOf ?? categoryStream,
    sleep: options.sleep ?? abortableSleep,
    cleanupIntervalMs: cleanupIntervalSeconds * 1000,
    tracer: options.tracer ?? NO_TRACER,
  };
}

function configProblems(config: OutboxConfig): string[] {
  const problems: string[] = [];
  const { messages_per_tick, tick_interval, max_tick_interval, lock_seconds } = config;
  if (!Number.isInteger(messages_per_tick) || messages_per_tick < 1)
    problems.push(`messages_per_tick must be an integer >= 1, received ${messages_per_tick}`);
  if (!(Number.isFinite(tick_interval) && tick_interval >= 0))
    problems.push(`tick_interval must be >= 0 seconds, received ${tick_interval}`);
  if (!(Number.isFinite(max_tick_interval) && max_tick_interval > 0))
    problems.push(`max_tick_interval must be > 0 seconds, received ${max_tick_interval}`);
  if (!(Number.isFinite(lock_seconds) && lock_seconds > 0))
    problems.push(`lock_seconds must be > 0, received ${lock_seconds}`);
  const { published_retention_hours: published, abandoned_retention_hours: abandoned } =
    config.cleanup;
  if (!(published > 0))
    problems.push(`cleanup.published_retention_hours must be > 0, received ${published}`);
  if (!(abandoned > 0))
    problems.push(`cleanup.abandoned_retention_hours must be > 0, received ${abandoned}`);
  return problems;
}
