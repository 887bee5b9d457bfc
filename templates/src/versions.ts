/** Versions create-domain writes into new projects, and its own version. */
import { readFileSync } from 'node:fs';

/**
 * The `protean-ts` dependency range of a new project. A unit test keeps it in step with the
 * framework package's version in this repository.
 */
export const PROTEAN_TS_RANGE = '^0.1.0';

/**
 * This package's version, read from its package.json (one folder up from both `src/` and `dist/`).
 *
 * @example
 * packageVersion(); // '0.1.0'
 */
export function packageVersion(): string {
  const manifest = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}
