/**
 * The engine (what `protean server` runs, and what an application can embed): runs a domain's
 * subscriptions and outbox processors, supervised, until `shutdown()`; or, in test mode, until
 * nothing anywhere finds work.
 */
import { IncorrectUsageError } from '../core/errors.js';
import type { Domain } from '../domain/domain.js';
import type { OutboxProcessor } from '../outbox/processor.js';
import type { Logger } from '../ports/logger.js';
import { Tracer } from '../ports/trace.js';
import type { TraceChannel } from '../ports/trace.js';
import { SubscriptionFactory } from './engine-factory.js';
import { drainRounds, outboxWorker, stopAll, type Worker } from './engine-workers.js';
import type { Clock } from './subscriptions/clock.js';
import type { BrokerSubscription } from './subscriptions/broker.js';
import { errorFields } from './subscriptions/settings.js';
import type { Subscription } from './subscriptions/types.js';
import { Supervisor } from './supervisor.js';
import { HealthServer } from './health.js';
import type { HealthAddress } from './health.js';
import { checkReadiness } from './readiness.js';
import { subscriptionReports } from './status.js';
import { openTraceChannel } from './trace.js';

/** Options of {@link Engine}. */
export interface EngineOptions {
  /** Process what is there, cascades included, then shut down. @defaultValue false */
  testMode?: boolean;
  /** Log subscription registration at info instead of debug. @defaultValue false */
  debug?: boolean;
  /** @defaultValue the domain's logger */
  logger?: Logger;
  /** For subscriptions and supervisor backoffs. @defaultValue the system clock */
  clock?: Clock;
  /** Test mode's cap on processing rounds. @defaultValue 1000 */
  maxRounds?: number;
  /** Close the domain at shutdown. @defaultValue true when `run()` initialized it */
  closeDomain?: boolean;
  /**
   * The health endpoints (`/livez`, `/healthz`, `/readyz`): `false` for none, or where to listen
   * (over `[server.health]`; port 0 picks a free one). Never in test mode.
   * @defaultValue `[server.health]` (enabled, 127.0.0.1:8080)
   */
  health?: false | { host?: string; port?: number };
  /**
   * Where trace events go (`handler.*`, `message.*`, `outbox.*`, `supervisor.restarted`): a
   * channel the caller owns, or `false` for none. Events are only built while someone listens.
   * @defaultValue the domain's channel: Redis pub/sub on a Redis broker, in process otherwise
   */
  trace?: TraceChannel | false;
}

/**
 * Runs a domain's handlers. `run()` initializes the domain if needed, builds the subscriptions and
 * processors, starts them in order, and resolves on shutdown with {@link exitCode} 0 or 1.
 *
 * @example
 * // command_processing = "async": process() only stores the command
 * await domain.process(new PlaceOrder({ customer: 'ada', bookId: book.id }));
 * const engine = new Engine(domain, { testMode: true });
 * await engine.run(); // every cascade handled
 * engine.exitCode; // 0
 */
export class Engine {
  readonly domain: Domain;
  readonly testMode: boolean;
  readonly #options: EngineOptions;
  readonly #logger: Logger;
  #factory: SubscriptionFactory | undefined;
  #subscriptions: Subscription[] = [];
  #brokerSubscriptions: BrokerSubscription[] = [];
  #processors: OutboxProcessor[] = [];
  #supervisor: Supervisor | undefined;
  #shuttingDown = false;
  #exitCode = 0;
  #closeDomain = false;
  #done: Promise<void> | undefined;
  #running = false;
  readonly #closing = new Set<string>();
  #finish: () => void = () => undefined;
  #health: HealthServer | undefined;
  #healthAddress: HealthAddress | undefined;
  /** The trace channel the engine opened itself (and closes). */
  #ownTrace: TraceChannel | undefined;
  #tracer: Tracer | undefined;

  constructor(domain: Domain, options: EngineOptions = {}) {
    this.domain = domain;
    this.testMode = options.testMode ?? false;
    this.#options = options;
    this.#logger = options.logger ?? domain.logger;
  }

  /** The handler subscriptions and command dispatchers (after `run()` built them). */
  get subscriptions(): readonly Subscription[] {
    return this.#subscriptions;
  }

  /** The subscriber subscriptions (after `run()` built them). */
  get brokerSubscriptions(): readonly BrokerSubscription[] {
    return this.#brokerSubscriptions;
  }

  get outboxProcessors(): readonly OutboxProcessor[] {
    return this.#processors;
  }

  /** What builds the subscriptions (after `run()` initialized the domain). */
  get subscriptionFactory(): SubscriptionFactory | undefined {
    return this.#factory;
  }

  /** Where the health endpoints listen, once `run()` started them. */
  get healthAddress(): HealthAddress | undefined {
    return this.#healthAddress;
  }

  get shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  /** 0 after a normal shutdown; 1 after a forced one, a supervisor giving up or a failure. */
  get exitCode(): number {
    return this.#exitCode;
  }

  /** Runs until shutdown; resolves with the exit code (also in {@link exitCode}). */
  async run(): Promise<number> {
    if (this.#running) throw new IncorrectUsageError('Engine.run() is already running');
    this.#running = true;
    this.#shuttingDown = false;
    this.#exitCode = 0;
    this.#done = new Promise((resolve) => (this.#finish = resolve));
    try {
      await this.#prepare();
      // A shutdown requested while preparing has already stopped what was built: start nothing.
      if (this.#shuttingDown) this.#logger.info('shutdown requested during startup');
      else if (this.testMode) await this.#runTestMode();
      else this.#supervise();
    } catch (error) {
      this.#logger.error('engine failed', errorFields(error));
      this.#exitCode = 1;
      void this.shutdown();
    }
    await this.#done;
    this.#running = false;
    return this.#exitCode;
  }

  /**
   * Graceful shutdown: stops fetching, closes subscriptions and processors (each finishes its
   * current batch) within `shutdown_timeout_seconds`, then closes the domain. A second call, or
   * the timeout, finishes at once with exit code 1, logging what was unfinished.
   */
  async shutdown(): Promise<void> {
    if (this.#shuttingDown) {
      const unfinished = [...this.#closing];
      this.#logger.error('second shutdown request: stopping at once', { unfinished });
      this.#exitCode = 1;
      this.#finish();
      return;
    }
    this.#shuttingDown = true;
    this.#supervisor?.stop();
    const seconds = this.domain.initialized
      ? this.domain.config.server.shutdown_timeout_seconds
      : 0;
    const timeoutMs = seconds * 1_000;
    const unfinished = await stopAll(this.#workers(), timeoutMs, this.#closing);
    if (unfinished.length > 0) {
      this.#logger.error('shutdown timed out', { unfinished });
      this.#exitCode = 1;
    }
    // Readiness said 503 all along the drain; the endpoints go with the engine.
    await this.#health?.close();
    await this.#ownTrace?.close().catch(() => undefined);
    this.#ownTrace = undefined;
    if (this.#closeDomain) await this.domain.close().catch(() => (this.#exitCode = 1));
    this.#logger.info('engine stopped', { exitCode: this.#exitCode });
    this.#finish();
  }

  async #prepare(): Promise<void> {
    this.#closeDomain = this.#options.closeDomain ?? !this.domain.initialized;
    await this.domain.init();
    this.#tracer = await this.#openTracer();
    const factory = new SubscriptionFactory(this.domain, {
      logger: this.#logger,
      ...(this.#options.clock ? { clock: this.#options.clock } : {}),
      ...(this.#tracer ? { tracer: this.#tracer } : {}),
    });
    this.#factory = factory;
    this.#subscriptions = factory.subscriptions();
    this.#brokerSubscriptions = factory.brokerSubscriptions();
    this.#processors = factory.outboxProcessors();
    for (const worker of this.#workers()) {
      const log = this.#options.debug ? this.#logger.info : this.#logger.debug;
      log.call(this.#logger, 'starting', { name: worker.name });
      await worker.start();
    }
    if (!this.#shuttingDown) await this.#startHealth();
  }

  async #openTracer(): Promise<Tracer | undefined> {
    const wanted = this.#options.trace;
    if (wanted === false) return undefined;
    const channel = wanted ?? (this.#ownTrace = await openTraceChannel(this.domain));
    return new Tracer(channel, this.domain.name);
  }

  async #startHealth(): Promise<void> {
    const configured = this.domain.config.server.health;
    const wanted = this.#options.health;
    if (this.testMode || wanted === false || !configured.enabled) return;
    const health = new HealthServer({
      host: wanted?.host ?? configured.host,
      port: wanted?.port ?? configured.port,
      readiness: () =>
        checkReadiness(this.domain, {
          shuttingDown: this.#shuttingDown,
          // Informational: lag, pending and DLQ depth never make the engine unready.
          details: async () => ({
            subscriptions: await subscriptionReports(this.domain, [
              ...this.#subscriptions,
              ...this.#brokerSubscriptions,
            ]),
          }),
        }),
      logger: this.#logger,
    });
    this.#health = health;
    this.#healthAddress = await health.start();
  }

  /** Processors first (they feed the streams), then the subscriptions, subscribers last. */
  #workers(): Worker[] {
    const processors = this.#processors.map(outboxWorker);
    return [...processors, ...this.#subscriptions, ...this.#brokerSubscriptions];
  }

  async #runTestMode(): Promise<void> {
    const maxRounds = this.#options.maxRounds ?? 1_000;
    const drained = await drainRounds(this.#workers(), maxRounds, () => this.#shuttingDown);
    if (!drained && !this.#shuttingDown) {
      this.#logger.error('test mode: work remained after the round cap', { maxRounds });
      this.#exitCode = 1;
    }
    if (!this.#shuttingDown) await this.shutdown();
  }

  #supervise(): void {
    const { max_restarts, within_seconds } = this.domain.config.server.supervisor;
    const supervisor = new Supervisor({
      maxRestarts: max_restarts,
      withinSeconds: within_seconds,
      logger: this.#logger,
      ...(this.#options.clock ? { clock: this.#options.clock } : {}),
      ...(this.#tracer ? { tracer: this.#tracer } : {}),
    });
    this.#supervisor = supervisor;
    for (const worker of this.#workers()) {
      void supervisor.supervise(worker).then((outcome) => {
        if (outcome !== 'gave_up' || this.#shuttingDown) return;
        this.#exitCode = 1;
        void this.shutdown();
      });
    }
  }
}
