/**
 * Readiness: whether the engine can do its work right now. The database, the event store and
 * every broker must answer `ping()`, each within a timeout, all at once; and the engine must not be
 * shutting down. `GET /readyz` answers with this report (health.ts).
 */
import { IncorrectUsageError } from '../core/errors.js';

/** Anything readiness can ask whether it answers: the database, event store and broker ports. */
export interface Pingable {
  ping(): Promise<void>;
}

/**
 * What readiness checks. A `Domain` after `init()` is one: its `database`, `eventStore` and
 * `broker` getters (which throw before `init()`, failing the check with that reason). When
 * `brokers` is given with more than one entry, each is checked on its own as `broker.<name>`.
 */
export interface ReadinessTarget {
  readonly database: Pingable;
  readonly eventStore: Pingable;
  readonly broker: Pingable;
  /** Every configured broker by name, when there are several. @defaultValue just `broker` */
  readonly brokers?: ReadonlyMap<string, Pingable> | Readonly<Record<string, Pingable>>;
}

/** The outcome of one check. */
export interface CheckResult {
  readonly ok: boolean;
  /** Why it failed: the error's message, or that it did not answer in time. */
  readonly error?: string;
  /** How long the check took, in whole milliseconds. */
  readonly ms: number;
}

/**
 * The body of `GET /readyz`: `ready` when every check passed and the engine is not shutting down.
 * Whatever `details()` returned is spread in too (a failing one leaves `detailsError` instead).
 */
export interface ReadinessReport {
  readonly ready: boolean;
  /** `database`, `event_store`, and `broker` (or `broker.<name>` per broker). */
  readonly checks: Readonly<Record<string, CheckResult>>;
  readonly shuttingDown: boolean;
  /** Why `details()` failed, when it did (readiness does not depend on it). */
  readonly detailsError?: string;
  readonly [detail: string]: unknown;
}

/** Options of {@link checkReadiness}. */
export interface ReadinessOptions {
  /** The engine is shutting down: not ready, whatever the checks say. */
  readonly shuttingDown: boolean;
  /**
   * How long each check (and `details()`) may take; a slower one fails with a timeout. Keep it
   * below the probe's own timeout. @defaultValue 1000
   */
  readonly timeoutMs?: number;
  /**
   * Informational fields to add to the report (per-subscription lag, pending, DLQ depth). Never
   * affects `ready`: a failure is reported as `detailsError`.
   */
  readonly details?: () => Promise<Record<string, unknown>>;
}

/** The default of {@link ReadinessOptions.timeoutMs}. */
export const DEFAULT_READINESS_TIMEOUT_MS = 1_000;

/**
 * Pings the database, the event store and every broker concurrently, each bounded by
 * `timeoutMs`, and says whether the engine is ready. A failing check is reported in `checks` with
 * its reason; the promise rejects only for a bad `timeoutMs`.
 *
 * @example
 * const report = await checkReadiness(domain, { shuttingDown: false, timeoutMs: 500 });
 * // { ready: true, shuttingDown: false, checks: { database: { ok: true, ms: 1 }, ... } }
 * response.statusCode = report.ready ? 200 : 503;
 */
export async function checkReadiness(
  target: ReadinessTarget,
  options: ReadinessOptions,
): Promise<ReadinessReport> {
  const timeoutMs = checkTimeout(options.timeoutMs ?? DEFAULT_READINESS_TIMEOUT_MS);
  const [results, extra] = await Promise.all([
    Promise.all(
      probesOf(target).map(
        async ([name, ping]) => [name, await runCheck(ping, timeoutMs)] as const,
      ),
    ),
    collectDetails(options.details, timeoutMs),
  ]);
  const passed = results.every(([, result]) => result.ok);
  const { shuttingDown } = options;
  const checks = Object.fromEntries(results);
  return { ...extra, ready: passed && !shuttingDown, checks, shuttingDown };
}

type Probe = readonly [name: string, ping: () => Promise<void>];

/** The checks by name; each reads its port only when it runs, so a throwing getter fails it. */
function probesOf(target: ReadinessTarget): Probe[] {
  const probes: Probe[] = [
    ['database', () => target.database.ping()],
    ['event_store', () => target.eventStore.ping()],
  ];
  const brokers = brokerEntries(target);
  if (brokers.length <= 1) return [...probes, ['broker', () => target.broker.ping()]];
  return [
    ...probes,
    ...brokers.map(([name, broker]): Probe => [`broker.${name}`, () => broker.ping()]),
  ];
}

/** The named brokers; none when a getter throws (the `broker` check then fails, saying why). */
function brokerEntries(target: ReadinessTarget): (readonly [string, Pingable])[] {
  try {
    const { brokers } = target;
    if (!brokers) return [];
    return brokers instanceof Map ? [...brokers] : Object.entries(brokers);
  } catch {
    return [];
  }
}

/** Runs one check, bounded by `timeoutMs`; never rejects. */
async function runCheck(ping: () => Promise<void>, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  const ms = () => Math.round(performance.now() - started);
  try {
    await withTimeout(ping, timeoutMs);
    return { ok: true, ms: ms() };
  } catch (error) {
    return { ok: false, error: reasonOf(error), ms: ms() };
  }
}

async function collectDetails(
  details: ReadinessOptions['details'],
  timeoutMs: number,
): Promise<Record<string, unknown>> {
  if (!details) return {};
  try {
    return await withTimeout(details, timeoutMs);
  } catch (error) {
    return { detailsError: reasonOf(error) };
  }
}

/** `work()`, or a rejection saying it did not answer within `timeoutMs`, whichever comes first. */
async function withTimeout<T>(work: () => Promise<T>, timeoutMs: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    // A synchronous throw (a getter before init()) becomes a rejection too.
    return await Promise.race([Promise.resolve().then(work), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function checkTimeout(timeoutMs: unknown): number {
  if (typeof timeoutMs === 'number' && Number.isInteger(timeoutMs) && timeoutMs > 0) {
    return timeoutMs;
  }
  throw new IncorrectUsageError(
    `readiness timeoutMs must be a whole number of milliseconds > 0, received ` +
      `${JSON.stringify(timeoutMs)}; leave it out for the default (${DEFAULT_READINESS_TIMEOUT_MS}).`,
  );
}
