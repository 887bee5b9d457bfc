import type { DomainConfig } from './types.js';

/**
 * The defaults, key for key, as docs/reference/configuration.md lists them. Never handed out:
 * {@link defaultConfig} returns copies.
 */
const DEFAULTS: DomainConfig = {
  event_processing: 'sync',
  command_processing: 'sync',
  message_processing: 'async',
  enable_outbox: false,
  identity_strategy: 'uuid',
  databases: { default: { provider: 'memory' } },
  event_store: { provider: 'memory' },
  brokers: { default: { provider: 'inline' } },
  outbox: {
    broker: 'default',
    messages_per_tick: 50,
    tick_interval: 0.01,
    max_tick_interval: 1,
    lock_seconds: 300,
    retry: {
      max_attempts: 3,
      base_delay_seconds: 1,
      backoff_multiplier: 2,
      max_backoff_seconds: 60,
      jitter: true,
      jitter_factor: 0.25,
    },
    cleanup: { published_retention_hours: 168, abandoned_retention_hours: 720 },
  },
  conflict_retry: { max_attempts: 3, base_delay_ms: 5, max_delay_ms: 100 },
  server: {
    default_subscription_type: 'event_store',
    default_subscription_profile: '',
    messages_per_tick: 100,
    tick_interval: 0,
    shutdown_timeout_seconds: 10,
    stream_subscription: {
      blocking_timeout_ms: 1000,
      max_retries: 3,
      retry_delay_seconds: 1,
      enable_dlq: true,
      claim_idle_ms: 60000,
    },
    event_store_subscription: {
      position_update_interval: 10,
      max_retries: 3,
      retry_delay_seconds: 1,
    },
    health: { enabled: true, host: '127.0.0.1', port: 8080 },
    supervisor: { max_restarts: 5, within_seconds: 60 },
    subscriptions: {},
    profiles: {},
  },
  logging: {
    level: '',
    format: 'auto',
    log_dir: '',
    max_bytes: 10485760,
    backup_count: 5,
  },
  observatory: { host: '127.0.0.1', port: 9000 },
  custom: {},
};

/**
 * A fresh copy of the default configuration: what a domain runs with when it has no domain.toml
 * (memory adapters, inline broker, sync processing).
 *
 * @example
 * const config = defaultConfig();
 * config.databases.default.provider; // 'memory'
 */
export function defaultConfig(): DomainConfig {
  return structuredClone(DEFAULTS);
}
