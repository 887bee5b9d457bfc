/**
 * `protean-ts/observatory`: the monitoring server `protean observatory` runs, to embed it, and
 * the definitions of its metrics.
 */
export { Observatory } from './server.js';
export type { ObservatoryAddress, ObservatoryOptions } from './server.js';
export { METRICS, DURATION_BUCKETS, metricTable } from './metrics.js';
export type { MetricDefinition, MetricName } from './metrics.js';
export { globToRegExp, traceFilter, FILTER_FIELDS } from './filters.js';
export type { FilterName, TraceFilter } from './filters.js';
export type { HealthReport, DeadLetterPreview } from './routes.js';
export type { HandlerStats, StatsReport } from './stats.js';
export type {
  BrokerHealth,
  BrokerServerInfo,
  DomainHealth,
  OutboxReport,
  StreamReport,
  SubscriptionView,
} from './watch.js';
