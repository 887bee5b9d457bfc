import { ConfigurationError } from '../core/errors.js';
import type { DatabaseProvider } from './database.js';

/** Settings of one `[databases.<name>]` table. */
export interface DatabaseSettings {
  provider: string;
  [key: string]: unknown;
}

/** Builds a database provider from its settings; may load a driver lazily. */
export type DatabaseFactory = (settings: DatabaseSettings) => Promise<DatabaseProvider>;

const databaseFactories = new Map<string, DatabaseFactory>();

/** Makes a database provider name usable in domain.toml. Adapters register themselves. */
export function registerDatabaseProvider(name: string, factory: DatabaseFactory): void {
  databaseFactories.set(name, factory);
}

/** Builds the provider a `[databases.<name>]` table asks for. */
export async function createDatabaseProvider(
  key: string,
  settings: DatabaseSettings,
): Promise<DatabaseProvider> {
  const factory = databaseFactories.get(settings.provider);
  if (!factory) {
    const known = [...databaseFactories.keys()].join(', ');
    throw new ConfigurationError(
      `databases.${key}.provider: unknown provider ${JSON.stringify(settings.provider)}; expected one of ${known}`,
    );
  }
  return factory(settings);
}
