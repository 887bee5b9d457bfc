import type { ProteanError } from '../core/errors.js';
import { ConfigurationError, IncorrectUsageError } from '../core/errors.js';
import { loadConfig } from '../config/load.js';
import type { DomainConfig, DomainConfigInput } from '../config/types.js';
import type { Broker } from '../ports/broker.js';
import type { DatabaseProvider } from '../ports/database.js';
import type { EventStore } from '../ports/event-store.js';
import type { Logger } from '../ports/logger.js';
import { createProvider, registeredProviders } from '../ports/registry.js';
import type { Registry } from './registry.js';

/** The resolved configuration and the adapters it asked for, started. */
export interface DomainPorts {
  readonly config: DomainConfig;
  readonly database: DatabaseProvider;
  readonly eventStore: EventStore;
  readonly broker: Broker;
  /** Closes every adapter, in reverse start order. */
  close(): Promise<void>;
}

/** What `initialize()` needs from the domain. */
export interface InitInput {
  readonly name: string;
  readonly registry: Registry;
  readonly explicit: DomainConfigInput | undefined;
  readonly root: string | undefined;
  readonly logger: Logger;
  readonly hasIdentityFunction: boolean;
}

function resolveConfig(input: InitInput): { config?: DomainConfig; problem?: ProteanError } {
  try {
    const log = {
      info: (m: string) => input.logger.info(m),
      warn: (m: string) => input.logger.warn(m),
    };
    const providers = {
      databases: registeredProviders('database'),
      event_store: registeredProviders('event_store'),
      brokers: registeredProviders('broker'),
    };
    const { config } = loadConfig({
      entryDir: input.root,
      explicit: input.explicit,
      log,
      providers,
    });
    return { config };
  } catch (error) {
    if (error instanceof ConfigurationError) return { problem: error };
    throw error;
  }
}

function modelProblems(input: InitInput, config: DomainConfig | undefined): string[] {
  const problems = input.registry.validate();
  if (config?.identity_strategy === 'function' && !input.hasIdentityFunction) {
    problems.push(
      'identity_strategy is "function" but no generator is registered; call domain.identity(() => ...) before init()',
    );
  }
  return problems;
}

/**
 * Checks the whole model and the configuration, reporting every problem at once, then builds and
 * starts the configured adapters.
 */
export async function initialize(input: InitInput): Promise<DomainPorts> {
  const { config, problem } = resolveConfig(input);
  const problems = modelProblems(input, config);
  if (problems.length > 0) {
    const all = [...problems, ...(problem ? [problem.message] : [])];
    throw new IncorrectUsageError(
      `domain "${input.name}" cannot start; fix these problems:\n${all.map((p) => `  - ${p}`).join('\n')}`,
    );
  }
  if (!config) throw problem;
  return startPorts(config);
}

async function startPorts(config: DomainConfig): Promise<DomainPorts> {
  const started: { close(): Promise<void> }[] = [];
  const start = async <T extends { start(): Promise<void>; close(): Promise<void> }>(
    port: T,
  ): Promise<T> => {
    await port.start();
    started.unshift(port);
    return port;
  };
  const closeAll = async () => {
    for (const port of started.splice(0)) await port.close();
  };
  try {
    const database = await start(
      await createProvider('database', 'databases.default', config.databases.default),
    );
    const eventStore = await start(
      await createProvider('event_store', 'event_store', config.event_store),
    );
    const broker = await start(
      await createProvider('broker', 'brokers.default', config.brokers.default),
    );
    return { config, database, eventStore, broker, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
