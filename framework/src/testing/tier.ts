/**
 * The integration tier's policy on missing services: skip loudly on a developer machine, fail under
 * `CI=true`. Free of vitest, like {@link resolveServices}.
 */
import { ProteanError } from '../core/errors.js';
import {
  resolveServices,
  type ResolveServicesOptions,
  type ServiceResolution,
  type ServicesHandle,
} from './services.js';

/** A resolution that found no usable services. */
export type SkippedResolution = Extract<ServiceResolution, { status: 'skipped' }>;

/** Thrown under `CI=true` when the integration services cannot be reached. */
export class IntegrationServicesUnavailableError extends ProteanError {
  constructor(message: string) {
    super('INTEGRATION_SERVICES_UNAVAILABLE', message);
  }
}

/** Options of {@link resolveIntegrationTier}. */
export interface IntegrationTierOptions extends ResolveServicesOptions {
  /** Receives the one skip line. @defaultValue a write to `process.stderr` */
  readonly log?: (line: string) => void;
}

/**
 * Resolves the services with {@link resolveServices}, then applies the tier's policy when none are
 * usable: under `CI=true` (read from `options.env`) it throws an
 * {@link IntegrationServicesUnavailableError} carrying the explanation; otherwise it logs that
 * explanation as one line and returns the `skipped` resolution, so the tier's tests skip themselves.
 *
 * @example
 * ```ts
 * const { resolution, stop } = await resolveIntegrationTier();
 * if (resolution.status === 'ready') await runIntegrationTests(resolution);
 * await stop();
 * ```
 */
export async function resolveIntegrationTier(
  options: IntegrationTierOptions = {},
): Promise<ServicesHandle> {
  const env = options.env ?? process.env;
  const handle = await resolveServices({ ...options, env });
  if (handle.resolution.status === 'ready') return handle;
  const line = explainSkip(handle.resolution);
  if (env['CI'] === 'true')
    throw new IntegrationServicesUnavailableError(line.replace('SKIPPED:', 'FAILED (CI=true):'));
  (options.log ?? writeToStderr)(line);
  return handle;
}

/**
 * The one line that says the integration tier is skipped: why, what was tried (passwords masked),
 * and how to provide the services.
 *
 * @example
 * ```ts
 * const { resolution } = await resolveServices();
 * if (resolution.status === 'skipped') console.error(explainSkip(resolution));
 * ```
 */
export function explainSkip(resolution: SkippedResolution): string {
  const tried = resolution.attempts
    .map((a) => `${a.service} at ${a.tried} -> ${a.reason}`)
    .join('; ');
  return (
    `[protean-ts] Integration tier (*.int.spec.ts) SKIPPED: ${resolution.reason} ` +
    `Tried: ${tried}. ` +
    'To run it: set DATABASE_URL and REDIS_URL to reachable services, or start PostgreSQL on ' +
    '127.0.0.1:5432 (user postgres) and Redis on 127.0.0.1:6379, or run `docker compose up -d --wait`. ' +
    'Under CI=true this is a failure, not a skip.'
  );
}

function writeToStderr(line: string): void {
  process.stderr.write(`${line}\n`);
}
