/**
 * `protean-ts/server`: the engine, its supervisor and the subscriptions it runs.
 *
 * @example
 * import { Engine } from 'protean-ts/server';
 * await new Engine(domain, { testMode: true }).run();
 */
export { Engine } from './engine.js';
export type { EngineOptions } from './engine.js';
export { dispatcherName, SubscriptionFactory } from './engine-factory.js';
export type { SubscriptionFactoryOptions } from './engine-factory.js';
export { drainRounds, outboxWorker, stopAll } from './engine-workers.js';
export type { Worker } from './engine-workers.js';
export {
  asDeadLetter,
  countDeadLetters,
  countDeadLettersByGroup,
  DEAD_LETTER_ID_EXAMPLE,
  deadLetterId,
  deadLetterQueueOf,
  inspectDeadLetter,
  listDeadLetters,
  otherGroups,
  parseDeadLetterId,
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
export { engineSubscriptions, findSubscription, subscriptionReports } from './status.js';
export type { ReportedDomain, SubscriptionReport, SubscriptionReportOptions } from './status.js';
export { Supervisor } from './supervisor.js';
export type { Supervised, SupervisionOutcome, SupervisorOptions } from './supervisor.js';
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
export * from './subscriptions/index.js';
export {
  categoryStream,
  OutboxProcessor,
  processorOwner,
  type OutboxProcessorOptions,
} from '../outbox/processor.js';
export type { OutboxProcessorStats } from '../outbox/processor-stats.js';
export {
  createLogger,
  createRotatingFileStream,
  LOG_FILE_NAME,
  LogDirectoryError,
  redactFields,
  resolveLoggingOptions,
} from '../logging/index.js';
