/** `protean check-health`, declared: ../check-health.ts runs it. */
import { command } from '../define.js';
import { DOMAIN_OPTION, parsePositiveInteger } from '../options.js';

/** `protean check-health`: the health check for process managers and container probes. */
export const checkHealth = command({
  name: 'check-health',
  description:
    'check that the domain loads and its database, event store and broker answer ' +
    '(exit 0 healthy, 1 not): for process managers and container probes',
  options: [
    DOMAIN_OPTION,
    { flags: '--json', description: 'print the report as JSON' },
    {
      flags: '--timeout-ms <ms>',
      description: 'how long each check may take',
      parse: parsePositiveInteger,
      default: 2000,
    },
  ],
  run: async ({ options, io }): Promise<void> =>
    (await import('../check-health.js')).runCheckHealth(options, io),
});
