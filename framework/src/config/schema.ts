/**
 * What each key of domain.toml may hold, as data: validate.ts walks this tree. Tables list their
 * keys; `open` tables also take provider-specific keys; `record`s are tables of named tables
 * (`databases.<name>`, `server.subscriptions.<Handler>`); `free` takes anything (`custom`).
 */
import type { BuiltinProfileName } from './types.js';

export type Rule =
  | { kind: 'string' }
  | { kind: 'boolean' }
  | { kind: 'number'; min: number; positive?: boolean; max?: number; integer?: boolean }
  | { kind: 'choice'; values: readonly string[]; noun: 'value' | 'provider' | 'profile' }
  | {
      kind: 'table';
      keys: Readonly<Record<string, Rule>>;
      open?: boolean;
      required?: readonly string[];
    }
  | { kind: 'record'; of: Rule }
  | { kind: 'free' };

const STRING: Rule = { kind: 'string' };
const BOOLEAN: Rule = { kind: 'boolean' };
const FREE: Rule = { kind: 'free' };
/** A count or a duration that must be above zero. */
const POSITIVE: Rule = { kind: 'number', min: 0, positive: true };
const POSITIVE_INTEGER: Rule = { kind: 'number', min: 0, positive: true, integer: true };
/** A delay, a retry count or a tick where zero means "none" or "at once". */
const NON_NEGATIVE: Rule = { kind: 'number', min: 0 };
const NON_NEGATIVE_INTEGER: Rule = { kind: 'number', min: 0, integer: true };
/** `0` lets the operating system pick a free port. */
const PORT: Rule = { kind: 'number', min: 0, max: 65535, integer: true };

const choice = (
  values: readonly string[],
  noun: 'value' | 'provider' | 'profile' = 'value',
): Rule => ({
  kind: 'choice',
  values,
  noun,
});
const table = (keys: Record<string, Rule>): Rule => ({ kind: 'table', keys });
const providerTable = (providers: readonly string[], keys: Record<string, Rule>): Rule => ({
  kind: 'table',
  keys: { provider: choice(providers, 'provider'), ...keys },
  open: true,
  required: ['provider'],
});

/** The built-in subscription profiles, in the documented order (settings in profiles.ts). */
export const BUILTIN_PROFILE_NAMES: readonly BuiltinProfileName[] = [
  'production',
  'fast',
  'batch',
  'debug',
  'projection',
];

export const PROCESSING_MODES = ['sync', 'async'] as const;
export const DATABASE_PROVIDERS = ['memory', 'postgresql'] as const;
export const EVENT_STORE_PROVIDERS = ['memory', 'postgresql'] as const;
export const BROKER_PROVIDERS = ['inline', 'redis', 'redis_pubsub'] as const;
export const SUBSCRIPTION_TYPES = ['event_store', 'stream'] as const;
export const LOG_LEVELS = [
  '',
  'trace',
  'debug',
  'info',
  'warn',
  'error',
  'fatal',
  'silent',
] as const;

/** Keys any subscription layer may set: handler options, per-handler tables, profiles. */
export const SUBSCRIPTION_KEYS: Readonly<Record<string, Rule>> = {
  subscription_type: choice(SUBSCRIPTION_TYPES),
  messages_per_tick: POSITIVE_INTEGER,
  tick_interval: NON_NEGATIVE,
  blocking_timeout_ms: POSITIVE_INTEGER,
  max_retries: NON_NEGATIVE_INTEGER,
  retry_delay_seconds: NON_NEGATIVE,
  enable_dlq: BOOLEAN,
  claim_idle_ms: POSITIVE_INTEGER,
  position_update_interval: POSITIVE_INTEGER,
};

/** `[server.subscriptions.<Handler>]`, and a handler's own subscription options. */
export const HANDLER_SUBSCRIPTION_RULE: Rule = table({ ...SUBSCRIPTION_KEYS, profile: STRING });

const outbox = table({
  broker: STRING,
  messages_per_tick: POSITIVE_INTEGER,
  tick_interval: POSITIVE,
  max_tick_interval: POSITIVE,
  lock_seconds: POSITIVE,
  retry: table({
    max_attempts: POSITIVE_INTEGER,
    base_delay_seconds: NON_NEGATIVE,
    backoff_multiplier: { kind: 'number', min: 1 },
    max_backoff_seconds: POSITIVE,
    jitter: BOOLEAN,
    jitter_factor: { kind: 'number', min: 0, max: 1 },
  }),
  cleanup: table({ published_retention_hours: POSITIVE, abandoned_retention_hours: POSITIVE }),
});

const server = table({
  default_subscription_type: choice(SUBSCRIPTION_TYPES),
  // Checked against built-in and custom profiles once the whole config is known (validate.ts).
  default_subscription_profile: STRING,
  messages_per_tick: POSITIVE_INTEGER,
  tick_interval: NON_NEGATIVE,
  shutdown_timeout_seconds: POSITIVE,
  stream_subscription: table({
    blocking_timeout_ms: POSITIVE_INTEGER,
    max_retries: NON_NEGATIVE_INTEGER,
    retry_delay_seconds: NON_NEGATIVE,
    enable_dlq: BOOLEAN,
    claim_idle_ms: POSITIVE_INTEGER,
  }),
  event_store_subscription: table({
    position_update_interval: POSITIVE_INTEGER,
    max_retries: NON_NEGATIVE_INTEGER,
    retry_delay_seconds: NON_NEGATIVE,
  }),
  health: table({ enabled: BOOLEAN, host: STRING, port: PORT }),
  supervisor: table({ max_restarts: NON_NEGATIVE_INTEGER, within_seconds: POSITIVE }),
  subscriptions: { kind: 'record', of: HANDLER_SUBSCRIPTION_RULE },
  profiles: {
    kind: 'record',
    of: table({ ...SUBSCRIPTION_KEYS, inherits: choice(BUILTIN_PROFILE_NAMES, 'profile') }),
  },
});

/**
 * Provider names an application registered beyond the built-in ones (see `registerProvider` in
 * ports/registry.ts), so that domain.toml may name them.
 */
export interface ExtraProviders {
  databases?: readonly string[];
  event_store?: readonly string[];
  brokers?: readonly string[];
}

/** The whole of domain.toml (and of an explicit config object), with any extra provider names. */
export function configSchema(extra: ExtraProviders = {}): Rule {
  const names = (builtin: readonly string[], more: readonly string[] = []) => [
    ...builtin,
    ...more.filter((name) => !builtin.includes(name)),
  ];
  return table({
    event_processing: choice(PROCESSING_MODES),
    command_processing: choice(PROCESSING_MODES),
    message_processing: choice(PROCESSING_MODES),
    enable_outbox: BOOLEAN,
    identity_strategy: choice(['uuid', 'function']),
    databases: {
      kind: 'record',
      of: providerTable(names(DATABASE_PROVIDERS, extra.databases), {
        database_uri: STRING,
        pool_size: POSITIVE_INTEGER,
        connect_timeout_ms: NON_NEGATIVE_INTEGER,
        lock_timeout_ms: NON_NEGATIVE_INTEGER,
      }),
    },
    event_store: providerTable(names(EVENT_STORE_PROVIDERS, extra.event_store), {
      database_uri: STRING,
      pool_size: POSITIVE_INTEGER,
    }),
    brokers: {
      kind: 'record',
      of: providerTable(names(BROKER_PROVIDERS, extra.brokers), {
        URI: STRING,
        key_prefix: STRING,
        connect_timeout_ms: POSITIVE_INTEGER,
        command_timeout_ms: NON_NEGATIVE_INTEGER,
        watchdog_grace_ms: POSITIVE_INTEGER,
      }),
    },
    outbox,
    conflict_retry: table({
      max_attempts: POSITIVE_INTEGER,
      base_delay_ms: NON_NEGATIVE,
      max_delay_ms: NON_NEGATIVE,
    }),
    server,
    logging: table({
      level: choice(LOG_LEVELS),
      format: choice(['auto', 'pretty', 'json']),
      log_dir: STRING,
      max_bytes: POSITIVE_INTEGER,
      backup_count: NON_NEGATIVE_INTEGER,
    }),
    observatory: table({ host: STRING, port: PORT, token: STRING }),
    custom: FREE,
  });
}

export const CONFIG_SCHEMA: Rule = configSchema();

/** The known top-level keys; any other top-level table of a file is an environment overlay. */
export const TOP_LEVEL_KEYS: readonly string[] =
  CONFIG_SCHEMA.kind === 'table' ? Object.keys(CONFIG_SCHEMA.keys) : [];
