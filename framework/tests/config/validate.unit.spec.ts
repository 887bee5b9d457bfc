import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkConfig, loadConfig } from '../../src/config/index.js';
import { configErrorOf, recordingLog, tempTree, type TempTree } from './helpers.js';

let tree: TempTree;
beforeEach(() => {
  tree = tempTree();
});
afterEach(() => {
  vi.restoreAllMocks();
  tree.remove();
});

/** Loads `toml` as app/domain.toml and returns the error it must raise, plus the file's label. */
function errorOf(toml: string) {
  const file = tree.write('app/domain.toml', toml);
  const error = configErrorOf(() =>
    loadConfig({ entryDir: tree.dir('app'), env: {}, log: recordingLog() }),
  );
  return { error, file };
}

describe('unknown keys', () => {
  it('names a misspelt top-level key and suggests the closest known one', () => {
    const { error, file } = errorOf('event_procesing = "async"\n');
    expect(error.message).toBe(
      `${file}: event_procesing: unknown key; did you mean "event_processing"?`,
    );
  });

  it('checks keys inside known tables too', () => {
    const { error, file } = errorOf('[outbox.retry]\nmax_attempt = 5\n[server.health]\nprot = 1\n');
    expect(error.message).toContain(
      `${file}: outbox.retry.max_attempt: unknown key; did you mean "max_attempts"?`,
    );
    expect(error.message).toContain(
      `${file}: server.health.prot: unknown key; did you mean "port"?`,
    );
  });

  it('lists the known keys when nothing is close', () => {
    const { error, file } = errorOf('[logging]\nwhatever = 1\n');
    expect(error.message).toBe(
      `${file}: logging.whatever: unknown key; expected one of level, format, log_dir, max_bytes, backup_count`,
    );
  });

  it('allows free-form custom values and provider-specific keys', () => {
    const file = tree.write(
      'app/domain.toml',
      [
        '[custom]',
        'anything = { goes = [1, "two"] }',
        '[databases.default]',
        'provider = "postgresql"',
        'database_uri = "postgresql://x"',
        'ssl = true',
        'schema = "bookshelf"',
        '[event_store]',
        'provider = "postgresql"',
        'statement_timeout_ms = 500',
        '[brokers.default]',
        'provider = "redis"',
        'URI = "redis://127.0.0.1:6379/0"',
        'maxlen = 10000',
        '[server.subscriptions.BookProjector]',
        'profile = "projection"',
      ].join('\n'),
    );
    const { config, source } = loadConfig({
      entryDir: tree.dir('app'),
      env: {},
      log: recordingLog(),
    });
    expect(source).toBe('file');
    expect(file).toContain('domain.toml');
    expect(config.custom).toEqual({ anything: { goes: [1, 'two'] } });
    expect(config.databases.default['schema']).toBe('bookshelf');
    expect(config.brokers.default['maxlen']).toBe(10000);
  });

  it('still catches a near-miss of a known key in a provider table', () => {
    const { error, file } = errorOf(
      '[databases.default]\nprovder = "postgresql"\ndatabase_url = "x"\n',
    );
    expect(error.message).toContain(
      `${file}: databases.default.provder: unknown key; did you mean "provider"?`,
    );
    expect(error.message).toContain(
      `${file}: databases.default.database_url: unknown key; did you mean "database_uri"?`,
    );
  });

  it('checks the keys of per-handler subscription tables and custom profiles', () => {
    const { error, file } = errorOf(
      '[server.subscriptions.Orders]\nmax_retires = 2\n[server.profiles.mine]\nenable_dql = false\n',
    );
    expect(error.message).toContain(
      `${file}: server.subscriptions.Orders.max_retires: unknown key; did you mean "max_retries"?`,
    );
    expect(error.message).toContain(
      `${file}: server.profiles.mine.enable_dql: unknown key; did you mean "enable_dlq"?`,
    );
  });
});

describe('providers', () => {
  it('rejects an unknown broker provider with the spec message', () => {
    const file = tree.write('app/domain.toml', '[brokers.default]\nprovider = "redis-streams"\n');
    vi.spyOn(process, 'cwd').mockReturnValue(tree.dir('app'));

    const error = configErrorOf(() =>
      loadConfig({ entryDir: tree.dir('app'), env: {}, log: recordingLog() }),
    );

    expect(file).toMatch(/domain\.toml$/);
    expect(error.message).toBe(
      'domain.toml: brokers.default.provider: unknown provider "redis-streams"; expected one of inline, redis, redis_pubsub',
    );
  });

  it('rejects unknown database and event store providers', () => {
    const { error, file } = errorOf(
      '[databases.reports]\nprovider = "sqlite"\n[event_store]\nprovider = "eventstoredb"\n',
    );
    expect(error.message).toContain(
      `${file}: databases.reports.provider: unknown provider "sqlite"; expected one of memory, postgresql`,
    );
    expect(error.message).toContain(
      `${file}: event_store.provider: unknown provider "eventstoredb"; expected one of memory, postgresql`,
    );
  });

  it('accepts provider names the application registered', () => {
    tree.write(
      'app/domain.toml',
      '[databases.default]\nprovider = "sqlite"\n[brokers.default]\nprovider = "nats"\n',
    );
    const { config } = loadConfig({
      entryDir: tree.dir('app'),
      env: {},
      log: recordingLog(),
      providers: { databases: ['sqlite'], brokers: ['nats'] },
    });
    expect(config.databases.default.provider).toBe('sqlite');
    expect(config.brokers.default.provider).toBe('nats');
  });

  it('requires a provider for every named database and broker but default', () => {
    const { error, file } = errorOf(
      '[databases.reports]\ndatabase_uri = "x"\n[brokers.audit]\nURI = "redis://x"\n',
    );
    expect(error.message).toContain(
      `${file}: databases.reports.provider: missing; expected one of memory, postgresql`,
    );
    expect(error.message).toContain(
      `${file}: brokers.audit.provider: missing; expected one of inline, redis, redis_pubsub`,
    );
  });
});

describe('TOML syntax errors', () => {
  it('name the file, line and column', () => {
    const { error, file } = errorOf('event_processing = "sync"\nenable_outbox = maybe\n');
    expect(error.message).toMatch(
      new RegExp(
        `^${escape(file)}: line 2, column 17: invalid TOML: invalid value; fix the syntax at that spot\\n`,
      ),
    );
    expect(error.message).toContain('2:  enable_outbox = maybe');
  });

  it('refuse unsafe keys such as __proto__', () => {
    const { error, file } = errorOf('[custom]\n__proto__ = 1\n');
    expect(error.message).toContain(
      `${file}: line 2, column 1: invalid TOML: document contains an unsafe property`,
    );
  });
});

describe('values', () => {
  it('checks the enumerated settings', () => {
    const { error, file } = errorOf(
      [
        'event_processing = "asynchronous"',
        'identity_strategy = "serial"',
        '[logging]',
        'format = "xml"',
        'level = "verbose"',
        '[server]',
        'default_subscription_type = "polling"',
      ].join('\n'),
    );
    expect(error.message).toContain(
      `${file}: event_processing: invalid value "asynchronous"; expected one of sync, async`,
    );
    expect(error.message).toContain(
      `${file}: identity_strategy: invalid value "serial"; expected one of uuid, function`,
    );
    expect(error.message).toContain(
      `${file}: logging.format: invalid value "xml"; expected one of auto, pretty, json`,
    );
    expect(error.message).toContain(
      `${file}: logging.level: invalid value "verbose"; expected one of "", trace, debug, info, warn, error, fatal, silent`,
    );
    expect(error.message).toContain(
      `${file}: server.default_subscription_type: invalid value "polling"; expected one of event_store, stream`,
    );
  });

  it('checks types and ranges, saying what was received', () => {
    const { error, file } = errorOf(
      [
        'enable_outbox = "yes"',
        '[outbox]',
        'messages_per_tick = 0',
        'tick_interval = -1',
        '[outbox.retry]',
        'jitter_factor = 2',
        'max_attempts = 2.5',
        '[server]',
        'messages_per_tick = "many"',
        '[server.health]',
        'port = 70000',
        '[observatory]',
        'host = 9000',
        '[databases]',
        'default = "memory"',
      ].join('\n'),
    );
    const lines = [
      'enable_outbox: must be true or false, received "yes"',
      'outbox.messages_per_tick: must be a positive integer, received 0',
      'outbox.tick_interval: must be a positive number, received -1',
      'outbox.retry.jitter_factor: must be a number between 0 and 1, received 2',
      'outbox.retry.max_attempts: must be a positive integer, received 2.5',
      'server.messages_per_tick: must be a positive integer, received "many"',
      'server.health.port: must be an integer between 0 and 65535, received 70000',
      'observatory.host: must be a string, received 9000',
      'databases.default: must be a table, received "memory"',
    ];
    for (const line of lines) expect(error.message).toContain(`${file}: ${line}`);
  });

  it('accepts zero where the spec uses it: tick_interval and retry delays', () => {
    tree.write(
      'app/domain.toml',
      '[server]\ntick_interval = 0\n[server.stream_subscription]\nretry_delay_seconds = 0\nmax_retries = 0\n',
    );
    expect(
      loadConfig({ entryDir: tree.dir('app'), env: {}, log: recordingLog() }).config.server
        .tick_interval,
    ).toBe(0);
  });

  it('reports every problem at once, one per line', () => {
    const { error, file } = errorOf(
      'event_procesing = "sync"\n[brokers.default]\nprovider = "redis-streams"\n[server.health]\nport = -1\n',
    );
    expect(error.message.split('\n')).toEqual([
      '3 configuration problems:',
      `  ${file}: event_procesing: unknown key; did you mean "event_processing"?`,
      `  ${file}: brokers.default.provider: unknown provider "redis-streams"; expected one of inline, redis, redis_pubsub`,
      `  ${file}: server.health.port: must be an integer between 0 and 65535, received -1`,
    ]);
  });

  it('reports a bad value once, not once per checking step', () => {
    const { error, file } = errorOf('message_processing = "later"\n');
    expect(error.message).toBe(
      `${file}: message_processing: invalid value "later"; expected one of sync, async`,
    );
  });
});

describe('subscription profiles in the file', () => {
  it('accepts a built-in or custom default profile', () => {
    tree.write(
      'app/domain.toml',
      '[server]\ndefault_subscription_profile = "mine"\n[server.profiles.mine]\ninherits = "fast"\n',
    );
    const { config } = loadConfig({ entryDir: tree.dir('app'), env: {}, log: recordingLog() });
    expect(config.server.default_subscription_profile).toBe('mine');
  });

  it('rejects an unknown profile, a custom profile inheriting an unknown one, and a built-in name reused', () => {
    const { error, file } = errorOf(
      [
        '[server]',
        'default_subscription_profile = "turbo"',
        '[server.subscriptions.Orders]',
        'profile = "slow"',
        '[server.profiles.mine]',
        'inherits = "ultra"',
        '[server.profiles.fast]',
        'messages_per_tick = 20',
      ].join('\n'),
    );
    const known = 'production, fast, batch, debug, projection, mine';
    expect(error.message).toContain(
      `${file}: server.default_subscription_profile: unknown profile "turbo"; expected one of ${known} (or define it under [server.profiles.<name>])`,
    );
    expect(error.message).toContain(
      `${file}: server.subscriptions.Orders.profile: unknown profile "slow"`,
    );
    expect(error.message).toContain(
      `${file}: server.profiles.mine.inherits: unknown profile "ultra"; expected one of production, fast, batch, debug, projection`,
    );
    expect(error.message).toContain(
      `${file}: server.profiles.fast: "fast" is a built-in profile; give the custom profile another name`,
    );
  });
});

describe('checkConfig', () => {
  it('returns the issues instead of throwing', () => {
    expect(checkConfig({ server: { health: { enabled: 'no' } } }, { file: 'config' })).toEqual([
      {
        file: 'config',
        path: 'server.health.enabled',
        message: 'must be true or false, received "no"',
      },
    ]);
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
