/**
 * Helpers shared by the subscriptions: a last check of hand-built settings (resolved settings
 * already passed `resolveSubscriptionOptions`), and how an error is written into a log line.
 */
import { ConfigurationError, EventDispatchError } from '../../core/errors.js';

/**
 * Returns `settings` after checking that the `positive` keys are numbers > 0 and every other
 * number is >= 0; throws a `ConfigurationError` naming the handler and the key otherwise.
 */
export function checkSettings<S extends object>(
  handler: string,
  settings: S,
  positive: readonly (keyof S & string)[],
): S {
  for (const [key, value] of Object.entries(settings)) {
    const mustBePositive = positive.includes(key as keyof S & string);
    if (typeof value !== 'number' && !mustBePositive) continue;
    const min = mustBePositive ? 'greater than 0' : '0 or more';
    const valid =
      typeof value === 'number' &&
      Number.isFinite(value) &&
      (mustBePositive ? value > 0 : value >= 0);
    if (valid) continue;
    throw new ConfigurationError(
      `${handler}: subscription setting ${key} must be a number ${min}, received ` +
        `${JSON.stringify(value)}; fix [server.subscriptions.${handler}] or the handler's options.`,
    );
  }
  return settings;
}

/**
 * The fields that describe an error in a log line or a dead-letter entry: its message, its code
 * when it has one, and for an `EventDispatchError` the first failing handler's own error.
 */
export function errorFields(error: unknown): { error: string; errorCode?: string } {
  const cause =
    error instanceof EventDispatchError && error.failures.length === 1
      ? error.failures[0]?.error
      : error;
  const message = cause instanceof Error ? cause.message : String(cause);
  const code = (cause as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? { error: message, errorCode: code } : { error: message };
}
