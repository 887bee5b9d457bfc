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

const factories: { [P in keyof PortTypes]: Map<string, ProviderFactory<P>> } = {
  database: new Map(),
  event_store: new Map(),
  broker: new Map(),
  outbox: new Map(),
  idempotency: new Map(),
};

/**
 * Makes a provider name usable in domain.toml. The built-in adapters register themselves; an
 * application can add its own.
 *
 * @example
 * registerProvider('database', 'memory', async () => createMemoryDatabase());
 */
export function registerProvider<P extends keyof PortTypes>(
  port: P,
  name: string,
  factory: ProviderFactory<P>,
): void {
  factories[port].set(name, factory);
}

/** Builds the adapter a provider table asks for; `key` is the table's path, for the error. */
export async function createProvider<P extends keyof PortTypes>(
  port: P,
  key: string,
  settings: ProviderSettings,
): Promise<PortTypes[P]> {
  const factory = factories[port].get(settings.provider);
  if (!factory) {
    const known = [...factories[port].keys()].join(', ');
    throw new ConfigurationError(
      `${key}.provider: no adapter is registered for provider ${JSON.stringify(settings.provider)}; ` +
        `this installation provides ${known} (register one with registerProvider('${port}', ...))`,
    );
  }
  return factory(settings);
}

/** The provider names registered for a port (built-in and the application's own). */
export function registeredProviders(port: keyof PortTypes): string[] {
  return [...factories[port].keys()];
}
