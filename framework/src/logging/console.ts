import type { Logger } from '../ports/logger.js';

const LEVELS = ['debug', 'info', 'warn', 'error', 'silent'] as const;
type Level = (typeof LEVELS)[number];

/**
 * The level when none is set: `LOG_LEVEL` if valid; otherwise info in production
 * (`PROTEAN_ENV=production`), warn in tests (`PROTEAN_ENV=test`, `NODE_ENV=test` or vitest), and
 * debug in development, as `[logging] level = ""` means in domain.toml.
 */
export function levelFromEnvironment(env: Record<string, string | undefined> = process.env): Level {
  const given = env['LOG_LEVEL']?.toLowerCase();
  if (given && (LEVELS as readonly string[]).includes(given)) return given as Level;
  if (env['PROTEAN_ENV'] === 'production') return 'info';
  if (env['PROTEAN_ENV'] === 'test' || env['NODE_ENV'] === 'test' || env['VITEST']) return 'warn';
  return 'debug';
}

/**
 * A small logger writing one line per message to stderr, used until an application sets its own
 * (`setDefaultLogger()`, or the `logger` option of `new Domain()`).
 *
 * @example
 * setDefaultLogger(createConsoleLogger('info'));
 */
export function createConsoleLogger(
  level: Level = levelFromEnvironment(),
  write: (line: string) => void = (line) => process.stderr.write(line),
): Logger {
  const threshold = LEVELS.indexOf(level);
  const at =
    (name: Level) =>
    (message: string, fields?: Record<string, unknown>): void => {
      if (LEVELS.indexOf(name) < threshold) return;
      const extra = fields && Object.keys(fields).length > 0 ? ` ${JSON.stringify(fields)}` : '';
      write(`[protean-ts] ${name}: ${message}${extra}\n`);
    };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
