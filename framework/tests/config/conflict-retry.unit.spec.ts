/** `[conflict_retry]`: its defaults, how it is read, and the errors a bad value gives. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultConfig, loadConfig } from '../../src/config/index.js';
import { ConfigurationError, Domain } from '../../src/index.js';
import { configErrorOf, recordingLog, tempTree, type TempTree } from './helpers.js';

let tree: TempTree;
beforeEach(() => {
  tree = tempTree();
});
afterEach(() => {
  tree.remove();
});

/** Loads `toml` as app/domain.toml with `env`. */
function load(toml: string, env: Record<string, string> = {}) {
  const file = tree.write('app/domain.toml', toml);
  const run = () => loadConfig({ entryDir: tree.dir('app'), env, log: recordingLog() });
  return { file, run };
}

describe('[conflict_retry]', () => {
  it('defaults to 3 runs, pauses of up to 5 ms at first and never more than 100 ms', () => {
    expect(defaultConfig().conflict_retry).toEqual({
      max_attempts: 3,
      base_delay_ms: 5,
      max_delay_ms: 100,
    });
  });

  it('is read from domain.toml, key by key over the defaults, overlays and ${VAR} included', () => {
    const { run } = load(
      [
        '[conflict_retry]',
        'max_attempts = "${CONFLICT_ATTEMPTS|4}"',
        '[test.conflict_retry]',
        'base_delay_ms = 0',
      ].join('\n'),
      { PROTEAN_ENV: 'test', CONFLICT_ATTEMPTS: '6' },
    );
    expect(run().config.conflict_retry).toEqual({
      max_attempts: 6,
      base_delay_ms: 0,
      max_delay_ms: 100,
    });
  });

  it('names each bad value with the key, what it must be and what it received', () => {
    const { file, run } = load(
      '[conflict_retry]\nmax_attempts = 0\nbase_delay_ms = -1\nmax_delay_ms = "fast"\n',
    );
    const error = configErrorOf(run);
    expect(error.message).toContain(
      `${file}: conflict_retry.max_attempts: must be a positive integer, received 0`,
    );
    expect(error.message).toContain(
      `${file}: conflict_retry.base_delay_ms: must be a number >= 0, received -1`,
    );
    expect(error.message).toContain(
      `${file}: conflict_retry.max_delay_ms: must be a number >= 0, received "fast"`,
    );
  });

  it('refuses a fractional number of attempts', () => {
    const { file, run } = load('[conflict_retry]\nmax_attempts = 2.5\n');
    expect(configErrorOf(run).message).toBe(
      `${file}: conflict_retry.max_attempts: must be a positive integer, received 2.5`,
    );
  });

  it('suggests the closest key for a misspelt one, and the table for a misspelt table', () => {
    const key = load('[conflict_retry]\nmax_attempt = 5\n');
    expect(configErrorOf(key.run).message).toBe(
      `${key.file}: conflict_retry.max_attempt: unknown key; did you mean "max_attempts"?`,
    );
    const table = load('[conflict_retries]\nmax_attempts = 5\n');
    expect(configErrorOf(table.run).message).toContain(
      `${table.file}: conflict_retries: unknown key; did you mean "conflict_retry"?`,
    );
  });

  it('fails domain.init() when given in code with a bad value', async () => {
    const domain = new Domain({ name: 'bank', config: { conflict_retry: { max_attempts: -2 } } });
    const failure = await domain.init().catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigurationError);
    expect((failure as Error).message).toContain(
      'config: conflict_retry.max_attempts: must be a positive integer, received -2',
    );
  });
});
