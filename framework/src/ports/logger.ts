import { createConsoleLogger } from '../logging/console.js';

/** Where the framework writes what it has to say. pino loggers satisfy it; so does `console`. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

/**
 * A logger that passes everything on to another one, which can be replaced: a domain hands it to
 * its adapters, so that `protean server` can send all of it to the server's logger after init.
 */
export class ForwardingLogger implements Logger {
  #target: Logger;

  constructor(target: Logger) {
    this.#target = target;
  }

  /** Sends what is logged from now on to `target`. */
  forwardTo(target: Logger): void {
    this.#target = target;
  }

  debug(message: string, fields?: Record<string, unknown>): void {
    this.#target.debug(message, fields);
  }

  info(message: string, fields?: Record<string, unknown>): void {
    this.#target.info(message, fields);
  }

  warn(message: string, fields?: Record<string, unknown>): void {
    this.#target.warn(message, fields);
  }

  error(message: string, fields?: Record<string, unknown>): void {
    this.#target.error(message, fields);
  }
}

// Set only by an explicit setDefaultLogger() call, never by importing a module.
let chosen: Logger | undefined;

/**
 * Sets the logger domains and adapters use when none is given, for the whole process.
 *
 * @example
 * import { createConsoleLogger, setDefaultLogger } from 'protean-ts/adapter';
 * setDefaultLogger(createConsoleLogger('debug'));
 */
export function setDefaultLogger(logger: Logger): void {
  chosen = logger;
}

/**
 * The logger domains and adapters use when none is given: the one passed to `setDefaultLogger()`,
 * else a console logger at the environment's level (built on each call, so `LOG_LEVEL` set after
 * the import still counts).
 */
export function defaultLogger(): Logger {
  return chosen ?? createConsoleLogger();
}
