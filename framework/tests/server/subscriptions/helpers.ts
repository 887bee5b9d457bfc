/**
 * What the subscription tests share: resolved settings, a clock that does not wait, a logger that
 * remembers, and a loop that ticks until nothing is left.
 */
import { resolveSubscriptionOptions } from '../../../src/index.js';
import type { HandlerSubscriptionConfig } from '../../../src/index.js';
import type {
  ResolvedEventStoreSubscription,
  ResolvedStreamSubscription,
} from '../../../src/config/profiles.js';
import type { Broker, JsonObject } from '../../../src/ports/broker.js';
import type { Logger } from '../../../src/ports/logger.js';
import type { Clock } from '../../../src/server/subscriptions/index.js';

const LOADED = { userConfig: {}, label: 'test' };

/** Stream settings as the engine resolves them, with `own` on top. */
export function streamSettings(own: HandlerSubscriptionConfig = {}): ResolvedStreamSubscription {
  const options = resolveSubscriptionOptions(LOADED, 'Test', {
    subscription_type: 'stream',
    ...own,
  });
  if (options.subscription_type !== 'stream') throw new Error('expected stream settings');
  return options;
}

/** Event-store settings as the engine resolves them, with `own` on top. */
export function eventStoreSettings(
  own: HandlerSubscriptionConfig = {},
): ResolvedEventStoreSubscription {
  const options = resolveSubscriptionOptions(LOADED, 'Test', {
    subscription_type: 'event_store',
    ...own,
  });
  if (options.subscription_type !== 'event_store') throw new Error('expected event_store settings');
  return options;
}

/** A clock whose sleeps return at once and move its time forward; `sleeps` lists them. */
export function fakeClock(start = 1_700_000_000_000) {
  let now = start;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => now,
    async sleep(ms) {
      sleeps.push(ms);
      now += ms;
    },
  };
  return { clock, sleeps, advance: (ms: number) => void (now += ms) };
}

export interface LogLine {
  level: 'debug' | 'info' | 'warn' | 'error';
  message: string;
  fields: Record<string, unknown>;
}

/** A logger that keeps its lines. */
export function recordingLogger(): { logger: Logger; lines: LogLine[] } {
  const lines: LogLine[] = [];
  const at =
    (level: LogLine['level']) =>
    (message: string, fields: Record<string, unknown> = {}) =>
      void lines.push({ level, message, fields });
  return {
    logger: { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') },
    lines,
  };
}

/** Ticks every subscription, round after round, until a round consumes nothing; returns the rounds' totals. */
export async function drain(...subscriptions: { tick(): Promise<number> }[]): Promise<number[]> {
  const rounds: number[] = [];
  for (let round = 0; round < 100; round += 1) {
    let consumed = 0;
    for (const subscription of subscriptions) consumed += await subscription.tick();
    if (consumed === 0) return rounds;
    rounds.push(consumed);
  }
  throw new Error('the subscriptions did not settle in 100 rounds');
}

/** Every payload of `stream`, read through a fresh group (for dead-letter queues). */
export async function readAll(broker: Broker, stream: string): Promise<JsonObject[]> {
  const group = `reader-${Math.random().toString(36).slice(2)}`;
  await broker.ensureGroup(stream, group);
  const entries = await broker.readGroup(stream, group, 'reader', { count: 1000 });
  return entries.map((entry) => entry.payload ?? {});
}

/**
 * The real `broker` with some methods replaced, to inject faults from outside (a lost reply, a
 * failing ack); everything else goes to the real adapter.
 */
export function withFaults(broker: Broker, faults: Partial<Broker>): Broker {
  return {
    provider: broker.provider,
    capabilities: broker.capabilities,
    start: () => broker.start(),
    close: () => broker.close(),
    ping: () => broker.ping(),
    publish: (...args) => broker.publish(...args),
    ensureGroup: (...args) => broker.ensureGroup(...args),
    readGroup: (...args) => broker.readGroup(...args),
    ack: (...args) => broker.ack(...args),
    pending: (...args) => broker.pending(...args),
    claim: (...args) => broker.claim(...args),
    streamLength: (...args) => broker.streamLength(...args),
    groupInfo: (...args) => broker.groupInfo(...args),
    trim: (...args) => broker.trim(...args),
    range: (...args) => broker.range(...args),
    remove: (...args) => broker.remove(...args),
    ...faults,
  };
}
