import { describe, expect, it } from 'vitest';
import { isSecretKey, redactFields, redactSecretsInText } from '../../src/logging/index.js';

describe('redacting secrets', () => {
  it('replaces secret keys at any depth, whatever their case or spelling', () => {
    const fields = {
      password: 'p',
      user: { name: 'ada', Token: 't', profile: { client_secret: 's', ok: 1 } },
      headers: [{ Authorization: 'Bearer x' }, { 'x-api-key': 'k', API_KEY: 'k2' }],
      accessToken: 'a',
    };

    expect(redactFields(fields)).toEqual({
      password: '[Redacted]',
      user: { name: 'ada', Token: '[Redacted]', profile: { client_secret: '[Redacted]', ok: 1 } },
      headers: [
        { Authorization: '[Redacted]' },
        { 'x-api-key': '[Redacted]', API_KEY: '[Redacted]' },
      ],
      accessToken: '[Redacted]',
    });
    expect(fields.password).toBe('p');
  });

  it('leaves ordinary keys alone', () => {
    for (const key of ['position', 'stream', 'handler', 'count', 'user']) {
      expect(isSecretKey(key)).toBe(false);
    }
  });

  it('masks the password of a URI, keeping the user and host', () => {
    expect(redactSecretsInText('postgresql://user:secret@host:5432/db')).toBe(
      'postgresql://user:***@host:5432/db',
    );
    expect(redactSecretsInText('redis://:pw@cache:6379/0')).toBe('redis://:***@cache:6379/0');
    expect(redactSecretsInText('see http://host:8080/path and ftp://u@h')).toBe(
      'see http://host:8080/path and ftp://u@h',
    );
  });

  it('masks secret query parameters', () => {
    expect(redactSecretsInText('amqp://broker/vhost?password=pw&heartbeat=10')).toBe(
      'amqp://broker/vhost?password=***&heartbeat=10',
    );
  });

  it('masks URIs inside nested string fields and errors', () => {
    const error = Object.assign(new Error('cannot reach postgresql://app:pw@db/shop'), {
      code: 'ECONNREFUSED',
    });

    const redacted = redactFields({
      config: { databases: [{ uri: 'postgresql://a:b@db' }] },
      error,
    });

    expect(redacted.config.databases[0]?.uri).toBe('postgresql://a:***@db');
    expect(redacted.error).toMatchObject({
      type: 'Error',
      message: 'cannot reach postgresql://app:***@db/shop',
      code: 'ECONNREFUSED',
    });
  });

  it('survives cycles and keeps dates', () => {
    const when = new Date(0);
    const node: Record<string, unknown> = { when };
    node['self'] = node;

    expect(redactFields(node)).toEqual({ when, self: '[Circular]' });
  });
});
