/**
 * `protean-ts/adapter`: for people who write or wire adapters rather than domains. The port
 * interfaces in full and their shared errors and helpers, the provider registry that makes an
 * adapter usable by name in domain.toml, the memory adapters (to compose, wrap or share), the
 * outbox retry policy, and the process-wide default logger.
 *
 * Importing it has no side effects: `registerProvider()` and `setDefaultLogger()` change global
 * state only when called.
 */
export type * from './ports/broker.js';
export { BrokerUnavailableError, compareEntryIds, NoGroupError } from './ports/broker.js';
export type * from './ports/database.js';
export type * from './ports/event-store.js';
export type * from './ports/idempotency.js';
export type * from './ports/outbox.js';
export { OUTBOX_STATUSES } from './ports/outbox.js';
export { registeredProviders, registerProvider } from './ports/registry.js';
export type {
  PortTypes,
  ProviderFactory,
  ProviderSettings,
  ProviderTable,
} from './ports/registry.js';
export type { Logger } from './ports/logger.js';
export { setDefaultLogger } from './ports/logger.js';
export { createConsoleLogger, levelFromEnvironment } from './logging/console.js';

export { createInlineBroker, INLINE_BROKER_CAPABILITIES } from './adapters/memory/broker.js';
export type { InlineBrokerOptions } from './adapters/memory/broker.js';
export { createMemoryDatabase } from './adapters/memory/database.js';
export { createMemoryEventStore } from './adapters/memory/event-store.js';
export { createMemoryIdempotencyStore } from './adapters/memory/idempotency.js';
export { createMemoryOutbox } from './adapters/memory/outbox.js';

export { backoffSeconds, createRetryPolicy } from './outbox/retry.js';
export type { RetryPolicyOptions } from './outbox/retry.js';
