import { afterEach, describe, expect, it } from 'vitest';
import {
  BUILTIN_PROFILES,
  loadConfig,
  resolveSubscriptionOptions,
} from '../../src/config/index.js';
import type { DomainConfigInput } from '../../src/config/index.js';
import { configErrorOf, recordingLog, tempTree, type TempTree } from './helpers.js';

/** What loadConfig returns for an explicit config object. */
const loaded = (explicit: DomainConfigInput = {}) =>
  loadConfig({ explicit, env: {}, log: recordingLog() });

describe('the built-in profiles', () => {
  it('are the spec table', () => {
    expect(BUILTIN_PROFILES).toEqual({
      production: {
        subscription_type: 'stream',
        messages_per_tick: 100,
        blocking_timeout_ms: 5000,
        max_retries: 3,
        retry_delay_seconds: 1,
        enable_dlq: true,
        position_update_interval: 10,
      },
      fast: {
        subscription_type: 'stream',
        messages_per_tick: 10,
        blocking_timeout_ms: 100,
        max_retries: 2,
        retry_delay_seconds: 0,
        enable_dlq: true,
        position_update_interval: 5,
      },
      batch: {
        subscription_type: 'stream',
        messages_per_tick: 500,
        blocking_timeout_ms: 10000,
        max_retries: 5,
        retry_delay_seconds: 2,
        enable_dlq: true,
        position_update_interval: 50,
      },
      debug: {
        subscription_type: 'stream',
        messages_per_tick: 1,
        blocking_timeout_ms: 1000,
        max_retries: 1,
        retry_delay_seconds: 0,
        enable_dlq: false,
        position_update_interval: 1,
      },
      projection: {
        subscription_type: 'event_store',
        messages_per_tick: 100,
        blocking_timeout_ms: 5000,
        max_retries: 3,
        retry_delay_seconds: 1,
        enable_dlq: false,
        position_update_interval: 10,
      },
    });
  });
});

describe('resolving a handler subscription', () => {
  it('falls back to the built-in defaults: an event_store subscription', () => {
    expect(resolveSubscriptionOptions(loaded(), 'Orders')).toEqual({
      handler: 'Orders',
      profile: undefined,
      subscription_type: 'event_store',
      messages_per_tick: 100,
      tick_interval: 0,
      max_retries: 3,
      retry_delay_seconds: 1,
      position_update_interval: 10,
    });
  });

  it('uses [server.stream_subscription] defaults for a stream subscription', () => {
    expect(
      resolveSubscriptionOptions(
        loaded({ server: { default_subscription_type: 'stream' } }),
        'Orders',
      ),
    ).toEqual({
      handler: 'Orders',
      profile: undefined,
      subscription_type: 'stream',
      messages_per_tick: 100,
      tick_interval: 0,
      max_retries: 3,
      retry_delay_seconds: 1,
      blocking_timeout_ms: 1000,
      enable_dlq: true,
      claim_idle_ms: 60000,
    });
  });

  it('lets a profile change what [server] only has as a default', () => {
    const options = resolveSubscriptionOptions(
      loaded({ server: { default_subscription_profile: 'batch' } }),
      'Orders',
    );
    expect(options).toMatchObject({
      profile: 'batch',
      subscription_type: 'stream',
      messages_per_tick: 500,
      blocking_timeout_ms: 10000,
      max_retries: 5,
      retry_delay_seconds: 2,
      enable_dlq: true,
      claim_idle_ms: 60000,
      tick_interval: 0,
    });
  });

  it('ranks values the user set in [server] above the profile', () => {
    const config = loaded({
      server: {
        default_subscription_profile: 'batch',
        messages_per_tick: 200,
        stream_subscription: { max_retries: 7 },
        event_store_subscription: { max_retries: 9 },
      },
    });
    expect(resolveSubscriptionOptions(config, 'Orders')).toMatchObject({
      messages_per_tick: 200,
      max_retries: 7,
      blocking_timeout_ms: 10000,
    });
  });

  it('ranks [server.subscriptions.<Handler>] above [server], and the handler own options above both', () => {
    const config = loaded({
      server: {
        messages_per_tick: 200,
        tick_interval: 0.5,
        subscriptions: { Orders: { messages_per_tick: 20, tick_interval: 0.25, max_retries: 4 } },
      },
    });
    expect(resolveSubscriptionOptions(config, 'Orders', { messages_per_tick: 5 })).toMatchObject({
      messages_per_tick: 5,
      tick_interval: 0.25,
      max_retries: 4,
    });
    expect(resolveSubscriptionOptions(config, 'Payments')).toMatchObject({
      messages_per_tick: 200,
      tick_interval: 0.5,
    });
  });

  it('takes the profile from the handler, then its table, then server.default_subscription_profile', () => {
    const config = loaded({
      server: {
        default_subscription_profile: 'batch',
        subscriptions: { Orders: { profile: 'fast' } },
      },
    });
    expect(resolveSubscriptionOptions(config, 'Orders', { profile: 'debug' })).toMatchObject({
      profile: 'debug',
      messages_per_tick: 1,
      enable_dlq: false,
    });
    expect(resolveSubscriptionOptions(config, 'Orders')).toMatchObject({
      profile: 'fast',
      messages_per_tick: 10,
    });
    expect(resolveSubscriptionOptions(config, 'Payments')).toMatchObject({
      profile: 'batch',
      messages_per_tick: 500,
    });
  });

  it('lets [server] default_subscription_type, when set, outrank the profile type', () => {
    const config = loaded({
      server: {
        default_subscription_type: 'stream',
        subscriptions: { Books: { profile: 'projection' } },
      },
    });
    expect(resolveSubscriptionOptions(config, 'Books')).toMatchObject({
      subscription_type: 'stream',
      enable_dlq: false,
    });
  });

  it('applies a built-in stream profile to an event_store subscription without asking for a DLQ', () => {
    const options = resolveSubscriptionOptions(loaded(), 'Books', {
      profile: 'production',
      subscription_type: 'event_store',
    });
    expect(options).toEqual({
      handler: 'Books',
      profile: 'production',
      subscription_type: 'event_store',
      messages_per_tick: 100,
      tick_interval: 0,
      max_retries: 3,
      retry_delay_seconds: 1,
      position_update_interval: 10,
    });
  });
});

describe('custom profiles', () => {
  it('inherit a built-in profile and override some of its keys', () => {
    const config = loaded({
      server: {
        profiles: { steady: { inherits: 'batch', messages_per_tick: 250, claim_idle_ms: 5000 } },
      },
    });
    expect(resolveSubscriptionOptions(config, 'Orders', { profile: 'steady' })).toMatchObject({
      profile: 'steady',
      subscription_type: 'stream',
      messages_per_tick: 250,
      claim_idle_ms: 5000,
      blocking_timeout_ms: 10000,
      max_retries: 5,
    });
  });

  it('may stand alone, over the built-in defaults', () => {
    const config = loaded({ server: { profiles: { lazy: { tick_interval: 2 } } } });
    expect(resolveSubscriptionOptions(config, 'Orders', { profile: 'lazy' })).toMatchObject({
      subscription_type: 'event_store',
      tick_interval: 2,
      messages_per_tick: 100,
    });
  });

  it('rank below the user [server] values', () => {
    const config = loaded({
      server: {
        messages_per_tick: 30,
        profiles: { steady: { inherits: 'batch', messages_per_tick: 250 } },
      },
    });
    expect(
      resolveSubscriptionOptions(config, 'Orders', { profile: 'steady' }).messages_per_tick,
    ).toBe(30);
  });
});

describe('subscription errors', () => {
  let tree: TempTree | undefined;
  afterEach(() => {
    tree?.remove();
    tree = undefined;
  });

  it('rejects a non-positive count or interval in the handler own options', () => {
    const error = configErrorOf(() =>
      resolveSubscriptionOptions(loaded(), 'Orders', {
        messages_per_tick: 0,
        blocking_timeout_ms: -5,
        tick_interval: -1,
      }),
    );
    expect(error.message.split('\n')).toEqual([
      '3 configuration problems:',
      '  Orders (handler options): messages_per_tick: must be a positive integer, received 0',
      '  Orders (handler options): blocking_timeout_ms: must be a positive integer, received -5',
      '  Orders (handler options): tick_interval: must be a number >= 0, received -1',
    ]);
  });

  it('rejects a non-positive count in [server.subscriptions.<Handler>] when the file is loaded', () => {
    tree = tempTree();
    const file = tree.write(
      'app/domain.toml',
      '[server.subscriptions.Orders]\nposition_update_interval = 0\n',
    );
    const error = configErrorOf(() =>
      loadConfig({ entryDir: tree?.dir('app'), env: {}, log: recordingLog() }),
    );
    expect(error.message).toBe(
      `${file}: server.subscriptions.Orders.position_update_interval: must be a positive integer, received 0`,
    );
  });

  it('rejects enable_dlq on an event_store subscription, naming where it was set', () => {
    tree = tempTree();
    const file = tree.write(
      'app/domain.toml',
      '[server.subscriptions.Books]\nsubscription_type = "event_store"\nenable_dlq = true\n',
    );
    const config = loadConfig({ entryDir: tree.dir('app'), env: {}, log: recordingLog() });

    const error = configErrorOf(() => resolveSubscriptionOptions(config, 'Books'));

    expect(error.message).toBe(
      `${file}: server.subscriptions.Books.enable_dlq: enable_dlq = true, but Books has an event_store subscription ` +
        'and dead-letter queues exist only for stream subscriptions; remove enable_dlq or set subscription_type = "stream"',
    );
    const own = configErrorOf(() =>
      resolveSubscriptionOptions(loaded(), 'Books', { profile: 'projection', enable_dlq: true }),
    );
    expect(own.message).toContain(
      'Books (handler options): enable_dlq: enable_dlq = true, but Books has an event_store subscription',
    );
  });

  it('rejects an unknown profile', () => {
    const config = loaded({ server: { profiles: { steady: { inherits: 'batch' } } } });
    const error = configErrorOf(() =>
      resolveSubscriptionOptions(config, 'Orders', { profile: 'turbo' }),
    );
    expect(error.message).toBe(
      'Orders (handler options): profile: unknown profile "turbo"; expected one of production, fast, batch, debug, ' +
        'projection, steady (or define it under [server.profiles.<name>])',
    );
  });

  it('rejects a custom profile that inherits an unknown built-in', () => {
    const userConfig = {
      server: { profiles: { steady: { inherits: 'turbo' } } },
    } as unknown as DomainConfigInput;
    const error = configErrorOf(() =>
      resolveSubscriptionOptions({ userConfig, label: 'domain.toml' }, 'Orders', {
        profile: 'steady',
      }),
    );
    expect(error.message).toBe(
      'domain.toml: server.profiles.steady.inherits: unknown profile "turbo"; expected one of production, fast, batch, debug, projection',
    );
  });

  it('rejects the same mistake already when the file is loaded', () => {
    const error = configErrorOf(() =>
      loaded({ server: { profiles: { steady: { inherits: 'turbo' as never } } } }),
    );
    expect(error.message).toBe(
      'config: server.profiles.steady.inherits: unknown profile "turbo"; expected one of production, fast, batch, debug, projection',
    );
  });
});
