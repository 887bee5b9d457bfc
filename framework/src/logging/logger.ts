/**
 * The process logger: pino, with the framework's `(message, fields)` call shape, child loggers
 * per component, redaction, pretty or JSON console output and an optional rotated JSON file.
 */
import type { Writable } from 'node:stream';
import pino from 'pino';
import type { LogFn } from 'pino';
import { prettyFactory } from 'pino-pretty';
import type { Logger } from '../ports/logger.js';
import { resolveLoggingOptions } from './options.js';
import type { LoggerLevel, LoggingInputs, ResolvedLoggingOptions } from './options.js';
import { redactFields, redactSecretsInText } from './redact.js';
import { createRotatingFileStream } from './rotating-file.js';
import type { RotatingFileStream } from './rotating-file.js';

/** Where console lines go: `process.stdout`, `process.stderr`, any Writable, or a test collector. */
export interface LogDestination {
  write(chunk: string): unknown;
}

/** How {@link createLogger} is set up: the logging inputs plus where the console lines go. */
export interface CreateLoggerOptions extends LoggingInputs {
  /** @defaultValue `process.stdout` */
  destination?: LogDestination;
  /** Whether the console is a terminal. @defaultValue the destination's `isTTY` */
  isTTY?: boolean;
  /** The log file's name inside the log directory. @defaultValue `"protean-server.log"` */
  fileName?: string;
  /** Told when writing the log file fails after creation. @defaultValue one line to stderr */
  onFileError?: (error: Error) => void;
}

/** What protean-ts adds to a pino logger. */
export interface ProteanLoggerExtras {
  /**
   * The child logger of one component (`protean.server`, `protean.outbox`,
   * `protean.subscription.<name>`): its lines carry `"name"`, and its level comes from the
   * `levels` option (by name, else by the longest dotted prefix), else the root's at that
   * moment. The same name always returns the same child, so `component(name).level = 'debug'`
   * sticks.
   */
  component(name: string): ProteanLogger;
  /** Resolves once every line logged so far has been handed to the console and the file. */
  flush(callback?: (error?: Error) => void): Promise<void>;
  /** Flushes, then closes the log file. Safe to call more than once. */
  close(): Promise<void>;
  /** The settings this logger was built from. */
  readonly settings: ResolvedLoggingOptions;
  /** Absolute path of the log file, when `--log-dir` is set. */
  readonly logFile: string | undefined;
}

/** A pino logger that also satisfies the framework's {@link Logger} port. */
export type ProteanLogger = ProteanLoggerExtras & Logger & pino.Logger;

/**
 * Builds the process logger. Throws a `ConfigurationError` for a bad level or format and a
 * `LogDirectoryError` (code `LOG_DIR_UNWRITABLE`) when the log directory cannot be written.
 *
 * @example
 * const logger = createLogger({ debug: flags.debug, logDir: flags.logDir, config: domain.config.logging });
 * setDefaultLogger(logger);
 * logger.component('protean.outbox').info('published a batch', { count: 10 });
 * await logger.close();
 */
export function createLogger(options: CreateLoggerOptions = {}): ProteanLogger {
  const destination = options.destination ?? process.stdout;
  const isTTY = options.isTTY ?? (destination as { isTTY?: boolean }).isTTY === true;
  const settings = resolveLoggingOptions({ ...options, isTTY });
  const file = settings.logDir
    ? createRotatingFileStream({
        dir: settings.logDir,
        maxBytes: settings.maxBytes,
        backupCount: settings.backupCount,
        ...(options.fileName ? { fileName: options.fileName } : {}),
        ...(options.onFileError ? { onError: options.onFileError } : {}),
      })
    : undefined;
  const sink = createSink(destination, settings, file);
  const shared: Shared = { settings, sink, file, children: new Map() };
  shared.root = addExtras(createPino(settings.level, sink), shared);
  return shared.root;
}

function createPino(level: LoggerLevel, sink: Sink): pino.Logger {
  const root = pino(
    {
      level,
      timestamp: pino.stdTimeFunctions.isoTime,
      // Errors at any depth are already plain objects (redactFields); pino's own `err`
      // serializer would take them for errors again and call them "Object".
      serializers: { err: (value: unknown) => value },
      formatters: {
        level: (label) => ({ level: label }),
        bindings: (bindings) => redactFields(bindings),
        log: (fields) => redactFields(fields),
      },
      hooks: { logMethod: portCallShape, streamWrite: redactSecretsInText },
    },
    sink,
  );
  redactChildBindings(root);
  return root;
}

interface Shared {
  settings: ResolvedLoggingOptions;
  sink: Sink;
  file: RotatingFileStream | undefined;
  /** Components, by name: each is a direct child of the root. */
  children: Map<string, ProteanLogger>;
  root?: ProteanLogger;
  closed?: Promise<void>;
}

function addExtras(logger: pino.Logger, shared: Shared): ProteanLogger {
  const extras: ProteanLoggerExtras = {
    settings: shared.settings,
    logFile: shared.file?.path,
    component: (name) => component(shared, name),
    flush: async (callback) => {
      await shared.sink.flush().then(() => callback?.(), failWith(callback));
    },
    close: () => {
      shared.closed ??= shared.sink.flush().finally(() => shared.file?.close());
      return shared.closed;
    },
  };
  return Object.assign(logger, extras) as unknown as ProteanLogger;
}

/*
 * A component's component is a sibling with the longer name, never a nested pino child: that
 * would print "name" twice.
 */
function component(shared: Shared, name: string): ProteanLogger {
  const root = shared.root!;
  const known = shared.children.get(name);
  if (known) return known;
  const level = levelFor(name, shared.settings.levels) ?? root.level;
  const child = addExtras(root.child({ name }, { level }), shared);
  shared.children.set(name, child);
  return child;
}

/**
 * pino's `formatters.bindings` only sees the root's bindings; `child(bindings)` is wrapped so a
 * child's go through redaction too (children inherit the wrapper from the root).
 */
function redactChildBindings(root: pino.Logger): void {
  const pinoChild = root.child;
  root.child = function child(this: pino.Logger, bindings, options) {
    return pinoChild.call(this, redactFields(bindings), options);
  } as typeof pinoChild;
}

/** The level of `name` in `levels`, or of its longest dotted prefix there. */
function levelFor(name: string, levels: Record<string, LoggerLevel>): LoggerLevel | undefined {
  const parts = name.split('.');
  for (let length = parts.length; length > 0; length -= 1) {
    const level = levels[parts.slice(0, length).join('.')];
    if (level) return level;
  }
  return undefined;
}

/**
 * pino takes `(fields, message)`, the port `(message, fields)`: this hook turns the port's
 * shape (and `(message, error)`, for untyped callers) into pino's, and leaves every pino call
 * shape alone. So a format string with exactly one object argument (`'%o', obj`) reads as fields.
 */
function portCallShape(this: pino.Logger, args: Parameters<LogFn>, method: LogFn): void {
  const [message, second] = args as unknown[];
  if (args.length === 2 && typeof message === 'string' && typeof second === 'object' && second) {
    const fields = second instanceof Error ? { err: second } : second;
    if (!Array.isArray(fields)) return method.call(this, fields, message);
  }
  return method.apply(this, args);
}

interface Sink {
  write(line: string): void;
  flush(): Promise<void>;
}

/** Sends each JSON line to the file as is and to the console as is or prettified. */
function createSink(
  destination: LogDestination,
  settings: ResolvedLoggingOptions,
  file: RotatingFileStream | undefined,
): Sink {
  const prettify =
    settings.format === 'pretty'
      ? prettyFactory({
          colorize: settings.colorize,
          ignore: 'pid,hostname',
          translateTime: 'SYS:HH:MM:ss.l',
          errorLikeObjectKeys: ['err', 'error'],
        })
      : undefined;
  return {
    write(line) {
      destination.write(prettify ? prettify(line) : line);
      file?.write(line);
    },
    flush: () => drain(destination),
  };
}

/**
 * Waits until a Writable has handed everything written so far to the OS: an empty write's
 * callback runs after every chunk before it (plain `{ write }` objects have nothing to wait for).
 */
async function drain(destination: LogDestination): Promise<void> {
  const stream = destination as Partial<Writable>;
  if ((stream.writableLength ?? 0) === 0 || typeof stream.write !== 'function') return;
  await new Promise<void>((resolve, reject) => {
    stream.write!('', (error) => (error ? reject(error) : resolve()));
  });
}

function failWith(callback: ((error?: Error) => void) | undefined) {
  return (error: unknown): never => {
    const failure = error instanceof Error ? error : new Error(String(error));
    callback?.(failure);
    throw failure;
  };
}
