/**
 * `protean-ts/server`: what embedding the engine or writing an operator tool needs. The engine,
 * its health endpoints and readiness check, the outbox processor, the subscription reports and the
 * dead-letter operations `protean subscriptions` and `protean dlq` are built on, and the process
 * logger `protean server` uses. The engine's parts (subscriptions, consume loops, supervisor,
 * workers) stay inside.
 */
export { Engine } from './engine.js';
export type { EngineOptions } from './engine.js';
export { HealthServer } from './health.js';
export type { HealthAddress, HealthServerOptions } from './health.js';
export { checkReadiness, DEFAULT_READINESS_TIMEOUT_MS } from './readiness.js';
export type {
  CheckResult,
  Pingable,
  ReadinessOptions,
  ReadinessReport,
  ReadinessTarget,
} from './readiness.js';

export { engineSubscriptions, subscriptionReports } from './status.js';
export type { ReportedDomain, SubscriptionReport, SubscriptionReportOptions } from './status.js';
export type { Subscription, SubscriptionStatus, SubscriptionType } from './subscriptions/types.js';

export {
  countDeadLetters,
  deadLetterQueueOf,
  inspectDeadLetter,
  listDeadLetters,
  purgeDeadLetters,
  replayDeadLetter,
  replayDeadLetters,
} from './dead-letters.js';
export type {
  DeadLetterEntry,
  DeadLetterFilter,
  DeadLetterQueue,
  ReplayResult,
} from './dead-letters.js';
export type { DeadLetter } from './subscriptions/dead-letter.js';

export { openTraceChannel, traceChannelName } from './trace.js';
export { createInProcessTraceChannel } from '../adapters/memory/trace.js';
export { NO_TRACE_CHANNEL, TRACE_EVENTS, Tracer } from '../ports/trace.js';
export type {
  TraceChannel,
  TraceEvent,
  TraceEventName,
  TraceFields,
  TraceListener,
} from '../ports/trace.js';

export { OutboxProcessor, type OutboxProcessorOptions } from '../outbox/processor.js';
export type { OutboxProcessorStats } from '../outbox/processor-stats.js';

export { createLogger, LogDirectoryError } from '../logging/index.js';
export type { CreateLoggerOptions, ProteanLogger } from '../logging/index.js';
