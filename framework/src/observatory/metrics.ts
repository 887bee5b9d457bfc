/**
 * Every metric `GET /metrics` exposes, defined once: name, type, labels and help. The registry
 * is built from these definitions, and so is the metric table of the observability guide.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { OUTBOX_STATUSES } from '../ports/outbox.js';
import type { TraceEvent } from '../ports/trace.js';
import type { DomainSnapshot } from './watch.js';

/** One metric: what Prometheus sees of it. */
export interface MetricDefinition {
  readonly name: string;
  readonly type: 'gauge' | 'counter' | 'histogram';
  readonly labels: readonly string[];
  /** The HELP line, and the guide's explanation. */
  readonly help: string;
}

/** Handler durations' histogram buckets, in seconds: 1 ms to 10 s. */
export const DURATION_BUCKETS: readonly number[] = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
];

/** Every metric of the observatory, in the order of the exposition. */
export const METRICS = [
  {
    name: 'protean_broker_up',
    type: 'gauge',
    labels: ['domain'],
    help: "1 when the domain's broker answers a ping, 0 when it does not.",
  },
  {
    name: 'protean_database_up',
    type: 'gauge',
    labels: ['domain'],
    help: "1 when the domain's database and event store answer a ping, 0 when either does not.",
  },
  {
    name: 'protean_broker_ops_per_sec',
    type: 'gauge',
    labels: ['domain'],
    help: "Commands per second the broker's Redis processes (INFO instantaneous_ops_per_sec).",
  },
  {
    name: 'protean_broker_memory_bytes',
    type: 'gauge',
    labels: ['domain'],
    help: "Memory used by the broker's Redis, in bytes (INFO used_memory).",
  },
  {
    name: 'protean_outbox_messages',
    type: 'gauge',
    labels: ['domain', 'status'],
    help: 'Outbox rows per status: pending, processing, published, failed, abandoned.',
  },
  {
    name: 'protean_stream_messages_total',
    type: 'gauge',
    labels: ['domain', 'stream'],
    help: 'Entries a stream the engine reads holds now (XLEN; trimming lowers it).',
  },
  {
    name: 'protean_stream_pending',
    type: 'gauge',
    labels: ['domain', 'stream'],
    help: 'Entries of a stream delivered and not acknowledged, over all its consumer groups (XPENDING).',
  },
  {
    name: 'protean_subscription_lag',
    type: 'gauge',
    labels: ['domain', 'subscription'],
    help: 'Messages a subscription has not consumed yet (event_store: counted up to 1000).',
  },
  {
    name: 'protean_subscription_dlq_depth',
    type: 'gauge',
    labels: ['domain', 'subscription'],
    help: "Dead letters of a subscription's consumer group in its stream's dead-letter queue.",
  },
  {
    name: 'protean_messages_processed_total',
    type: 'counter',
    labels: ['domain', 'handler', 'status'],
    help: 'Handler runs seen in the trace since the observatory started: status completed or failed (each failed attempt).',
  },
  {
    name: 'protean_handler_duration_seconds',
    type: 'histogram',
    labels: ['domain', 'handler'],
    help: 'How long handler runs took, completed and failed, in seconds.',
  },
  {
    name: 'protean_supervisor_restarts_total',
    type: 'counter',
    labels: ['domain', 'loop'],
    help: 'Restarts of crashed subscription and outbox loops seen in the trace since the observatory started.',
  },
] as const satisfies readonly MetricDefinition[];

/** The name of one of {@link METRICS}. */
export type MetricName = (typeof METRICS)[number]['name'];

type Metric = Gauge | Counter | Histogram;

/** The observatory's metrics, on a registry of their own (not prom-client's global one). */
export class ObservatoryMetrics {
  readonly registry = new Registry();
  readonly #metrics = new Map<MetricName, Metric>();

  constructor() {
    for (const definition of METRICS)
      this.#metrics.set(definition.name, build(definition, this.registry));
  }

  /** The gauge called `name`. */
  gauge(name: MetricName): Gauge {
    return this.#metrics.get(name) as Gauge;
  }

  /** Counts what a trace event says: a handler run and its duration, or a restart. */
  record(event: TraceEvent): void {
    const { domain, handler = '' } = event;
    if (event.event === 'handler.completed' || event.event === 'handler.failed') {
      if (event.skipped) return;
      const status = event.event === 'handler.completed' ? 'completed' : 'failed';
      this.#counter('protean_messages_processed_total').inc({ domain, handler, status });
      if (event.durationMs !== undefined) {
        const histogram = this.#metrics.get('protean_handler_duration_seconds') as Histogram;
        histogram.observe({ domain, handler }, event.durationMs / 1000);
      }
    } else if (event.event === 'supervisor.restarted') {
      const loop = event.loop ?? '';
      this.#counter('protean_supervisor_restarts_total').inc({ domain, loop });
    }
  }

  /** Sets every gauge from the domains' snapshots (series of what is gone disappear). */
  update(snapshots: readonly DomainSnapshot[]): void {
    for (const { name, type } of METRICS) if (type === 'gauge') this.gauge(name).reset();
    for (const snapshot of snapshots) this.#updateDomain(snapshot);
  }

  #updateDomain({ domain, health, outbox, streams, subscriptions }: DomainSnapshot): void {
    this.gauge('protean_broker_up').set({ domain }, health.broker.ok ? 1 : 0);
    const databaseUp = health.database.ok && health.eventStore.ok;
    this.gauge('protean_database_up').set({ domain }, databaseUp ? 1 : 0);
    const info = health.broker.info;
    if (info) {
      this.gauge('protean_broker_ops_per_sec').set({ domain }, info.opsPerSec);
      this.gauge('protean_broker_memory_bytes').set({ domain }, info.memoryBytes);
    }
    for (const status of OUTBOX_STATUSES) {
      const count = outbox.counts?.[status];
      if (count !== undefined) this.gauge('protean_outbox_messages').set({ domain, status }, count);
    }
    for (const { stream, length, pending } of streams) {
      this.gauge('protean_stream_messages_total').set({ domain, stream }, length);
      this.gauge('protean_stream_pending').set({ domain, stream }, pending);
    }
    for (const { name: subscription, lag, dlqDepth } of subscriptions) {
      if (lag !== null) this.gauge('protean_subscription_lag').set({ domain, subscription }, lag);
      if (dlqDepth !== null) {
        this.gauge('protean_subscription_dlq_depth').set({ domain, subscription }, dlqDepth);
      }
    }
  }

  /** The text exposition of every metric. */
  exposition(): Promise<string> {
    return this.registry.metrics();
  }

  #counter(name: MetricName): Counter {
    return this.#metrics.get(name) as Counter;
  }
}

function build(definition: MetricDefinition, registry: Registry): Metric {
  const common = {
    name: definition.name,
    help: definition.help,
    labelNames: [...definition.labels],
    registers: [registry],
  };
  if (definition.type === 'counter') return new Counter(common);
  if (definition.type === 'histogram')
    return new Histogram({ ...common, buckets: [...DURATION_BUCKETS] });
  return new Gauge(common);
}

/**
 * The metric table of the observability guide, as Markdown: one row per metric, from
 * {@link METRICS}.
 */
export function metricTable(): string {
  const rows = METRICS.map(({ name, type, labels, help }) => {
    const labelList = labels.map((label) => `\`${label}\``).join(', ');
    return `| \`${name}\` | ${type} | ${labelList} | ${help.replaceAll('|', '\\|')} |`;
  });
  return ['| Metric | Type | Labels | Meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
