/**
 * Where a logger's settings come from, highest first: explicit options (the CLI flags), the
 * environment (`LOG_LEVEL`, `PROTEAN_LOG_DIR`), `[logging]` in domain.toml, then the defaults.
 */
import type { LogFormat, LoggingConfig } from '../config/types.js';
import { ConfigurationError } from '../core/errors.js';
import { levelFromEnvironment } from './console.js';

/** A level a logger (or one component of it) can be set to. */
export type LoggerLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

const LEVELS: readonly string[] = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];
const FORMATS: readonly string[] = ['auto', 'pretty', 'json'];

/** 10 MiB: the `[logging] max_bytes` default. */
export const DEFAULT_MAX_BYTES = 10 * 1024 * 1024;
/** The `[logging] backup_count` default. */
export const DEFAULT_BACKUP_COUNT = 5;

/** What decides a logger's settings; every key is optional. */
export interface LoggingInputs {
  /** `--log-level`. Wins over `debug`, `LOG_LEVEL` and `[logging] level`. */
  level?: string;
  /** `--debug`: the level is `debug` unless `level` is given. @defaultValue `false` */
  debug?: boolean;
  /** `--log-format`. @defaultValue `[logging] format`, else `"auto"` */
  format?: string;
  /** `--log-dir`: also write JSON lines there. Wins over `PROTEAN_LOG_DIR` and `[logging] log_dir`. */
  logDir?: string;
  /** The `[logging]` table of the domain's configuration. */
  config?: Partial<LoggingConfig>;
  /** Levels of single components, by name or name prefix: `{ 'protean.outbox': 'debug' }`. */
  levels?: Record<string, string>;
  /** Where `LOG_LEVEL`, `PROTEAN_LOG_DIR`, `PROTEAN_ENV` and `NO_COLOR` are read. @defaultValue `process.env` */
  env?: Record<string, string | undefined>;
  /** Whether the console is a terminal. @defaultValue `process.stdout.isTTY` */
  isTTY?: boolean;
}

/** The settings a logger is built from, every choice made. */
export interface ResolvedLoggingOptions {
  level: LoggerLevel;
  /** What the console shows; log files are always JSON. */
  format: 'pretty' | 'json';
  /** Colours in pretty output: only on a terminal, and never with `NO_COLOR` set. */
  colorize: boolean;
  /** `undefined`: no log files. */
  logDir: string | undefined;
  maxBytes: number;
  backupCount: number;
  levels: Record<string, LoggerLevel>;
}

/**
 * Settles every logging choice once, or throws a {@link ConfigurationError} naming the bad value.
 */
export function resolveLoggingOptions(inputs: LoggingInputs = {}): ResolvedLoggingOptions {
  const env = inputs.env ?? process.env;
  const config = inputs.config ?? {};
  const isTTY = inputs.isTTY ?? process.stdout.isTTY === true;
  const format = resolveFormat(inputs.format, config.format);
  const pretty = format === 'pretty' || (format === 'auto' && isTTY);
  return {
    level: resolveLevel(inputs, env, config.level),
    format: pretty ? 'pretty' : 'json',
    colorize: pretty && isTTY && !env['NO_COLOR'],
    logDir: nonEmpty(inputs.logDir) ?? nonEmpty(env['PROTEAN_LOG_DIR']) ?? nonEmpty(config.log_dir),
    maxBytes: count('[logging] max_bytes', config.max_bytes ?? DEFAULT_MAX_BYTES, 1),
    backupCount: count('[logging] backup_count', config.backup_count ?? DEFAULT_BACKUP_COUNT, 0),
    levels: Object.fromEntries(
      Object.entries(inputs.levels ?? {}).map(([name, level]) => [
        name,
        checkLevel(`the level of ${name}`, level),
      ]),
    ),
  };
}

function resolveLevel(
  inputs: LoggingInputs,
  env: Record<string, string | undefined>,
  configured: string | undefined,
): LoggerLevel {
  const explicit = nonEmpty(inputs.level);
  if (explicit) return checkLevel('--log-level', explicit);
  if (inputs.debug) return 'debug';
  const fromEnv = nonEmpty(env['LOG_LEVEL']);
  if (fromEnv) return checkLevel('LOG_LEVEL', fromEnv);
  const fromConfig = nonEmpty(configured);
  if (fromConfig) return checkLevel('[logging] level', fromConfig);
  // `[logging] level = ""`: debug in development, info in production, warn in tests.
  return levelFromEnvironment({ ...env, LOG_LEVEL: undefined });
}

function resolveFormat(given: string | undefined, configured: string | undefined): LogFormat {
  const explicit = nonEmpty(given);
  if (explicit) return checkFormat('--log-format', explicit);
  const fromConfig = nonEmpty(configured);
  return fromConfig ? checkFormat('[logging] format', fromConfig) : 'auto';
}

function checkLevel(source: string, value: string): LoggerLevel {
  const level = value.toLowerCase();
  if (LEVELS.includes(level)) return level as LoggerLevel;
  throw new ConfigurationError(
    `${source} is "${value}", which is not a log level: use one of ${LEVELS.join(', ')}.`,
  );
}

function checkFormat(source: string, value: string): LogFormat {
  const format = value.toLowerCase();
  if (FORMATS.includes(format)) return format as LogFormat;
  throw new ConfigurationError(
    `${source} is "${value}", which is not a log format: use auto (pretty on a terminal, ` +
      'JSON otherwise), pretty or json.',
  );
}

function count(source: string, value: number, min: number): number {
  if (Number.isInteger(value) && value >= min) return value;
  throw new ConfigurationError(
    `${source} is ${String(value)}: it must be a whole number of at least ${min}.`,
  );
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
