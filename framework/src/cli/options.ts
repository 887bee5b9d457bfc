import { Option } from 'commander';

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
