/**
 * protean-ts: domain-driven, event-driven design in TypeScript.
 *
 * @example
 * import { Domain, field } from 'protean-ts';
 */
import './providers.js';

export { Domain, snakeCase } from './domain/domain.js';
export type { DomainOptions } from './domain/domain.js';
export { Repository } from './domain/repository.js';
export { AggregateRoot } from './core/aggregate.js';
export type { Aggregate, AggregateClass, AggregateMeta, AnyAggregateClass } from './core/aggregate.js';
export { field } from './core/field-types.js';
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
  ExpectedVersionError,
  IncorrectUsageError,
  InvariantViolation,
  NotFoundError,
  ProteanError,
  ValidationError,
} from './core/errors.js';
export type { FieldErrors } from './core/errors.js';
export { createMemoryDatabase } from './adapters/memory/database.js';
export { registerDatabaseProvider } from './ports/registry.js';
export type { DatabaseFactory, DatabaseSettings } from './ports/registry.js';
export type { DatabaseProvider, RecordStore, StoredRecord } from './ports/database.js';
