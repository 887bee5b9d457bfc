/**
 * protean-ts: domain-driven, event-driven design in TypeScript.
 *
 * @example
 * import { Domain, field } from 'protean-ts';
 */
import './providers.js';

export { Domain } from './domain/domain.js';
export type { DomainOptions } from './domain/domain.js';
export { snakeCase } from './domain/names.js';
export { Repository } from './domain/repository.js';
export type { View } from './domain/view.js';
export { EventHandlerBuilder } from './domain/handlers.js';
export type {
  CommandHandler,
  DomainAccess,
  EventHandler,
  HandlerContext,
  HandlerInfo,
  ProcessOptions,
} from './domain/handlers.js';
export type { ApplicationService, DomainServiceSpec } from './domain/services.js';

export { AggregateRoot } from './core/aggregate.js';
export type {
  Aggregate,
  AggregateClass,
  AggregateMeta,
  AggregateOptions,
  AnyAggregateClass,
} from './core/aggregate.js';
export { Entity, IdentifiedElement } from './core/entity.js';
export type { EntityClass, EntityOf, EntityOptions, IdentityMeta } from './core/entity.js';
export { ValueObject } from './core/value-object.js';
export type { ValueObjectClass, ValueObjectOf, ValueObjectOptions } from './core/value-object.js';
export { CommandMessage, EventMessage, Message } from './core/message.js';
export type {
  CommandClass,
  EventClass,
  MessageClass,
  MessageMeta,
  MessageOf,
  MessageOptions,
} from './core/message.js';
export { Projection } from './core/projection.js';
export type { AnyProjectionClass, ProjectionClass, ProjectionOf } from './core/projection.js';
export { Element } from './core/element.js';
export type { ElementKind, ElementMeta, Invariant } from './core/element.js';
export { categoryOf, streamId, streams } from './core/envelope.js';
export type { Envelope, MessageKind, MessageMetadata } from './core/envelope.js';

export { field } from './core/field.js';
export type { NumberOptions, StringOptions } from './core/field-types.js';
export type {
  AnyField,
  CommonOptions,
  Field,
  FieldResult,
  Fields,
  InputOf,
  Presence,
  ValueOf,
  ValuesOf,
} from './core/fields.js';
export {
  ConfigurationError,
  EventDispatchError,
  ExpectedVersionError,
  IncorrectUsageError,
  InvariantViolation,
  NotFoundError,
  ProteanError,
  ValidationError,
} from './core/errors.js';
export type { FieldErrors } from './core/errors.js';

export {
  BUILTIN_PROFILES,
  checkConfig,
  defaultConfig,
  loadConfig,
  resolveSubscriptionOptions,
} from './config/index.js';
export type {
  ConfigIssue,
  ConfigLog,
  ExtraProviders,
  LoadConfigOptions,
  ResolvedSubscriptionOptions,
} from './config/index.js';
export type * from './config/types.js';

export { createInlineBroker } from './adapters/memory/broker.js';
export { createMemoryDatabase } from './adapters/memory/database.js';
export { createMemoryEventStore } from './adapters/memory/event-store.js';
export { createMemoryOutbox } from './adapters/memory/outbox.js';
export { createMemoryIdempotencyStore } from './adapters/memory/idempotency.js';
export { backoffSeconds, createRetryPolicy } from './outbox/retry.js';
export type { RetryPolicyOptions } from './outbox/retry.js';
export type * from './ports/outbox.js';
export { OUTBOX_STATUSES } from './ports/outbox.js';
export type * from './ports/idempotency.js';
export { registeredProviders, registerProvider } from './ports/registry.js';
export type { PortTypes, ProviderFactory, ProviderSettings } from './ports/registry.js';
export type * from './ports/broker.js';
export { NoGroupError, compareEntryIds } from './ports/broker.js';
export { INLINE_BROKER_CAPABILITIES } from './adapters/memory/broker.js';
export type { InlineBrokerOptions } from './adapters/memory/broker.js';
export type * from './ports/database.js';
export type * from './ports/event-store.js';
export type { Logger } from './ports/logger.js';
export { setDefaultLogger } from './ports/logger.js';
export { createConsoleLogger, levelFromEnvironment } from './logging/console.js';
