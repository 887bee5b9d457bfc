/**
 * Where each subscription stands: how far behind it is, what it holds unacknowledged and what it
 * gave up on. `protean subscriptions status` prints it; the engine's readiness endpoint can report
 * it too. Reading it changes nothing (no group is created, no position saved).
 */
import { streams } from '../core/envelope.js';
import { IncorrectUsageError, NotFoundError } from '../core/errors.js';
import type { Domain } from '../domain/domain.js';
import type { Broker } from '../ports/broker.js';
import type { EventStore } from '../ports/event-store.js';
import { countDeadLettersByGroup } from './dead-letters.js';
import { SubscriptionFactory } from './engine-factory.js';
import { loadPosition, positionStream } from './subscriptions/position.js';
import type { Subscription, SubscriptionType } from './subscriptions/types.js';

/** One subscription's standing. */
export interface SubscriptionReport {
  /** `<handler>@<stream>`. */
  readonly name: string;
  /** The handler; for `stream` and `broker`, also the consumer group. */
  readonly handler: string;
  readonly type: SubscriptionType;
  /** The category (`event_store`) or stream read. */
  readonly stream: string;
  /**
   * Messages not consumed yet. `stream`/`broker`: entries not yet delivered to the group (the
   * whole stream when the group does not exist yet, since it starts at the beginning).
   * `event_store`: messages of the category after the saved position, counted up to
   * `maxEventStoreLag` (see `lagCapped`). `null` when the broker cannot tell.
   */
  readonly lag: number | null;
  /** Counting stopped at `maxEventStoreLag`: the lag is at least `lag`. */
  readonly lagCapped: boolean;
  /** Entries delivered to the group and not acknowledged; `null` for `event_store`. */
  readonly pending: number | null;
  /** This group's entries in `<stream>:dlq`; `null` for `event_store` (it has no queue). */
  readonly dlqDepth: number | null;
}

/** Options of {@link subscriptionReports}. */
export interface SubscriptionReportOptions {
  /** The broker `stream` and `broker` subscriptions read. @defaultValue the domain's broker */
  broker?: Broker;
  /**
   * How many messages of a category to count at most behind an `event_store` subscription: one
   * read of up to this many + 1 messages each. @defaultValue 1000
   */
  maxEventStoreLag?: number;
}

/** What the reports read: the domain's connected broker and event store. */
export type ReportedDomain = Pick<Domain, 'broker' | 'eventStore'>;

/**
 * The subscriptions the engine would run for `domain` (initialized): one per handler and category,
 * the command dispatchers, and one per subscriber. Built, not started.
 *
 * @example
 * const subscriptions = engineSubscriptions(await domain.init());
 */
export function engineSubscriptions(domain: Domain): Subscription[] {
  const factory = new SubscriptionFactory(domain);
  return [...factory.subscriptions(), ...factory.brokerSubscriptions()];
}

/**
 * The subscription named `name`: its full name (`CatalogProjector@bookshelf::book`), or a handler
 * name that only one subscription has.
 *
 * @throws NotFoundError listing the names there are; IncorrectUsageError when `name` is a handler
 *   with several subscriptions.
 */
export function findSubscription(
  subscriptions: readonly Subscription[],
  name: string,
): Subscription {
  const exact = subscriptions.find((subscription) => subscription.name === name);
  if (exact) return exact;
  const byHandler = subscriptions.filter((subscription) => subscription.handler === name);
  if (byHandler.length === 1) return byHandler[0]!;
  const names = (list: readonly Subscription[]) => list.map((s) => s.name).join(', ') || 'none';
  if (byHandler.length > 1) {
    throw new IncorrectUsageError(
      `'${name}' has ${byHandler.length} subscriptions (${names(byHandler)}); name one of them.`,
    );
  }
  throw new NotFoundError(
    `the domain has no subscription named '${name}'; its subscriptions: ${names(subscriptions)}.`,
  );
}

/**
 * Each subscription's lag, pending count and dead-letter depth, in the order given.
 *
 * @example
 * const reports = await subscriptionReports(domain, engineSubscriptions(domain));
 * // [{ name: 'CatalogProjector@bookshelf::book', type: 'stream', lag: 0, pending: 1,
 * //    dlqDepth: 2, ... }, ...]
 */
export async function subscriptionReports(
  domain: ReportedDomain,
  subscriptions: readonly Subscription[],
  options: SubscriptionReportOptions = {},
): Promise<SubscriptionReport[]> {
  const maxLag = options.maxEventStoreLag ?? 1000;
  if (!Number.isInteger(maxLag) || maxLag < 1) {
    throw new IncorrectUsageError(
      `maxEventStoreLag must be a positive integer; received ${String(maxLag)}.`,
    );
  }
  const broker = options.broker ?? domain.broker;
  // One scan per dead-letter queue, shared by the subscriptions (groups) of its stream.
  const queues = new Map<string, Promise<Map<string, number>>>();
  const deadLetters = (stream: string) => {
    const queue = streams.deadLetter(stream);
    if (!queues.has(queue)) queues.set(queue, countDeadLettersByGroup(broker, queue));
    return queues.get(queue)!;
  };
  return Promise.all(
    subscriptions.map((subscription) =>
      subscription.type === 'event_store'
        ? eventStoreReport(domain.eventStore, subscription, maxLag)
        : groupReport(broker, subscription, deadLetters(subscription.stream)),
    ),
  );
}

async function groupReport(
  broker: Broker,
  subscription: Subscription,
  deadLetters: Promise<Map<string, number>>,
): Promise<SubscriptionReport> {
  const { name, handler, type, stream } = subscription;
  const [groups, byGroup] = await Promise.all([broker.groupInfo(stream), deadLetters]);
  const dlqDepth = byGroup.get(handler) ?? 0;
  const group = groups.find((info) => info.name === handler);
  const lag = group ? group.lag : await broker.streamLength(stream);
  const pending = group?.pending ?? 0;
  return { name, handler, type, stream, lag, lagCapped: false, pending, dlqDepth };
}

/** The saved position, or the subscription's own when it is running ahead of its last save. */
async function eventStoreReport(
  store: EventStore,
  subscription: Subscription,
  maxLag: number,
): Promise<SubscriptionReport> {
  const { name, handler, type, stream } = subscription;
  const saved = await loadPosition(store, positionStream(handler, stream));
  const position = Math.max(saved, subscription.status().position ?? 0);
  const behind = await store.readCategory(stream, {
    fromGlobalPosition: position + 1,
    batchSize: maxLag + 1,
  });
  const lagCapped = behind.length > maxLag;
  const lag = lagCapped ? maxLag : behind.length;
  return { name, handler, type, stream, lag, lagCapped, pending: null, dlqDepth: null };
}
