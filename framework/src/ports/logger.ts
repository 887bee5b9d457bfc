/** Where the framework writes what it has to say. pino loggers satisfy it; so does `console`. */
export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

const silent: Logger = { debug() {}, info() {}, warn() {}, error() {} };
let fallback: Logger = silent;

/** Sets the logger domains use when none is given (the composition root sets one). */
export function setDefaultLogger(logger: Logger): void {
  fallback = logger;
}

/** The logger domains use when none is given. */
export function defaultLogger(): Logger {
  return fallback;
}
