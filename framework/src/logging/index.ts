/**
 * Logging for protean-ts processes: {@link createLogger} builds the pino logger `protean server`
 * uses; {@link createConsoleLogger} is the small default until an application sets one.
 *
 * @example
 * import { createLogger } from './logging/index.js';
 * const logger = createLogger({ debug: true });
 * logger.component('protean.server').info('engine started', { subscriptions: 4 });
 */
export { createConsoleLogger, levelFromEnvironment } from './console.js';
export { createLogger } from './logger.js';
export type {
  CreateLoggerOptions,
  LogDestination,
  ProteanLogger,
  ProteanLoggerExtras,
} from './logger.js';
export { DEFAULT_BACKUP_COUNT, DEFAULT_MAX_BYTES, resolveLoggingOptions } from './options.js';
export type { LoggerLevel, LoggingInputs, ResolvedLoggingOptions } from './options.js';
export { REDACTED, isSecretKey, redactFields, redactSecretsInText } from './redact.js';
export { LOG_FILE_NAME, LogDirectoryError, createRotatingFileStream } from './rotating-file.js';
export type { RotatingFileOptions, RotatingFileStream } from './rotating-file.js';
