/**
 * The filters of `GET /stream`: `domain`, `stream`, `event` and `type`, each a glob (`*` any
 * run of characters, `?` one) or several separated by commas, matched against a trace event.
 */
import type { TraceEvent } from '../ports/trace.js';

/** The query parameters `GET /stream` filters on, and the event field each one reads. */
export const FILTER_FIELDS = {
  domain: 'domain',
  stream: 'stream',
  event: 'event',
  type: 'messageType',
} as const satisfies Record<string, keyof TraceEvent>;

/** A filter's name: `domain`, `stream`, `event` or `type`. */
export type FilterName = keyof typeof FILTER_FIELDS;

/** Accepts or refuses a trace event. */
export type TraceFilter = (event: TraceEvent) => boolean;

/**
 * The regular expression of a glob list: `ledger::*` matches `ledger::account`, and
 * `handler.*,message.dlq` matches either; everything else is literal, matched whole.
 */
export function globToRegExp(globs: string): RegExp {
  const alternatives = globs
    .split(',')
    .map((glob) => glob.trim())
    .filter((glob) => glob !== '')
    .map((glob) =>
      [...glob].map((char) => (char === '*' ? '.*' : char === '?' ? '.' : escape(char))).join(''),
    );
  return new RegExp(`^(?:${alternatives.join('|')})$`);
}

function escape(char: string): string {
  return /[\\^$.|+()[\]{}]/.test(char) ? `\\${char}` : char;
}

/**
 * The filter the query parameters `params` describe: every filter given must match (an event
 * without the field a filter reads does not). No filter accepts everything.
 */
export function traceFilter(params: URLSearchParams): TraceFilter {
  const checks: [keyof TraceEvent, RegExp][] = [];
  for (const [name, field] of Object.entries(FILTER_FIELDS)) {
    const globs = params.get(name);
    if (globs !== null && globs.trim() !== '') checks.push([field, globToRegExp(globs)]);
  }
  return (event) =>
    checks.every(([field, pattern]) => {
      const value = event[field];
      return typeof value === 'string' && pattern.test(value);
    });
}
