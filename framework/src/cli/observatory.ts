/** `protean observatory`: the monitoring server of one or more domains, until a signal. */
import type { Domain } from '../domain/domain.js';
import { createLogger } from '../logging/index.js';
import { Observatory } from '../observatory/server.js';
import type { observatory } from './commands/observatory.js';
import type { OptionsOf } from './define.js';
import { discoverDomain } from './discovery.js';
import type { CliIo } from './io.js';

/** Resolves when the process is asked to stop (SIGINT or SIGTERM). */
export type StopSignal = () => Promise<void>;

function processSignals(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

/**
 * Runs `protean observatory`: finds each `--domain` (several: each one as given, regardless of
 * `PROTEAN_DOMAIN`), initializes them, serves the observatory, prints where, and stops on
 * SIGINT or SIGTERM (or when `stopped` resolves), closing what it opened.
 */
export async function runObservatory(
  options: OptionsOf<typeof observatory>,
  io: CliIo,
  stopped: StopSignal = processSignals,
): Promise<void> {
  const domains = await loadDomains(options.domain ?? [], io);
  const first = domains[0]!;
  const logger = createLogger({ config: first.config.logging, env: { ...io.env } });
  const monitor = new Observatory({
    domains,
    ...(options.host === undefined ? {} : { host: options.host }),
    ...(options.port === undefined ? {} : { port: options.port }),
    logger: logger.component('protean.observatory'),
  });
  const stop = stopped();
  try {
    const { url } = await monitor.start();
    const names = domains.map((domain) => domain.name).join(', ');
    io.out(`protean observatory for ${names}: ${url}\n`);
    await stop;
  } finally {
    await monitor.close();
    for (const domain of domains) await domain.close().catch(() => undefined);
    await logger.close();
  }
}

/** The domains `--domain` names (initialized), or the one discovery finds without it. */
async function loadDomains(specs: readonly string[], io: CliIo): Promise<Domain[]> {
  const several = specs.length > 1;
  // With several --domain, each names its own: PROTEAN_DOMAIN would make them all the same one.
  const env = several ? { ...io.env, PROTEAN_DOMAIN: undefined } : io.env;
  const domains: Domain[] = [];
  try {
    for (const spec of specs.length > 0 ? specs : [undefined]) {
      const { domain } = await discoverDomain({ domain: spec, cwd: io.cwd, env });
      domains.push(await domain.init());
    }
    return domains;
  } catch (error) {
    for (const domain of domains) await domain.close().catch(() => undefined);
    throw error;
  }
}
