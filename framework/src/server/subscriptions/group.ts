/**
 * A subscription that reads through a consumer group: the lifecycle of a {@link Subscription}
 * around a {@link ConsumeLoop}. `StreamSubscription` and `BrokerSubscription` only say what an
 * entry means.
 */
import { hostname } from 'node:os';
import type { Broker, JsonObject } from '../../ports/broker.js';
import type { Logger } from '../../ports/logger.js';
import type { Tracer } from '../../ports/trace.js';
import { systemClock } from './clock.js';
import type { Clock } from './clock.js';
import { ConsumeLoop } from './consume-loop.js';
import type { ConsumeSettings } from './consume-loop.js';
import { Lifecycle } from './lifecycle.js';
import { checkSettings } from './settings.js';
import type { Subscription, SubscriptionStatus } from './types.js';

/** What every consumer-group subscription is built from. */
export interface GroupSubscriptionOptions {
  /** The consumer group: the handler's or subscriber's name. */
  handler: string;
  /** The stream read through the group. */
  stream: string;
  broker: Broker;
  settings: ConsumeSettings;
  /** This process's name in the group. @defaultValue {@link defaultConsumerName} */
  consumer?: string;
  logger: Logger;
  /** @defaultValue {@link systemClock} (the claim schedule and retry delays use it) */
  clock?: Clock;
  /** Where trace events go. @defaultValue none */
  tracer?: Tracer;
}

/**
 * `<handler>-<host>-<pid>`: unique per process, so a restarted process is a new consumer and its
 * predecessor's pending entries are claimed after `claim_idle_ms`.
 */
export function defaultConsumerName(handler: string): string {
  return `${handler}-${hostname()}-${process.pid}`;
}

/**
 * The shared half of the `stream` and `broker` subscriptions (see {@link ConsumeLoop} for the
 * rules of a cycle). `run()` reads with `BLOCK blocking_timeout_ms` and pauses `tick_interval`
 * between cycles; `close()` lets the current read and batch finish (at most a block time).
 */
export class GroupSubscription implements Subscription {
  readonly type: 'stream' | 'broker';
  readonly name: string;
  readonly handler: string;
  readonly stream: string;
  /** The consumer group (the handler's name). */
  readonly group: string;
  /** This subscription's consumer in the group. */
  readonly consumer: string;
  readonly #broker: Broker;
  readonly #loop: ConsumeLoop;
  readonly #lifecycle: Lifecycle;

  constructor(
    type: 'stream' | 'broker',
    options: GroupSubscriptionOptions,
    process: (payload: JsonObject) => Promise<boolean | void>,
  ) {
    const { handler, stream, broker } = options;
    const settings = checkSettings(handler, options.settings, [
      'messages_per_tick',
      'blocking_timeout_ms',
      'max_retries',
      'claim_idle_ms',
    ]);
    const clock = options.clock ?? systemClock;
    this.type = type;
    this.handler = handler;
    this.stream = stream;
    this.group = handler;
    this.consumer = options.consumer ?? defaultConsumerName(handler);
    this.name = `${handler}@${stream}`;
    this.#broker = broker;
    const { group, consumer, name } = this;
    this.#lifecycle = new Lifecycle(clock, {
      open: () => this.#loop.open(),
      cycle: (blocking) => this.#loop.cycle(blocking),
      pauseMs: () => settings.tick_interval * 1000,
      finish: async () => undefined,
    });
    const sleep = (ms: number) => this.#lifecycle.sleep(ms);
    const { logger, tracer } = options;
    this.#loop = new ConsumeLoop({
      tracer,
      name,
      broker,
      stream,
      group,
      consumer,
      settings,
      process,
      logger,
      clock,
      sleep,
    });
  }

  start(): Promise<void> {
    return this.#lifecycle.start();
  }

  tick(): Promise<number> {
    return this.#lifecycle.tick();
  }

  run(): Promise<void> {
    return this.#lifecycle.run();
  }

  close(): Promise<void> {
    return this.#lifecycle.close();
  }

  status(): SubscriptionStatus {
    const { name, handler, type, stream } = this;
    return { name, handler, type, stream, ...this.#loop.counters };
  }

  /** Entries of the stream not yet delivered to the group, as the broker reports it. */
  async lag(): Promise<number | null> {
    const groups = await this.#broker.groupInfo(this.stream);
    return groups.find((info) => info.name === this.group)?.lag ?? null;
  }
}
