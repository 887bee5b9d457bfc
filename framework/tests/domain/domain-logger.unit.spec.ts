import { describe, expect, it } from 'vitest';
import { Domain } from '../../src/index.js';
import type { Logger } from '../../src/index.js';

function recording(lines: string[], prefix: string): Logger {
  const log = (level: string) => (message: string) =>
    void lines.push(`${prefix}:${level}:${message}`);
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

describe('the domain logger', () => {
  it('sends what the domain and its adapters log to the logger given later with useLogger()', async () => {
    const lines: string[] = [];
    const domain = new Domain({ name: 'shop', logger: recording(lines, 'first'), config: {} });
    const handedOut = domain.logger; // what adapters and subscriptions keep
    handedOut.info('before');
    domain.useLogger(recording(lines, 'server'));
    handedOut.warn('after');
    domain.logger.error('later');
    expect(lines).toEqual(['first:info:before', 'server:warn:after', 'server:error:later']);
  });
});
