import type { ProteanError } from '../core/errors.js';
import { ConfigurationError, IncorrectUsageError } from '../core/errors.js';
import { loadConfig } from '../config/load.js';
import { resolveSubscriptionOptions } from '../config/profiles.js';
import type {
  DomainConfig,
  DomainConfigInput,
  HandlerSubscriptionConfig,
  LoadedConfig,
} from '../config/types.js';
import type { Broker } from '../ports/broker.js';
import type { DatabaseProvider, KindSchema } from '../ports/database.js';
import type { IdentityMeta } from '../core/entity.js';
import { snakeCase } from './names.js';
import type { EventStore } from '../ports/event-store.js';
import type { IdempotencyStore } from '../ports/idempotency.js';
import type { OutboxStore } from '../ports/outbox.js';
import type { UnitOfWorkPorts } from '../unit-of-work/unit-of-work.js';
import type { Logger } from '../ports/logger.js';
import { createProvider, providerNames } from '../ports/registry.js';
import type { ProviderTable } from '../ports/registry.js';
import type { Registry } from './registry.js';

/** The resolved configuration and the adapters it asked for, started. */
export interface DomainPorts {
  readonly config: DomainConfig;
  /** Where the configuration came from, and what the user wrote (for subscription options). */
  readonly loaded: LoadedConfig;
  readonly database: DatabaseProvider;
  readonly eventStore: EventStore;
  readonly broker: Broker;
  readonly outbox: OutboxStore;
  readonly idempotency: IdempotencyStore;
  /** What every unit of work writes to (the outbox only with `enable_outbox`). */
  readonly unitOfWork: UnitOfWorkPorts;
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
  /** The adapters the domain may build, besides those registered with `registerProvider()`. */
  readonly providers: ProviderTable;
}

/** A subscriber reads through a consumer group, whatever the default subscription type. */
export function subscriberSettings(
  own: HandlerSubscriptionConfig | undefined,
): HandlerSubscriptionConfig {
  return { subscription_type: 'stream', ...own };
}

/** Resolves every handler's subscription options, so bad combinations fail at init. */
function subscriptionProblems(input: InitInput, loaded: LoadedConfig): string[] {
  const problems: string[] = [];
  const { eventHandlers, subscribers } = input.registry;
  const declared = [
    ...[...eventHandlers.values()].map(({ name, options }) => ({
      name,
      own: options.subscription,
    })),
    ...[...subscribers.values()].map(({ name, subscription }) => ({
      name,
      own: subscriberSettings(subscription),
    })),
  ];
  for (const { name, own } of declared) {
    try {
      resolveSubscriptionOptions(loaded, name, own);
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      problems.push(error.message);
    }
  }
  return problems;
}

function resolveConfig(input: InitInput): { loaded?: LoadedConfig; problem?: ProteanError } {
  try {
    const log = {
      info: (m: string) => input.logger.info(m),
      warn: (m: string) => input.logger.warn(m),
    };
    const providers = {
      databases: providerNames('database', input.providers),
      event_store: providerNames('event_store', input.providers),
      brokers: providerNames('broker', input.providers),
    };
    return {
      loaded: loadConfig({ entryDir: input.root, explicit: input.explicit, log, providers }),
    };
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
  const { loaded, problem } = resolveConfig(input);
  const model = modelProblems(input, loaded?.config);
  const settings = loaded ? subscriptionProblems(input, loaded) : [problem?.message ?? ''];
  if (model.length > 0) throw cannotStart(input.name, [...model, ...settings], IncorrectUsageError);
  if (problem) throw problem;
  if (settings.length > 0) throw cannotStart(input.name, settings, ConfigurationError);
  return startPorts(loaded!, kindsOf(input), input.logger, input.providers);
}

/** One error listing every problem: about the model (incorrect usage) or the settings alone. */
function cannotStart(
  name: string,
  problems: string[],
  Kind: typeof IncorrectUsageError | typeof ConfigurationError,
): ProteanError {
  const list = problems.map((p) => `  - ${p}`).join('\n');
  return new Kind(`domain "${name}" cannot start; fix these problems:\n${list}`);
}

/**
 * State and messages commit together only when the event store and the outbox write in the
 * database's transaction (guarantee 1). The outbox must; the event store must when it uses the
 * same technology (then a different database is a mistake), and is warned about otherwise.
 */
async function checkJoins(
  ports: Pick<DomainPorts, 'config' | 'database' | 'eventStore' | 'outbox'>,
  logger: Logger,
): Promise<void> {
  const { config, database, eventStore, outbox } = ports;
  const session = await database.begin();
  const link = session.link;
  await session.rollback();
  if (config.enable_outbox && !(link && outbox.canJoin(link))) {
    throw new ConfigurationError(
      `enable_outbox: the outbox (${outbox.provider}) cannot write in the transactions of the ` +
        `default database (${database.provider}); keep both on the same database`,
    );
  }
  if (link && eventStore.canJoin(link)) return;
  const problem =
    `event_store: the ${eventStore.provider} event store cannot write in the transactions of the ` +
    `${database.provider} default database, so a change and its events would not commit together`;
  if (eventStore.provider === database.provider) {
    throw new ConfigurationError(
      `${problem}; give event_store the same database_uri as databases.default (same host spelling)`,
    );
  }
  logger.warn(`${problem}; use the same database for both to keep that guarantee`);
}

/** Every aggregate and projection the domain stores, for SQL adapters to derive tables from. */
function kindsOf(input: InitInput): KindSchema[] {
  const kinds: KindSchema[] = [];
  for (const { meta } of input.registry.elements.values()) {
    if (meta.kind !== 'aggregate' && meta.kind !== 'projection') continue;
    const { identityField } = meta as IdentityMeta;
    const kind = `${input.name}.${snakeCase(meta.name)}`;
    kinds.push({ kind, element: meta.kind, name: meta.name, fields: meta.fields, identityField });
  }
  return kinds;
}

async function startPorts(
  loaded: LoadedConfig,
  kinds: readonly KindSchema[],
  logger: Logger,
  providers: ProviderTable,
): Promise<DomainPorts> {
  const { config } = loaded;
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
    const database = await createProvider(
      'database',
      'databases.default',
      config.databases.default,
      providers,
    );
    database.declare?.(kinds);
    await start(database);
    const eventStore = await start(
      await createProvider('event_store', 'event_store', config.event_store, providers),
    );
    const broker = await start(
      await createProvider('broker', 'brokers.default', config.brokers.default, providers),
    );
    const databaseSettings = config.databases.default;
    const outbox = await start(
      await createProvider('outbox', 'databases.default', databaseSettings, providers),
    );
    const idempotency = await start(
      await createProvider('idempotency', 'databases.default', databaseSettings, providers),
    );
    await checkJoins({ config, database, eventStore, outbox }, logger);
    const unitOfWork: UnitOfWorkPorts = {
      database,
      eventStore,
      outbox: config.enable_outbox ? { store: outbox, broker: config.outbox.broker } : undefined,
    };
    const ports = { config, loaded, database, eventStore, broker, outbox, idempotency, unitOfWork };
    return { ...ports, close: closeAll };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
