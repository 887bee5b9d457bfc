/**
 * The key under which the global setup hands the service resolution to test files, and the matching
 * augmentation of vitest's `ProvidedContext` (type-only: nothing here loads vitest at runtime).
 */
import type { ServiceResolution } from './services.js';

/** The `provide`/`inject` key of the integration services. */
export const SERVICES_KEY = 'protean-ts:services';

declare module 'vitest' {
  interface ProvidedContext {
    'protean-ts:services': ServiceResolution;
  }
}
