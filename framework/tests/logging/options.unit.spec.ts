import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../../src/core/errors.js';
import { resolveLoggingOptions } from '../../src/logging/index.js';

/** No LOG_LEVEL, no PROTEAN_ENV: a developer's shell. */
const devEnv = {};

describe('the log level', () => {
  it('follows the environment when [logging] level is empty', () => {
    const level = (env: Record<string, string>) =>
      resolveLoggingOptions({ env, config: { level: '' }, isTTY: false }).level;
    expect(level({})).toBe('debug');
    expect(level({ PROTEAN_ENV: 'production' })).toBe('info');
    expect(level({ PROTEAN_ENV: 'test' })).toBe('warn');
  });

  it('takes --log-level over --debug, LOG_LEVEL and [logging] level', () => {
    const { level } = resolveLoggingOptions({
      level: 'ERROR',
      debug: true,
      env: { LOG_LEVEL: 'warn' },
      config: { level: 'info' },
    });
    expect(level).toBe('error');
  });

  it('takes --debug over LOG_LEVEL and [logging] level', () => {
    const { level } = resolveLoggingOptions({
      debug: true,
      env: { LOG_LEVEL: 'warn', PROTEAN_ENV: 'production' },
      config: { level: 'error' },
    });
    expect(level).toBe('debug');
  });

  it('takes LOG_LEVEL over [logging] level, and [logging] level over the environment', () => {
    expect(
      resolveLoggingOptions({ env: { LOG_LEVEL: 'warn' }, config: { level: 'error' } }).level,
    ).toBe('warn');
    expect(
      resolveLoggingOptions({ env: { PROTEAN_ENV: 'production' }, config: { level: 'error' } })
        .level,
    ).toBe('error');
  });

  it('refuses a level that does not exist, naming where it came from', () => {
    expect(() => resolveLoggingOptions({ level: 'loud', env: devEnv })).toThrow(ConfigurationError);
    expect(() => resolveLoggingOptions({ env: { LOG_LEVEL: 'verbose' } })).toThrow(
      /LOG_LEVEL is "verbose", which is not a log level: use one of trace, debug/,
    );
    expect(() =>
      resolveLoggingOptions({ env: devEnv, levels: { 'protean.outbox': 'chatty' } }),
    ).toThrow(/the level of protean.outbox/);
  });
});

describe('the console format', () => {
  const format = (inputs: Parameters<typeof resolveLoggingOptions>[0]) => {
    const { format, colorize } = resolveLoggingOptions({ env: devEnv, ...inputs });
    return { format, colorize };
  };

  it('is pretty and coloured on a terminal and JSON otherwise when auto', () => {
    expect(format({ isTTY: true })).toEqual({ format: 'pretty', colorize: true });
    expect(format({ isTTY: false })).toEqual({ format: 'json', colorize: false });
    expect(format({ isTTY: false, config: { format: 'auto' } })).toEqual({
      format: 'json',
      colorize: false,
    });
  });

  it('is pretty or JSON when forced, with colours only on a terminal', () => {
    expect(format({ format: 'pretty', isTTY: false })).toEqual({
      format: 'pretty',
      colorize: false,
    });
    expect(format({ format: 'json', isTTY: true })).toEqual({ format: 'json', colorize: false });
    expect(format({ config: { format: 'pretty' }, isTTY: true })).toEqual({
      format: 'pretty',
      colorize: true,
    });
  });

  it('takes --log-format over [logging] format', () => {
    expect(format({ format: 'json', config: { format: 'pretty' }, isTTY: true }).format).toBe(
      'json',
    );
  });

  it('has no colours when NO_COLOR is set', () => {
    expect(resolveLoggingOptions({ isTTY: true, env: { NO_COLOR: '1' } }).colorize).toBe(false);
  });

  it('refuses an unknown format', () => {
    expect(() => format({ format: 'xml' })).toThrow(/--log-format is "xml"/);
  });
});

describe('the log directory', () => {
  it('is off by default, with 10 MiB x 5 rotation', () => {
    const resolved = resolveLoggingOptions({ env: devEnv, config: { log_dir: '' } });
    expect(resolved).toMatchObject({ logDir: undefined, maxBytes: 10485760, backupCount: 5 });
  });

  it('takes --log-dir over PROTEAN_LOG_DIR over [logging] log_dir', () => {
    const config = { log_dir: '/from/config' };
    const env = { PROTEAN_LOG_DIR: '/from/env' };
    expect(resolveLoggingOptions({ logDir: '/from/flag', env, config }).logDir).toBe('/from/flag');
    expect(resolveLoggingOptions({ env, config }).logDir).toBe('/from/env');
    expect(resolveLoggingOptions({ env: devEnv, config }).logDir).toBe('/from/config');
  });

  it('refuses a max_bytes below 1 and a negative backup_count', () => {
    expect(() => resolveLoggingOptions({ env: devEnv, config: { max_bytes: 0 } })).toThrow(
      /\[logging\] max_bytes is 0/,
    );
    expect(() => resolveLoggingOptions({ env: devEnv, config: { backup_count: -1 } })).toThrow(
      /\[logging\] backup_count is -1/,
    );
  });
});
