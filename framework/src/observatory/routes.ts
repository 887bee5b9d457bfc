/**
 * What each endpoint of the observatory answers. The HTTP side (routing, access, errors) is
 * server.ts; these read the watched domains and the trace statistics, and run the one action.
 */
import { IncorrectUsageError, NotFoundError } from '../core/errors.js';
import { deadLetterQueueOf, listDeadLetters, replayDeadLetter } from '../server/dead-letters.js';
import type { ReplayResult } from '../server/dead-letters.js';
import { findSubscription } from '../server/status.js';
import type { ObservatoryMetrics } from './metrics.js';
import type { StatsReport, TraceStats } from './stats.js';
import type {
  DomainHealth,
  DomainSnapshot,
  OutboxReport,
  StreamReport,
  SubscriptionView,
  WatchedDomain,
} from './watch.js';

/** What the endpoints read. */
export interface ObservatoryState {
  readonly domains: readonly WatchedDomain[];
  readonly stats: TraceStats;
  readonly metrics: ObservatoryMetrics;
  /** The protean-ts version. */
  readonly version: string;
  /** When the observatory started (epoch ms). */
  readonly startedAt: number;
}

/** `GET /api/health`. */
export interface HealthReport {
  /** Every domain's broker, database and event store answer. */
  readonly ok: boolean;
  readonly version: string;
  readonly uptimeSeconds: number;
  readonly domains: readonly DomainHealth[];
}

/** A dead letter as `GET /api/dlq` previews it (no payload). */
export interface DeadLetterPreview {
  readonly id: string;
  readonly type: string | null;
  readonly attempts: number | null;
  readonly error: string | null;
  readonly failedAt: string | null;
}

function snapshots(state: ObservatoryState): Promise<DomainSnapshot[]> {
  return Promise.all(state.domains.map((watched) => watched.snapshot()));
}

export async function health(state: ObservatoryState): Promise<HealthReport> {
  const domains = (await snapshots(state)).map((snapshot) => snapshot.health);
  const uptimeSeconds = Math.round((Date.now() - state.startedAt) / 1000);
  return {
    ok: domains.every((domain) => domain.ok),
    version: state.version,
    uptimeSeconds,
    domains,
  };
}

export async function outbox(state: ObservatoryState): Promise<{ domains: OutboxReport[] }> {
  return { domains: (await snapshots(state)).map((snapshot) => snapshot.outbox) };
}

export async function streams(state: ObservatoryState): Promise<{ streams: StreamReport[] }> {
  return { streams: (await snapshots(state)).flatMap((snapshot) => snapshot.streams) };
}

export async function subscriptions(
  state: ObservatoryState,
): Promise<{ subscriptions: SubscriptionView[]; errors: string[] }> {
  const all = await snapshots(state);
  return {
    subscriptions: all.flatMap((snapshot) => snapshot.subscriptions),
    errors: all.flatMap((snapshot) =>
      snapshot.errors.map((error) => `${snapshot.domain}: ${error}`),
    ),
  };
}

/** The trace's figures, with each domain's backlog: what waits in streams, the DLQ, the outbox. */
export async function stats(
  state: ObservatoryState,
): Promise<StatsReport & { backlog: unknown[] }> {
  const backlog = (await snapshots(state)).map((snapshot) => ({
    domain: snapshot.domain,
    streamEntries: sum(snapshot.streams.map((stream) => stream.length)),
    pending: sum(snapshot.streams.map((stream) => stream.pending)),
    deadLetters: sum(snapshot.streams.map((stream) => stream.dlqDepth)),
    outboxPending: snapshot.outbox.counts?.pending ?? null,
  }));
  return { ...state.stats.report(), backlog };
}

export async function metrics(state: ObservatoryState): Promise<string> {
  state.metrics.update(await snapshots(state));
  return state.metrics.exposition();
}

/**
 * `GET /api/dlq?domain=&subscription=&limit=`: the oldest dead letters of a subscription (at
 * most `limit`, 10 by default).
 */
export async function deadLetters(
  state: ObservatoryState,
  params: URLSearchParams,
): Promise<{ domain: string; subscription: string; entries: DeadLetterPreview[] }> {
  const watched = domainOf(state, params.get('domain'));
  const name = required(params.get('subscription'), 'subscription');
  const subscription = findSubscription(watched.subscriptions, name);
  const { deadLetterStream, group } = deadLetterQueueOf(subscription);
  const limit = Math.min(Math.max(Number(params.get('limit') ?? 10) || 10, 1), 100);
  const found = await listDeadLetters(watched.domain.broker, deadLetterStream, { group, limit });
  const entries = found.map(({ id, deadLetter }) => ({
    id,
    type: typeof deadLetter?.payload['type'] === 'string' ? deadLetter.payload['type'] : null,
    attempts: deadLetter?.attempts ?? null,
    error: deadLetter?.error ?? null,
    failedAt: deadLetter?.failedAt ?? null,
  }));
  return { domain: watched.name, subscription: subscription.name, entries };
}

/** `POST /api/dlq/replay` with `{ "domain": ..., "id": ... }`: replays one dead letter. */
export async function replay(state: ObservatoryState, body: unknown): Promise<ReplayResult> {
  const { domain, id } = (body ?? {}) as { domain?: unknown; id?: unknown };
  const watched = domainOf(state, typeof domain === 'string' ? domain : null);
  const result = await replayDeadLetter(watched.domain.broker, required(id, 'id'));
  watched.invalidate();
  return result;
}

/** The watched domain `name` names; with one domain, `name` may be left out. */
function domainOf(state: ObservatoryState, name: string | null): WatchedDomain {
  if (name === null && state.domains.length === 1) return state.domains[0]!;
  const found = state.domains.find((watched) => watched.name === name);
  if (found) return found;
  const names = state.domains.map((watched) => watched.name).join(', ');
  throw new NotFoundError(`no watched domain named '${String(name)}'; watched: ${names}.`);
}

function required(value: unknown, name: string): string {
  if (typeof value === 'string' && value !== '') return value;
  throw new IncorrectUsageError(`'${name}' is required.`);
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}
