/**
 * The shape of a domain's configuration. Keys keep the snake_case names they have in
 * `domain.toml`, so the file, the explicit `config` object and `domain.config` read the same.
 */

/** `sync` runs the work in the caller's process and turn; `async` hands it to the engine. */
export type ProcessingMode = 'sync' | 'async';
/** How aggregate identities are generated: random UUIDs, or a generator registered on the domain. */
export type IdentityStrategy = 'uuid' | 'function';
/** Built-in providers a `[databases.<name>]` table may name (an application may register more). */
export type DatabaseProviderName = 'memory' | 'postgresql';
/** Providers the `[event_store]` table may name. */
export type EventStoreProviderName = 'memory' | 'postgresql';
/** Providers a `[brokers.<name>]` table may name; `redis` means Redis Streams. */
export type BrokerProviderName = 'inline' | 'redis' | 'redis_pubsub';
/** Where an async handler reads from: the event store (polling) or a broker stream. */
export type SubscriptionType = 'event_store' | 'stream';
/** The built-in subscription profiles. */
export type BuiltinProfileName = 'production' | 'fast' | 'batch' | 'debug' | 'projection';
/** `auto` is pretty on a TTY and JSON otherwise. */
export type LogFormat = 'auto' | 'pretty' | 'json';
/** `""` picks by environment: debug in development, info in production, warn in test. */
export type LogLevel = '' | 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';

/** One `[databases.<name>]` table; keys other than `provider` are the provider's own. */
export interface DatabaseConfig {
  /** @defaultValue `"memory"` for `databases.default`; required for every other name. */
  provider: DatabaseProviderName | (string & {});
  /** Connection string, e.g. `"${DATABASE_URL|postgresql://postgres@127.0.0.1:5432/bookshelf}"`. */
  database_uri?: string;
  /** Connections in the pool (postgresql). @defaultValue `10` */
  pool_size?: number;
  /** How long to wait for a connection (postgresql); 0 waits forever. @defaultValue `10000` */
  connect_timeout_ms?: number;
  /** How long a statement waits for a row lock (postgresql); 0 waits forever. @defaultValue `10000` */
  lock_timeout_ms?: number;
  [key: string]: unknown;
}

/** The `[event_store]` table; keys other than `provider` are the provider's own. */
export interface EventStoreConfig {
  /** @defaultValue `"memory"` */
  provider: EventStoreProviderName | (string & {});
  /** Connection string of a postgresql event store. */
  database_uri?: string;
  [key: string]: unknown;
}

/** One `[brokers.<name>]` table; keys other than `provider` are the provider's own. */
export interface BrokerConfig {
  /** @defaultValue `"inline"` for `brokers.default`; required for every other name. */
  provider: BrokerProviderName | (string & {});
  /** Redis URL, e.g. `"${REDIS_URL|redis://127.0.0.1:6379/0}"`. */
  URI?: string;
  [key: string]: unknown;
}

/** `[outbox.retry]`: how failed publications are retried. */
export interface OutboxRetryConfig {
  /** @defaultValue `3` */
  max_attempts: number;
  /** @defaultValue `1` */
  base_delay_seconds: number;
  /** @defaultValue `2` */
  backoff_multiplier: number;
  /** @defaultValue `60` */
  max_backoff_seconds: number;
  /** Adds +/- `jitter_factor` of the delay. @defaultValue `true` */
  jitter: boolean;
  /** @defaultValue `0.25` */
  jitter_factor: number;
}

/** `[outbox.cleanup]`: how long finished rows are kept. */
export interface OutboxCleanupConfig {
  /** @defaultValue `168` (a week) */
  published_retention_hours: number;
  /** @defaultValue `720` (thirty days) */
  abandoned_retention_hours: number;
}

/** `[outbox]`: the processor that publishes outbox rows to a broker. */
export interface OutboxConfig {
  /** Name of the `[brokers.<name>]` table to publish to. @defaultValue `"default"` */
  broker: string;
  /** @defaultValue `50` */
  messages_per_tick: number;
  /** Seconds between polls when busy. @defaultValue `0.01` */
  tick_interval: number;
  /** Idle polls back off up to this many seconds. @defaultValue `1` */
  max_tick_interval: number;
  /** Lease on claimed rows; expired leases are reclaimed. @defaultValue `300` */
  lock_seconds: number;
  retry: OutboxRetryConfig;
  cleanup: OutboxCleanupConfig;
}

/**
 * `[conflict_retry]`: how often a handler whose unit of work hit an optimistic-concurrency
 * conflict (`ExpectedVersionError`) is run again, on freshly loaded aggregates, before the error
 * is passed on. Applies to command handlers, event handlers and projectors.
 */
export interface ConflictRetryConfig {
  /** Runs of a handler in all, the first included; `1` never retries. @defaultValue `3` */
  max_attempts: number;
  /** The longest first pause; each further retry may wait up to twice as long. @defaultValue `5` */
  base_delay_ms: number;
  /** No pause is longer than this. @defaultValue `100` */
  max_delay_ms: number;
}

/** `[server.stream_subscription]`: defaults of broker-stream subscriptions. */
export interface StreamSubscriptionConfig {
  /** @defaultValue `1000` */
  blocking_timeout_ms: number;
  /** @defaultValue `3` */
  max_retries: number;
  /** @defaultValue `1` */
  retry_delay_seconds: number;
  /** @defaultValue `true` */
  enable_dlq: boolean;
  /** Pending entries of dead consumers are claimed after this. @defaultValue `60000` */
  claim_idle_ms: number;
}

/** `[server.event_store_subscription]`: defaults of event-store subscriptions. */
export interface EventStoreSubscriptionConfig {
  /** Messages handled between two position writes. @defaultValue `10` */
  position_update_interval: number;
  /** @defaultValue `3` */
  max_retries: number;
  /** @defaultValue `1` */
  retry_delay_seconds: number;
}

/** `[server.health]`: the liveness/readiness endpoints of `protean server`. */
export interface HealthConfig {
  /** @defaultValue `true` */
  enabled: boolean;
  /** @defaultValue `"127.0.0.1"` */
  host: string;
  /** `0` picks a free port. @defaultValue `8080` */
  port: number;
}

/** `[server.supervisor]`: how often crashed subscriptions are restarted. */
export interface SupervisorConfig {
  /** A crashed subscription restarts at most this often ... @defaultValue `5` */
  max_restarts: number;
  /** ... within this window; more and the engine exits 1. @defaultValue `60` */
  within_seconds: number;
}

/** Every subscription key a handler, a `[server.subscriptions.<Handler>]` table or a profile may set. */
export interface SubscriptionSettings {
  subscription_type?: SubscriptionType;
  messages_per_tick?: number;
  tick_interval?: number;
  blocking_timeout_ms?: number;
  max_retries?: number;
  retry_delay_seconds?: number;
  enable_dlq?: boolean;
  claim_idle_ms?: number;
  position_update_interval?: number;
}

/** `[server.subscriptions.<Handler>]`, or a handler's own options: overrides plus a profile name. */
export interface HandlerSubscriptionConfig extends SubscriptionSettings {
  /** A built-in profile or one defined under `[server.profiles.<name>]`. */
  profile?: string;
}

/** `[server.profiles.<name>]`: a custom profile, optionally starting from one built-in profile. */
export interface CustomProfileConfig extends SubscriptionSettings {
  inherits?: BuiltinProfileName;
}

/** `[server]`: the engine run by `protean server`. */
export interface ServerConfig {
  /** @defaultValue `"event_store"` */
  default_subscription_type: SubscriptionType;
  /** `""` (none), a built-in profile or a custom one. @defaultValue `""` */
  default_subscription_profile: string;
  /** @defaultValue `100` */
  messages_per_tick: number;
  /** Seconds between ticks; `0` polls again at once. @defaultValue `0` */
  tick_interval: number;
  /** @defaultValue `10` */
  shutdown_timeout_seconds: number;
  stream_subscription: StreamSubscriptionConfig;
  event_store_subscription: EventStoreSubscriptionConfig;
  health: HealthConfig;
  supervisor: SupervisorConfig;
  /** Per-handler overrides, keyed by handler name. @defaultValue `{}` */
  subscriptions: Record<string, HandlerSubscriptionConfig>;
  /** Custom profiles, keyed by profile name. @defaultValue `{}` */
  profiles: Record<string, CustomProfileConfig>;
}

/** `[logging]` */
export interface LoggingConfig {
  /** @defaultValue `""` (debug in development, info in production, warn in test) */
  level: LogLevel;
  /** @defaultValue `"auto"` */
  format: LogFormat;
  /** Also write log files here, rotated by size; `""` writes none. @defaultValue `""` */
  log_dir: string;
  /** @defaultValue `10485760` (10 MiB per file) */
  max_bytes: number;
  /** Rotated files kept. @defaultValue `5` */
  backup_count: number;
}

/** `[observatory]`: the dashboard served by `protean observatory`. */
export interface ObservatoryConfig {
  /** @defaultValue `"127.0.0.1"` */
  host: string;
  /** @defaultValue `9000` */
  port: number;
  /** When set, every request must carry it as a Bearer token. */
  token?: string;
}

/** A domain's resolved configuration: every key has a value. */
export interface DomainConfig {
  /** When event handlers and projectors run. @defaultValue `"sync"` */
  event_processing: ProcessingMode;
  /** Whether `domain.process()` runs the handler now. @defaultValue `"sync"` */
  command_processing: ProcessingMode;
  /** Subscribers: `sync` in tests, `async` under the server. @defaultValue `"async"` */
  message_processing: ProcessingMode;
  /** Events go to the outbox table in the aggregate's transaction. @defaultValue `false` */
  enable_outbox: boolean;
  /** @defaultValue `"uuid"` */
  identity_strategy: IdentityStrategy;
  /** Named databases; `default` always exists. @defaultValue `{ default: { provider: "memory" } }` */
  databases: { default: DatabaseConfig; [name: string]: DatabaseConfig };
  /** @defaultValue `{ provider: "memory" }` */
  event_store: EventStoreConfig;
  /** Named brokers; `default` always exists. @defaultValue `{ default: { provider: "inline" } }` */
  brokers: { default: BrokerConfig; [name: string]: BrokerConfig };
  outbox: OutboxConfig;
  conflict_retry: ConflictRetryConfig;
  server: ServerConfig;
  logging: LoggingConfig;
  observatory: ObservatoryConfig;
  /** Free-form values the application reads via `domain.config.custom`. @defaultValue `{}` */
  custom: Record<string, unknown>;
}

/** Every key optional, at every depth; lists and scalars are replaced whole. */
export type DeepPartial<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: DeepPartial<T[K]> }
    : T;

/** The explicit `config` object of `new Domain({ name, config })`: deep-merged over the defaults. */
export type DomainConfigInput = DeepPartial<DomainConfig>;

/** What {@link loadConfig} resolved, and where from. */
export interface LoadedConfig {
  /** Defaults, file (or explicit object), overlay and interpolation, validated. */
  config: DomainConfig;
  /**
   * Only what the user wrote (file plus overlay, interpolated; or the explicit object), without
   * the defaults. Subscription resolution needs it to tell a value set in `[server]` from a default.
   */
  userConfig: DomainConfigInput;
  /** `file`: a domain.toml was read; `explicit`: a `config` object was given; `defaults`: neither. */
  source: 'file' | 'explicit' | 'defaults';
  /** Absolute path of the file read, when `source` is `file`. */
  file?: string;
  /** The `PROTEAN_ENV` overlay that was applied, if any. */
  overlay?: string;
  /** How errors name the origin: the file path (relative to the cwd when inside it), `config` or `defaults`. */
  label: string;
}
