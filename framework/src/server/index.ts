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
export { Supervisor } from './supervisor.js';
export type { Supervised, SupervisionOutcome, SupervisorOptions } from './supervisor.js';
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
