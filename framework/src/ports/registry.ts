import { ConfigurationError } from '../core/errors.js';
import type { Broker } from './broker.js';
import type { DatabaseProvider } from './database.js';
import type { EventStore } from './event-store.js';
import type { IdempotencyStore } from './idempotency.js';
import type { OutboxStore } from './outbox.js';

/** Settings of one provider table, e.g. `[databases.default]`: its `provider` and its own keys. */
export interface ProviderSettings {
  provider: string;
  [key: string]: unknown;
}

/** What each kind of port is built into. */
export interface PortTypes {
  database: DatabaseProvider;
  event_store: EventStore;
  broker: Broker;
  /** Built from `[databases.default]`: the outbox lives in the aggregates' database. */
  outbox: OutboxStore;
  /** Built from `[databases.default]`: markers live where handlers write their effects. */
  idempotency: IdempotencyStore;
}

/** Builds an adapter from its settings; may load a driver lazily. */
export type ProviderFactory<P extends keyof PortTypes> = (
  settings: ProviderSettings,
) => Promise<PortTypes[P]>;

/**
 * Factories by port and provider name, as a domain consults them: the `Domain` exported by
 * `protean-ts` is given the built-in ones (memory, postgresql, inline, redis, redis_pubsub).
 */
export type ProviderTable = {
  readonly [P in keyof PortTypes]: Readonly<Record<string, ProviderFactory<P>>>;
};

/** No factories at all: what a domain built without a table starts from. */
export const NO_PROVIDERS: ProviderTable = Object.freeze({
  database: {},
  event_store: {},
  broker: {},
  outbox: {},
  idempotency: {},
});

// Filled only by explicit registerProvider() calls, never by importing a module.
const registered: { [P in keyof PortTypes]: Map<string, ProviderFactory<P>> } = {
  database: new Map(),
  event_store: new Map(),
  broker: new Map(),
  outbox: new Map(),
  idempotency: new Map(),
};

/**
 * Makes a provider name usable in domain.toml by every domain of the process, on top of the
 * built-in ones; registering a built-in name replaces that adapter (a test can swap one this way).
 *
 * @example
 * import { registerProvider } from 'protean-ts/adapter';
 * registerProvider('broker', 'kafka', async (settings) => createKafkaBroker(settings));
 */
export function registerProvider<P extends keyof PortTypes>(
  port: P,
  name: string,
  factory: ProviderFactory<P>,
): void {
  registered[port].set(name, factory);
}

/**
 * The provider names registered with {@link registerProvider} for a port (the built-in names are
 * not listed: they are a domain's own table, not global state).
 *
 * @example
 * registeredProviders('broker'); // [] until something calls registerProvider('broker', ...)
 */
export function registeredProviders(port: keyof PortTypes): string[] {
  return [...registered[port].keys()];
}

/** Every provider name a domain with `table` can build for `port`: registered ones and its own. */
export function providerNames(port: keyof PortTypes, table: ProviderTable): string[] {
  return [...new Set([...Object.keys(table[port]), ...registered[port].keys()])];
}

/**
 * Builds the adapter a provider table asks for, preferring a registered factory over `table`'s;
 * `key` is the table's path, for the error.
 */
export async function createProvider<P extends keyof PortTypes>(
  port: P,
  key: string,
  settings: ProviderSettings,
  table: ProviderTable,
): Promise<PortTypes[P]> {
  const own: Readonly<Record<string, ProviderFactory<P>>> = table[port];
  const factory =
    registered[port].get(settings.provider) ??
    (Object.hasOwn(own, settings.provider) ? own[settings.provider] : undefined);
  if (!factory) {
    const known = providerNames(port, table).join(', ') || 'none';
    throw new ConfigurationError(
      `${key}.provider: no adapter is registered for provider ${JSON.stringify(settings.provider)}; ` +
        `this installation provides ${known} (register one with registerProvider('${port}', ...))`,
    );
  }
  return factory(settings);
}
