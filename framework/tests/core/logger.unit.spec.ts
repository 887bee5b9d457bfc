import { describe, expect, it } from 'vitest';
import { createConsoleLogger, levelFromEnvironment } from '../../src/adapter.js';

describe('the default console logger', () => {
  it('writes messages at or above its level, one line each, with fields as JSON', () => {
    const lines: string[] = [];
    const logger = createConsoleLogger('info', (line) => lines.push(line));
    logger.debug('hidden');
    logger.info('no domain.toml found', { dir: '/app' });
    logger.error('broken');
    expect(lines).toEqual([
      '[protean-ts] info: no domain.toml found {"dir":"/app"}\n',
      '[protean-ts] error: broken\n',
    ]);
  });

  it('picks its level from LOG_LEVEL, then the environment', () => {
    expect(levelFromEnvironment({ LOG_LEVEL: 'ERROR' })).toBe('error');
    expect(levelFromEnvironment({ LOG_LEVEL: 'loud', PROTEAN_ENV: 'production' })).toBe('info');
    expect(levelFromEnvironment({ NODE_ENV: 'test' })).toBe('warn');
    expect(levelFromEnvironment({})).toBe('debug');
  });
});
