import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/index.js';
import type { Env } from '../../src/config/index.js';
import { configErrorOf, recordingLog, tempTree, type TempTree } from './helpers.js';

let tree: TempTree;
beforeEach(() => {
  tree = tempTree();
});
afterEach(() => {
  tree.remove();
});

/** Writes domain.toml in a fresh app folder and loads it with `env`. */
function load(toml: string, env: Env = {}) {
  const file = tree.write('app/domain.toml', toml);
  const log = recordingLog();
  const run = () => loadConfig({ entryDir: tree.dir('app'), env, log });
  return { file, log, run };
}

const WITH_OVERLAYS = `
event_processing = "async"

[databases.default]
provider = "postgresql"
database_uri = "postgresql://postgres@127.0.0.1:5432/bookshelf"
pool_size = 10

[test]
event_processing = "sync"
[test.databases.default]
database_uri = "postgresql://postgres@127.0.0.1:5432/bookshelf_test"

[production.server]
messages_per_tick = 500
`;

describe('PROTEAN_ENV overlays', () => {
  it('deep-merges the [test] table over the base', () => {
    const { run, log } = load(WITH_OVERLAYS, { PROTEAN_ENV: 'test' });

    const loaded = run();

    expect(loaded.overlay).toBe('test');
    expect(loaded.config.event_processing).toBe('sync');
    expect(loaded.config.databases.default).toEqual({
      provider: 'postgresql',
      database_uri: 'postgresql://postgres@127.0.0.1:5432/bookshelf_test',
      pool_size: 10,
    });
    expect(loaded.config.server.messages_per_tick).toBe(100);
    expect(loaded.config).not.toHaveProperty('test');
    expect(loaded.config).not.toHaveProperty('production');
    expect(log.warnings).toEqual([]);
  });

  it('uses the base alone without PROTEAN_ENV', () => {
    const loaded = load(WITH_OVERLAYS).run();

    expect(loaded.overlay).toBeUndefined();
    expect(loaded.config.event_processing).toBe('async');
    expect(loaded.config.databases.default.database_uri).toBe(
      'postgresql://postgres@127.0.0.1:5432/bookshelf',
    );
  });

  it('warns about an unknown overlay name and uses the base alone', () => {
    const { run, log, file } = load(WITH_OVERLAYS, { PROTEAN_ENV: 'staging' });

    const loaded = run();

    expect(loaded.overlay).toBeUndefined();
    expect(loaded.config.event_processing).toBe('async');
    expect(log.warnings).toEqual([
      `PROTEAN_ENV=staging, but ${file} has no [staging] table; using the base configuration ` +
        '(overlays in the file: [test], [production]).',
    ]);
  });

  it('does not take a known table such as [server] for an overlay', () => {
    const { run, log } = load(WITH_OVERLAYS, { PROTEAN_ENV: 'server' });

    expect(run().config.server.messages_per_tick).toBe(100);
    expect(log.warnings[0]).toContain('has no [server] table');
  });

  it('validates every overlay, active or not, naming it in the key path', () => {
    const { run, file } = load(
      '[production]\nevent_procesing = "async"\n[test.brokers.default]\nprovider = "kafka"\n',
    );

    const error = configErrorOf(run);

    expect(error.message).toContain(
      `${file}: production.event_procesing: unknown key; did you mean "event_processing"?`,
    );
    expect(error.message).toContain(
      `${file}: test.brokers.default.provider: unknown provider "kafka"; expected one of inline, redis, redis_pubsub`,
    );
  });

  it('names the active overlay when a bad value came from it', () => {
    const { run, file } = load('[test]\ncommand_processing = "later"\n', { PROTEAN_ENV: 'test' });

    expect(configErrorOf(run).message).toBe(
      `${file}: test.command_processing: invalid value "later"; expected one of sync, async`,
    );
  });

  it('reports a misspelt table as a likely typo rather than as an overlay', () => {
    const { run, file } = load('[loging]\nlevel = "debug"\n');

    const error = configErrorOf(run);

    expect(error.message).toMatch(
      new RegExp(`^${escape(file)}: loging: unknown key; did you mean "logging"\\?`),
    );
    expect(error.message).toContain('read as a PROTEAN_ENV overlay');
  });
});

describe('${VAR} interpolation', () => {
  it('replaces a required variable', () => {
    const { run } = load('[brokers.default]\nprovider = "redis"\nURI = "${REDIS_URL}"\n', {
      REDIS_URL: 'redis://cache:6379/1',
    });

    expect(run().config.brokers.default.URI).toBe('redis://cache:6379/1');
  });

  it('fails on a missing required variable, naming the variable, the file and the key', () => {
    const { run, file } = load('[observatory]\ntoken = "${OBSERVATORY_TOKEN}"\n');

    const error = configErrorOf(run);

    expect(error.message).toBe(
      `${file}: observatory.token: environment variable OBSERVATORY_TOKEN is not set; ` +
        'set it, or give a default with ${OBSERVATORY_TOKEN|<default>}',
    );
  });

  it('uses the default after | when the variable is unset or empty', () => {
    const toml =
      '[databases.default]\nprovider = "postgresql"\ndatabase_uri = "${DATABASE_URL|postgresql://postgres@127.0.0.1:5432/bookshelf}"\n';

    expect(load(toml).run().config.databases.default.database_uri).toBe(
      'postgresql://postgres@127.0.0.1:5432/bookshelf',
    );
    expect(load(toml, { DATABASE_URL: '' }).run().config.databases.default.database_uri).toBe(
      'postgresql://postgres@127.0.0.1:5432/bookshelf',
    );
    expect(
      load(toml, { DATABASE_URL: 'postgresql://db/app' }).run().config.databases.default
        .database_uri,
    ).toBe('postgresql://db/app');
  });

  it('mixes several references with text', () => {
    const toml =
      '[custom]\ndsn = "postgresql://${DB_USER}:${DB_PASSWORD|secret}@${DB_HOST|localhost}/app"\n';

    expect(load(toml, { DB_USER: 'reader', DB_HOST: 'db' }).run().config.custom['dsn']).toBe(
      'postgresql://reader:secret@db/app',
    );
  });

  it('interpolates strings inside lists, and names the list position of a missing variable', () => {
    const toml =
      '[custom]\nhosts = ["${HOST_A}", "fixed", "${HOST_B|b.example}"]\nnested = [["${MISSING_ONE}"]]\n';
    const loaded = load(toml.replace(/nested.*\n/, ''), { HOST_A: 'a.example' }).run();

    expect(loaded.config.custom['hosts']).toEqual(['a.example', 'fixed', 'b.example']);

    const { run, file } = load(toml, { HOST_A: 'a.example' });
    expect(configErrorOf(run).message).toBe(
      `${file}: custom.nested[0][0]: environment variable MISSING_ONE is not set; ` +
        'set it, or give a default with ${MISSING_ONE|<default>}',
    );
  });

  it('interpolates after the overlay merge, so an overlay can replace a required reference', () => {
    const toml =
      '[observatory]\ntoken = "${OBSERVATORY_TOKEN}"\n[test.observatory]\ntoken = "test-token"\n';

    expect(load(toml, { PROTEAN_ENV: 'test' }).run().config.observatory.token).toBe('test-token');
  });

  it('does not interpolate overlays that are not active', () => {
    const toml = '[production.observatory]\ntoken = "${OBSERVATORY_TOKEN}"\n';

    expect(load(toml).run().config.observatory.token).toBeUndefined();
  });

  it('turns a wholly interpolated number or boolean into one', () => {
    const toml = '[server.health]\nport = "${PORT|8080}"\nenabled = "${HEALTH|true}"\n';

    expect(load(toml, { PORT: '3000' }).run().config.server.health).toEqual({
      enabled: true,
      host: '127.0.0.1',
      port: 3000,
    });
  });

  it('still rejects an interpolated value of the wrong type, saying what was received', () => {
    const { run, file } = load('[server.health]\nport = "${PORT}"\n', { PORT: 'http' });

    expect(configErrorOf(run).message).toBe(
      `${file}: server.health.port: must be an integer between 0 and 65535, received "http"`,
    );
  });
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
