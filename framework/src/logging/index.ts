/**
 * Logging for protean-ts processes: {@link createLogger} builds the pino logger `protean server`
 * uses; {@link createConsoleLogger} is the small default until an application sets one.
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
