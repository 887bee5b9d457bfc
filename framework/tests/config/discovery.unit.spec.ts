import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  configSearchDirectories,
  defaultConfig,
  findConfigFile,
  loadConfig,
} from '../../src/config/index.js';
import { configErrorOf, recordingLog, tempTree, type TempTree } from './helpers.js';

let tree: TempTree;
beforeEach(() => {
  tree = tempTree();
});
afterEach(() => {
  tree.remove();
});

const env = {};

describe('finding domain.toml', () => {
  it('prefers .domain.toml to domain.toml in the same directory', () => {
    const entryDir = tree.dir('app');
    const hidden = tree.write('app/.domain.toml', 'event_processing = "async"\n');
    tree.write('app/domain.toml', 'event_processing = "sync"\n');

    const loaded = loadConfig({ entryDir, env, log: recordingLog() });

    expect(loaded.source).toBe('file');
    expect(loaded.file).toBe(hidden);
    expect(loaded.config.event_processing).toBe('async');
  });

  it('takes the nearest directory first, even a domain.toml over a parent .domain.toml', () => {
    const entryDir = tree.dir('app/src');
    const near = tree.write('app/src/domain.toml', 'command_processing = "async"\n');
    tree.write('app/.domain.toml', 'command_processing = "sync"\n');

    const loaded = loadConfig({ entryDir, env, log: recordingLog() });

    expect(loaded.file).toBe(near);
    expect(loaded.config.command_processing).toBe('async');
  });

  it('looks up to two parent directories', () => {
    const entryDir = tree.dir('a/b/c');
    const file = tree.write('a/domain.toml', 'enable_outbox = true\n');

    const loaded = loadConfig({ entryDir, env, log: recordingLog() });

    expect(loaded.file).toBe(file);
    expect(loaded.config.enable_outbox).toBe(true);
  });

  it('does not look three parent directories up', () => {
    const entryDir = tree.dir('a/b/c');
    tree.write('domain.toml', 'enable_outbox = true\n');

    expect(configSearchDirectories(entryDir)).toEqual([entryDir, tree.dir('a/b'), tree.dir('a')]);
    expect(findConfigFile(configSearchDirectories(entryDir))).toBeUndefined();
    expect(loadConfig({ entryDir, env, log: recordingLog() }).source).toBe('defaults');
  });

  it('skips a directory that happens to be called domain.toml', () => {
    const entryDir = tree.dir('app');
    tree.dir('app/domain.toml');
    const file = tree.write('domain.toml', 'identity_strategy = "function"\n');

    expect(loadConfig({ entryDir, env, log: recordingLog() }).file).toBe(file);
  });

  it('accepts the entry directory as a file: URL', () => {
    const entryDir = tree.dir('app');
    const file = tree.write('app/domain.toml', '');

    expect(
      loadConfig({ entryDir: pathToFileURL(`${entryDir}/`), env, log: recordingLog() }).file,
    ).toBe(file);
  });
});

describe('without a file', () => {
  it('uses the defaults and says so once, at info level', () => {
    const entryDir = tree.dir('x/y/z');
    const log = recordingLog();

    const loaded = loadConfig({ entryDir, env, log });

    expect(loaded).toEqual({
      config: defaultConfig(),
      userConfig: {},
      source: 'defaults',
      label: 'defaults',
    });
    expect(log.infos).toHaveLength(1);
    expect(log.infos[0]).toContain('No .domain.toml or domain.toml found in');
    expect(log.infos[0]).toContain(entryDir);
    expect(log.infos[0]).toContain('using the default configuration');
    expect(log.warnings).toEqual([]);
  });

  it('has the spec defaults', () => {
    const config = defaultConfig();
    expect(config.databases.default.provider).toBe('memory');
    expect(config.brokers.default.provider).toBe('inline');
    expect(config.outbox.retry).toEqual({
      max_attempts: 3,
      base_delay_seconds: 1,
      backoff_multiplier: 2,
      max_backoff_seconds: 60,
      jitter: true,
      jitter_factor: 0.25,
    });
    expect(config.server.stream_subscription.claim_idle_ms).toBe(60000);
    expect(config.logging.max_bytes).toBe(10485760);
    expect(config.observatory).toEqual({ host: '127.0.0.1', port: 9000 });
  });

  it('hands out copies of the defaults', () => {
    defaultConfig().databases.default.provider = 'postgresql';
    expect(defaultConfig().databases.default.provider).toBe('memory');
  });
});

describe('an explicit config object', () => {
  it('wins over a file and is deep-merged over the defaults', () => {
    const entryDir = tree.dir('app');
    tree.write('app/domain.toml', 'event_processing = "async"\n');
    const log = recordingLog();

    const loaded = loadConfig({
      entryDir,
      env: { PROTEAN_ENV: 'test' },
      log,
      explicit: { server: { health: { port: 0 } }, databases: { reports: { provider: 'memory' } } },
    });

    expect(loaded.source).toBe('explicit');
    expect(loaded.file).toBeUndefined();
    expect(loaded.config.event_processing).toBe('sync');
    expect(loaded.config.server.health).toEqual({ enabled: true, host: '127.0.0.1', port: 0 });
    expect(loaded.config.databases).toEqual({
      default: { provider: 'memory' },
      reports: { provider: 'memory' },
    });
    expect(loaded.userConfig).toEqual({
      server: { health: { port: 0 } },
      databases: { reports: { provider: 'memory' } },
    });
    expect(log.infos).toEqual([]);
  });

  it('is validated like a file, under the name "config"', () => {
    const error = configErrorOf(() =>
      loadConfig({ explicit: { event_procesing: 'sync' } as never, env, log: recordingLog() }),
    );
    expect(error.message).toBe(
      'config: event_procesing: unknown key; did you mean "event_processing"?',
    );
  });

  it('must be an object', () => {
    const error = configErrorOf(() => loadConfig({ explicit: 'postgresql' as never, env }));
    expect(error.message).toBe('config: must be a table, received "postgresql"');
  });

  it('is taken literally: no interpolation', () => {
    const loaded = loadConfig({
      explicit: { custom: { greeting: '${HOME}' } },
      env: { HOME: '/root' },
    });
    expect(loaded.config.custom['greeting']).toBe('${HOME}');
  });
});
