/**
 * What the trace says, summed up: throughput per second over the last minute, per handler the
 * runs, failures and latency, counts per event, and the most recent events. Everything since the
 * observatory started (or a handler's first event).
 */
import type { TraceEvent } from '../ports/trace.js';

/** Seconds of throughput history kept (and shown). */
export const WINDOW_SECONDS = 60;
/** Durations kept per handler for its percentiles. */
const DURATIONS_KEPT = 500;
/** Recent events kept for `/api/stats` and the dashboard's first paint. */
const RECENT_KEPT = 100;

/** One handler's figures. */
export interface HandlerStats {
  readonly domain: string;
  readonly handler: string;
  readonly completed: number;
  readonly failed: number;
  /** Completed runs per second over the last minute. */
  readonly ratePerSec: number;
  /** Median and 95th percentile of the last runs' durations, in ms; `null` before any. */
  readonly p50Ms: number | null;
  readonly p95Ms: number | null;
  readonly lastAt: string;
}

/** `GET /api/stats`. */
export interface StatsReport {
  readonly since: string;
  readonly throughput: {
    /** Handler runs completed per second over the last 10 s, and over the last minute. */
    readonly last10sPerSec: number;
    readonly lastMinutePerSec: number;
    /** Completed runs in each of the last {@link WINDOW_SECONDS} seconds, oldest first. */
    readonly perSecond: readonly number[];
    /** Failed runs in each of those seconds. */
    readonly failedPerSecond: readonly number[];
  };
  /** Events seen, by name. */
  readonly events: Readonly<Record<string, number>>;
  readonly handlers: readonly HandlerStats[];
  /** The last events, newest last. */
  readonly recent: readonly TraceEvent[];
}

interface HandlerState {
  domain: string;
  handler: string;
  completed: number;
  failed: number;
  durations: number[];
  lastAt: string;
  /** Completions per second, by epoch second, over the window. */
  seconds: Map<number, number>;
}

/** Sums up trace events as they arrive. */
export class TraceStats {
  readonly #since: string;
  readonly #now: () => number;
  readonly #events = new Map<string, number>();
  readonly #handlers = new Map<string, HandlerState>();
  readonly #completed = new Map<number, number>();
  readonly #failed = new Map<number, number>();
  readonly #recent: TraceEvent[] = [];

  constructor(now: () => number = Date.now) {
    this.#now = now;
    this.#since = new Date(now()).toISOString();
  }

  /** Takes one event into account. */
  record(event: TraceEvent): void {
    this.#events.set(event.event, (this.#events.get(event.event) ?? 0) + 1);
    this.#recent.push(event);
    if (this.#recent.length > RECENT_KEPT) this.#recent.shift();
    const done = event.event === 'handler.completed' || event.event === 'handler.failed';
    if (!done || event.skipped) return;
    const second = Math.floor(this.#now() / 1000);
    const state = this.#handler(event);
    state.lastAt = event.at;
    if (event.durationMs !== undefined) {
      state.durations.push(event.durationMs);
      if (state.durations.length > DURATIONS_KEPT) state.durations.shift();
    }
    if (event.event === 'handler.failed') {
      state.failed += 1;
      bump(this.#failed, second);
      return;
    }
    state.completed += 1;
    bump(state.seconds, second);
    bump(this.#completed, second);
  }

  /** The figures now. */
  report(): StatsReport {
    const now = Math.floor(this.#now() / 1000);
    const perSecond = series(this.#completed, now);
    const sum = (values: readonly number[]) => values.reduce((total, value) => total + value, 0);
    return {
      since: this.#since,
      throughput: {
        last10sPerSec: sum(perSecond.slice(-10)) / 10,
        lastMinutePerSec: sum(perSecond) / WINDOW_SECONDS,
        perSecond,
        failedPerSecond: series(this.#failed, now),
      },
      events: Object.fromEntries(this.#events),
      handlers: [...this.#handlers.values()].map((state) => handlerStats(state, now)),
      recent: [...this.#recent],
    };
  }

  #handler(event: TraceEvent): HandlerState {
    const handler = event.handler ?? '';
    const key = `${event.domain}\u0000${handler}`;
    let state = this.#handlers.get(key);
    if (!state) {
      state = {
        domain: event.domain,
        handler,
        completed: 0,
        failed: 0,
        durations: [],
        lastAt: event.at,
        seconds: new Map(),
      };
      this.#handlers.set(key, state);
    }
    return state;
  }
}

function bump(seconds: Map<number, number>, second: number): void {
  seconds.set(second, (seconds.get(second) ?? 0) + 1);
  for (const old of seconds.keys()) {
    if (old > second - WINDOW_SECONDS) break;
    seconds.delete(old);
  }
}

/** Counts of the window's seconds, oldest first, ending with `now`. */
function series(seconds: ReadonlyMap<number, number>, now: number): number[] {
  return Array.from(
    { length: WINDOW_SECONDS },
    (_, n) => seconds.get(now - WINDOW_SECONDS + 1 + n) ?? 0,
  );
}

function handlerStats(state: HandlerState, now: number): HandlerStats {
  const recent = series(state.seconds, now).reduce((total, value) => total + value, 0);
  const sorted = [...state.durations].sort((a, b) => a - b);
  const { domain, handler, completed, failed, lastAt } = state;
  return {
    domain,
    handler,
    completed,
    failed,
    ratePerSec: recent / WINDOW_SECONDS,
    p50Ms: percentile(sorted, 0.5),
    p95Ms: percentile(sorted, 0.95),
    lastAt,
  };
}

/** The `q` quantile of sorted values (nearest rank), rounded to 0.01 ms; `null` for none. */
export function percentile(sorted: readonly number[], q: number): number | null {
  if (sorted.length === 0) return null;
  const value = sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
  return Math.round(value * 100) / 100;
}
