/** Versions create-domain writes into new projects, and its own version. */
import { readFileSync } from 'node:fs';

/**
 * The `protean-ts` dependency range of a project that installs it from the registry. A unit test
 * keeps it in step with the framework package's version in this repository.
 */
export const PROTEAN_TS_RANGE = '^0.1.0';

/**
 * The drivers protean-ts loads lazily in its adapters (optional peer dependencies), added to a
 * project whose stack needs them. A unit test keeps them equal to the framework's own.
 */
export const DRIVER_RANGES = { pg: '^8.23.1', ioredis: '^6.0.0' } as const;

/** The development tools of a new project; a unit test keeps them equal to this repository's. */
export const TOOL_RANGES = {
  '@types/node': '^20.19.9',
  tsx: '^4.23.15',
  typescript: '6.0.3',
  vitest: '^4.1.12',
} as const;

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
