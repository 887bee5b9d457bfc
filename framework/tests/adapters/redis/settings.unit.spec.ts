import { describe, expect, it } from 'vitest';
import { createRedisBroker } from '../../../src/adapters/redis/broker.js';
import { translateError } from '../../../src/adapters/redis/errors.js';
import { decodeFields, parseReadReply } from '../../../src/adapters/redis/replies.js';
import { redactRedisUri, redisBrokerSettings } from '../../../src/adapters/redis/settings.js';
import { ConfigurationError } from '../../../src/core/errors.js';
import { NoGroupError } from '../../../src/ports/broker.js';

describe('Redis broker settings', () => {
  it('fills in the defaults', () => {
    expect(redisBrokerSettings({ provider: 'redis', URI: 'redis://127.0.0.1:6379/0' })).toEqual({
      provider: 'redis',
      URI: 'redis://127.0.0.1:6379/0',
      key_prefix: '',
      connect_timeout_ms: 5_000,
      command_timeout_ms: 5_000,
      watchdog_grace_ms: 1_000,
    });
  });

  it('names the key and the fix when the URI is missing or not a redis:// URL', async () => {
    await expect(createRedisBroker({ provider: 'redis' }, 'brokers.events')).rejects.toThrow(
      'brokers.events.URI: provider = "redis" needs a URI, received nothing; add it to the ' +
        '[brokers.events] table of domain.toml, e.g. URI = "${REDIS_URL|redis://127.0.0.1:6379/0}"',
    );
    const wrong = () => redisBrokerSettings({ URI: 'http://user:pw@cache:6379' });
    expect(wrong).toThrow(ConfigurationError);
    expect(wrong).toThrow(
      'brokers.default.URI: must be a redis:// (or rediss://) URL, received "http://user@cache:6379/"',
    );
  });

  it('refuses timeouts that are not whole numbers', () => {
    expect(() => redisBrokerSettings({ URI: 'redis://h', watchdog_grace_ms: 0.5 })).toThrow(
      'brokers.default.watchdog_grace_ms: must be a whole number >= 1, received 0.5; ' +
        'leave it out for the default (1000).',
    );
  });

  it('removes the password from a URI', () => {
    expect(redactRedisUri('redis://app:secret@cache:6379/0')).toBe('redis://app@cache:6379/0');
    expect(redactRedisUri('redis://:secret@cache:6379')).toBe('redis://cache:6379');
  });
});

describe('Redis replies', () => {
  it('parses a protean-ts entry, a foreign one and a trimmed one', () => {
    expect(decodeFields(['payload', '{"n":1}'])).toEqual({ n: 1 });
    expect(decodeFields(['payload', '"text"'])).toEqual({ payload: '"text"' });
    expect(decodeFields(['a', '1', 'b', '2'])).toEqual({ a: '1', b: '2' });
    expect(decodeFields(null)).toBeNull();
  });

  it('reads XREADGROUP replies in RESP2 and RESP3 shapes', () => {
    const entries = [['1-0', ['payload', '{}']]];
    expect(parseReadReply([['key', entries]])).toEqual([{ id: '1-0', fields: ['payload', '{}'] }]);
    expect(parseReadReply(['key', entries])).toEqual([{ id: '1-0', fields: ['payload', '{}'] }]);
    expect(parseReadReply(null)).toEqual([]);
  });

  it('maps NOGROUP to NoGroupError and connection failures to BROKER_UNAVAILABLE', () => {
    const context = { uri: 'redis://cache:6379', command: 'XREADGROUP', stream: 's', group: 'g' };
    const nogroup = Object.assign(new Error("NOGROUP No such key 's'"), { name: 'ReplyError' });
    expect(translateError(nogroup, context)).toBeInstanceOf(NoGroupError);
    const wrongType = Object.assign(new Error('WRONGTYPE Operation'), { name: 'ReplyError' });
    expect(translateError(wrongType, context)).toBe(wrongType);
    expect(translateError(new Error('Connection is closed.'), context)).toMatchObject({
      code: 'BROKER_UNAVAILABLE',
      message: expect.stringMatching(
        /^Redis at redis:\/\/cache:6379 did not complete XREADGROUP on 's' \(Connection is closed\.\)/,
      ),
    });
  });
});
