/**
 * `protean-ts/testing`: helpers for tests of protean-ts applications: given/when/then scenarios,
 * fresh domains per test, the integration services, and the port contract suites.
 * Re-exports only. `integration.ts`, `fresh.ts` and `contracts/*` load vitest (an optional peer
 * dependency); the rest does not.
 */
export { AggregateScenario, DomainScenario, FactoryScenario, given } from './scenario.js';
export type { Delivery } from './scenario.js';
export { Outcome } from './outcome.js';
export { freshDomain } from './fresh.js';
export { eventStoreContract, type EventStoreContractOptions } from './contracts/event-store.js';
export { brokerContract, type BrokerContractOptions } from './contracts/broker.js';
export {
  outboxContract,
  outboxMessage,
  type ContractTransaction,
  type OutboxContractOptions,
} from './contracts/outbox.js';
export { idempotencyContract, type IdempotencyContractOptions } from './contracts/idempotency.js';
export {
  databaseContract,
  type DatabaseCapabilities,
  type DatabaseContractOptions,
} from './contracts/database.js';
export {
  LOCAL_SERVICE_URLS,
  SERVICE_ENV_VARS,
  maskUrl,
  resolveServices,
  type Attempt,
  type ResolvedService,
  type ResolveServicesOptions,
  type ServiceName,
  type ServiceResolution,
  type ServiceSource,
  type ServicesHandle,
} from './services.js';
export {
  IntegrationServicesUnavailableError,
  explainSkip,
  resolveIntegrationTier,
  type IntegrationTierOptions,
  type SkippedResolution,
} from './tier.js';
export {
  DEFAULT_PROBE_TIMEOUT_MS,
  dockerEndpoint,
  probeDocker,
  probePostgres,
  probeRedis,
  type DockerEndpoint,
  type ProbeResult,
} from './probes.js';
export type { ContainerImages } from './containers.js';
export { SERVICES_KEY } from './provided-context.js';
export {
  createTestDatabase,
  createTestSchema,
  deleteRedisKeys,
  quoteIdentifier,
  uniqueRedisPrefix,
  type TestDatabase,
  type TestDatabaseOptions,
} from './isolation.js';
export {
  describeIntegration,
  integrationServices,
  testServices,
  type ReadyServices,
} from './integration.js';
