/**
 * Keeps secrets out of log lines. pino's own `redact` needs every path spelled out (`*.password`
 * reaches one level only), so fields are walked here instead, at any depth.
 */
import pino from 'pino';

/** What a redacted value is replaced with (pino's own censor text). */
export const REDACTED = '[Redacted]';

/**
 * Key fragments that mark a secret, compared case-insensitively with `-` and `_` removed, so
 * `password`, `DB_PASSWORD`, `accessToken`, `client_secret`, `Authorization`, `x-api-key` and
 * `apiKey` all match.
 */
const SECRET_KEY_PARTS = ['password', 'token', 'secret', 'authorization', 'apikey'];

/** True when a field named `key` holds a secret. */
export function isSecretKey(key: string): boolean {
  const normalized = key.toLowerCase().replace(/[-_]/g, '');
  return SECRET_KEY_PARTS.some((part) => normalized.includes(part));
}

/*
 * `scheme://user:password@host`: the password stops at `@`, `/`, whitespace, a quote or a
 * backslash (the last two so the pattern can run on a JSON line without crossing into the next
 * string; a URI carries those percent-encoded anyway).
 */
const URI_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s:@/"\\]*):[^\s@/"\\]+@/gi;
/** `?password=...`, `&api_key=...` in query strings and DSNs. */
const QUERY_SECRET =
  /([?&;](?:password|passwd|pwd|token|access_token|secret|client_secret|api_key|apikey)=)[^&;\s"\\#]+/gi;

/** Masks the passwords of URIs and secret query parameters inside free text. */
export function redactSecretsInText(text: string): string {
  if (!text.includes('://') && !text.includes('=')) return text;
  return text.replace(URI_PASSWORD, '$1:***@').replace(QUERY_SECRET, '$1***');
}

/**
 * A copy of `fields` with secret keys replaced by {@link REDACTED} and URI passwords masked, at
 * any depth. Errors anywhere become plain objects (type, message, stack, code, cause), because
 * `JSON.stringify(new Error('x'))` is `{}`.
 */
export function redactFields<T extends object>(fields: T): T {
  return redactValue(fields, new WeakSet()) as T;
}

function redactValue(value: unknown, seen: WeakSet<object>): unknown {
  if (typeof value === 'string') return redactSecretsInText(value);
  if (typeof value !== 'object' || value === null) return value;
  if (seen.has(value)) return '[Circular]';
  if (value instanceof Error) return redactValue(pino.stdSerializers.errWithCause(value), seen);
  // Dates, Buffers and the like serialize themselves; Maps and Sets print as {} either way.
  if (hasToJSON(value) || value instanceof Map || value instanceof Set) return value;
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redactValue(item, seen));
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      copy[key] = isSecretKey(key) && item != null ? REDACTED : redactValue(item, seen);
    }
    return copy;
  } finally {
    // Only cycles are circular; the same object twice side by side is printed twice.
    seen.delete(value);
  }
}

function hasToJSON(value: object): boolean {
  return typeof (value as { toJSON?: unknown }).toJSON === 'function';
}
