import { InvalidArgumentError } from 'commander';
import type { OptionSpec } from './define.js';

/** The `--domain` option every command that loads a domain takes (db, server, dlq ...). */
export const DOMAIN_OPTION = {
  flags: '--domain <spec>',
  description:
    'the domain: a file, a folder or a module, optionally :export or :factory() ' +
    '(default: PROTEAN_DOMAIN, else domain.ts, domain.js, subdomain.ts or subdomain.js here; ' +
    'PROTEAN_DOMAIN wins over this option)',
} as const satisfies OptionSpec;

/** Parses a TCP port option: an integer from 0 (any free port) to 65535. */
export function parsePort(value: string): number {
  const port = Number(value);
  if (value.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError(`expected a port from 0 to 65535, received "${value}".`);
  }
  return port;
}

/** Parses a count option: a whole number greater than 0. */
export function parsePositiveInteger(value: string): number {
  const count = Number(value);
  if (value.trim() !== '' && Number.isInteger(count) && count > 0) return count;
  throw new InvalidArgumentError(`expected a whole number > 0, received "${value}".`);
}

/** Parses `--workers`: an integer from 1 to 64. */
export function parseWorkers(value: string): number {
  const workers = Number(value);
  if (!Number.isInteger(workers) || workers < 1 || workers > 64) {
    throw new InvalidArgumentError(`expected a whole number from 1 to 64, received "${value}".`);
  }
  return workers;
}
