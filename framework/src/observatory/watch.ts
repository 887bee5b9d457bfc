/**
 * One watched domain: where its broker, database and event store stand, its outbox by status,
 * its streams with their consumer groups, and its subscriptions' lag, pending entries and dead
 * letters. Read with the operator code `protean subscriptions`, `outbox` and `dlq` use, at most
 * once per refresh interval however many clients ask.
 */
import { streams } from '../core/envelope.js';
import type { Domain } from '../domain/domain.js';
import type { Broker, GroupInfo } from '../ports/broker.js';
import type { OutboxCounts } from '../ports/outbox.js';
import type { CheckResult } from '../server/readiness.js';
import { checkReadiness } from '../server/readiness.js';
import { engineSubscriptions, subscriptionReports } from '../server/status.js';
import type { SubscriptionReport } from '../server/status.js';
import type { Subscription } from '../server/subscriptions/types.js';

/** What Redis says about itself, when the broker is on Redis. */
export interface BrokerServerInfo {
  readonly version: string;
  readonly memoryBytes: number;
  readonly opsPerSec: number;
  readonly clients: number;
  readonly uptimeSeconds: number;
}

/** Reads {@link BrokerServerInfo}; the observatory makes one per Redis broker. */
export interface BrokerInfoSource {
  read(): Promise<BrokerServerInfo>;
  close(): Promise<void>;
}

/** The broker's health: its ping, and what its server says. */
export interface BrokerHealth extends CheckResult {
  readonly provider: string;
  readonly info?: BrokerServerInfo;
}

/** A domain's health: broker, database, event store. */
export interface DomainHealth {
  readonly domain: string;
  readonly ok: boolean;
  readonly broker: BrokerHealth;
  readonly database: CheckResult;
  readonly eventStore: CheckResult;
}

/** A domain's outbox by status (`counts: null` with `error` when the store did not answer). */
export interface OutboxReport {
  readonly domain: string;
  readonly enabled: boolean;
  readonly counts: OutboxCounts | null;
  readonly error?: string;
}

/** A stream the engine reads: its length, groups, pending entries and dead letters. */
export interface StreamReport {
  readonly domain: string;
  readonly stream: string;
  /** Entries now (XLEN). */
  readonly length: number;
  /** Delivered and unacknowledged entries over every group. */
  readonly pending: number;
  /** Entries of `<stream>:dlq`. */
  readonly dlqDepth: number;
  readonly groups: readonly GroupInfo[];
}

/** A subscription's report, labelled with its domain and a status. */
export interface SubscriptionView extends SubscriptionReport {
  readonly domain: string;
  /** `failing`: dead letters wait; `behind`: lag or pending entries; `ok` otherwise. */
  readonly status: 'ok' | 'behind' | 'failing';
}

/** Everything {@link WatchedDomain.snapshot} reads at once. */
export interface DomainSnapshot {
  readonly domain: string;
  readonly at: string;
  readonly health: DomainHealth;
  readonly outbox: OutboxReport;
  readonly streams: readonly StreamReport[];
  readonly subscriptions: readonly SubscriptionView[];
  /** Why streams or subscriptions could not be read, if so. */
  readonly errors: readonly string[];
}

/** A domain (initialized) the observatory watches. */
export class WatchedDomain {
  readonly domain: Domain;
  readonly subscriptions: readonly Subscription[];
  readonly #info: BrokerInfoSource | undefined;
  readonly #refreshMs: number;
  #last: { at: number; snapshot: Promise<DomainSnapshot> } | undefined;

  constructor(domain: Domain, info: BrokerInfoSource | undefined, refreshMs: number) {
    this.domain = domain;
    this.subscriptions = engineSubscriptions(domain);
    this.#info = info;
    this.#refreshMs = refreshMs;
  }

  get name(): string {
    return this.domain.name;
  }

  /** The snapshot of the last `refreshMs`, or a new one. */
  snapshot(): Promise<DomainSnapshot> {
    const now = Date.now();
    if (this.#last && now - this.#last.at < this.#refreshMs) return this.#last.snapshot;
    const snapshot = this.#read();
    this.#last = { at: now, snapshot };
    return snapshot;
  }

  /** Forgets the last snapshot (after an action changed what it shows). */
  invalidate(): void {
    this.#last = undefined;
  }

  async close(): Promise<void> {
    await this.#info?.close();
  }

  async #read(): Promise<DomainSnapshot> {
    const errors: string[] = [];
    const failed =
      <T>(fallback: T) =>
      (error: unknown) => {
        errors.push(reason(error));
        return fallback;
      };
    const [health, outbox, streamReports, reports] = await Promise.all([
      this.#health(),
      this.#outbox(),
      this.#streams().catch(failed<StreamReport[]>([])),
      subscriptionReports(this.domain, this.subscriptions).catch(failed<SubscriptionReport[]>([])),
    ]);
    const subscriptions = reports.map((report) => view(this.name, report));
    const at = new Date().toISOString();
    return { domain: this.name, at, health, outbox, streams: streamReports, subscriptions, errors };
  }

  async #health(): Promise<DomainHealth> {
    const [readiness, info] = await Promise.all([
      checkReadiness(this.domain, { shuttingDown: false }),
      this.#info?.read().catch(() => undefined),
    ]);
    const missing: CheckResult = { ok: false, error: 'not checked', ms: 0 };
    const brokerCheck = readiness.checks['broker'] ?? missing;
    const broker = {
      ...brokerCheck,
      provider: this.domain.broker.provider,
      ...(info ? { info } : {}),
    };
    const database = readiness.checks['database'] ?? missing;
    const eventStore = readiness.checks['event_store'] ?? missing;
    const ok = broker.ok && database.ok && eventStore.ok;
    return { domain: this.name, ok, broker, database, eventStore };
  }

  async #outbox(): Promise<OutboxReport> {
    const enabled = this.domain.config.enable_outbox;
    try {
      return { domain: this.name, enabled, counts: await this.domain.outbox.countByStatus() };
    } catch (error) {
      return { domain: this.name, enabled, counts: null, error: reason(error) };
    }
  }

  async #streams(): Promise<StreamReport[]> {
    const broker = this.domain.broker;
    const { consumerGroups, persistence } = broker.capabilities;
    if (!consumerGroups || !persistence) return [];
    const names = new Set(
      this.subscriptions.filter((s) => s.type !== 'event_store').map((s) => s.stream),
    );
    return Promise.all([...names].sort().map((stream) => streamReport(this.name, broker, stream)));
  }
}

async function streamReport(domain: string, broker: Broker, stream: string): Promise<StreamReport> {
  const [length, groups, dlqDepth] = await Promise.all([
    broker.streamLength(stream),
    broker.groupInfo(stream),
    broker.streamLength(streams.deadLetter(stream)),
  ]);
  const pending = groups.reduce((total, group) => total + group.pending, 0);
  return { domain, stream, length, pending, dlqDepth, groups };
}

function view(domain: string, report: SubscriptionReport): SubscriptionView {
  const failing = (report.dlqDepth ?? 0) > 0;
  const behind = (report.lag ?? 0) > 0 || (report.pending ?? 0) > 0;
  return { domain, ...report, status: failing ? 'failing' : behind ? 'behind' : 'ok' };
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
