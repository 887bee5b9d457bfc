/**
 * protean-ts: domain-driven, event-driven design in TypeScript. This entry holds what an
 * application uses: `Domain`, `field`, the element classes, the errors, configuration loading, and
 * the types of repositories, views, handlers and of the ports a domain hands out.
 *
 * Other entries: `protean-ts/server` (the engine), `protean-ts/testing`, `protean-ts/postgres`,
 * `protean-ts/redis`, and `protean-ts/adapter` for writing or wiring adapters (the port
 * interfaces in full, `registerProvider()`, the memory adapters, `setDefaultLogger()`, ...).
 *
 * Importing it has no side effects: it registers nothing and sets no default; the built-in
 * adapters are a table the exported `Domain` is given.
 */
export { Domain } from './providers.js';
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

export type { Broker, JsonObject } from './ports/broker.js';
export type { Comparison, DatabaseProvider, OrderBy, Query, Where } from './ports/database.js';
export type { EventStore, StoredMessage } from './ports/event-store.js';
export type { OutboxStore } from './ports/outbox.js';
export type { Logger } from './ports/logger.js';
