import { InvalidArgumentError, Option } from 'commander';

/**
 * The `--domain` option every command that loads a domain takes (db, server, dlq ...).
 *
 * @example
 * program.command('server').addOption(domainOption());
 */
export function domainOption(): Option {
  return new Option(
    '--domain <spec>',
    'the domain: a file, a folder or a module, optionally :export or :factory() ' +
      '(default: PROTEAN_DOMAIN, else domain.ts, domain.js, subdomain.ts or subdomain.js here; ' +
      'PROTEAN_DOMAIN wins over this option)',
  );
}

/**
 * Parses a TCP port option: an integer from 0 (any free port) to 65535.
 *
 * @example
 * new Option('--health-port <port>').argParser(parsePort);
 */
export function parsePort(value: string): number {
  const port = Number(value);
  if (value.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new InvalidArgumentError(`expected a port from 0 to 65535, received "${value}".`);
  }
  return port;
}

/**
 * Parses a count option: a whole number greater than 0.
 *
 * @example
 * new Option('--limit <n>').argParser(parsePositiveInteger);
 */
export function parsePositiveInteger(value: string): number {
  const count = Number(value);
  if (value.trim() !== '' && Number.isInteger(count) && count > 0) return count;
  throw new InvalidArgumentError(`expected a whole number > 0, received "${value}".`);
}
