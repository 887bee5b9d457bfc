import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logging/index.js';
import type { CreateLoggerOptions, ProteanLogger } from '../../src/logging/index.js';
import type { Logger } from '../../src/ports/logger.js';

const opened: ProteanLogger[] = [];
afterEach(async () => {
  await Promise.all(opened.splice(0).map((logger) => logger.close()));
});

/** A logger writing to an in-memory console; `lines()` parses what it wrote as JSON. */
function capture(options: CreateLoggerOptions = {}) {
  const chunks: string[] = [];
  const logger = createLogger({
    env: {},
    isTTY: false,
    destination: { write: (chunk) => chunks.push(chunk) },
    ...options,
  });
  opened.push(logger);
  const lines = () => chunks.map((chunk) => JSON.parse(chunk) as Record<string, unknown>);
  return { logger, chunks, lines };
}

describe('the protean-ts logger', () => {
  it('satisfies the Logger port, taking (message, fields)', () => {
    const { logger, lines } = capture({ level: 'debug' });
    const port: Logger = logger;

    port.info('batch published', { count: 3, stream: 'orders' });
    port.debug('position stored');

    expect(lines()).toMatchObject([
      { level: 'info', msg: 'batch published', count: 3, stream: 'orders' },
      { level: 'debug', msg: 'position stored' },
    ]);
  });

  it('still takes pino call shapes', () => {
    const { logger, lines } = capture({ level: 'info' });

    logger.info({ handler: 'Billing' }, 'handled %s', 'OrderPlaced');
    logger.warn('retrying in %d ms', 500);

    expect(lines()).toMatchObject([
      { msg: 'handled OrderPlaced', handler: 'Billing' },
      { msg: 'retrying in 500 ms' },
    ]);
  });

  it('writes messages at or above its level only', () => {
    const { logger, lines } = capture({ level: 'warn' });

    logger.debug('no');
    logger.info('no');
    logger.warn('yes');
    logger.error('yes too');

    expect(lines().map((line) => line['level'])).toEqual(['warn', 'error']);
  });

  it('logs at debug with --debug', () => {
    const { logger, lines } = capture({ debug: true, env: { PROTEAN_ENV: 'production' } });

    logger.debug('subscription registered', { handler: 'Billing' });

    expect(logger.level).toBe('debug');
    expect(lines()).toMatchObject([{ level: 'debug', handler: 'Billing' }]);
  });

  it('gives each component a child logger named after it, with a level of its own', () => {
    const { logger, lines } = capture({
      level: 'info',
      levels: { 'protean.outbox': 'debug', 'protean.subscription': 'error' },
    });
    const outbox = logger.component('protean.outbox');
    const server = logger.component('protean.server');
    const billing = logger.component('protean.subscription.Billing');

    outbox.debug('claimed 10 messages');
    server.debug('hidden: the root level applies');
    billing.warn('hidden: protean.subscription is at error');
    billing.error('gave up');

    expect(lines()).toMatchObject([
      { name: 'protean.outbox', level: 'debug', msg: 'claimed 10 messages' },
      { name: 'protean.subscription.Billing', level: 'error', msg: 'gave up' },
    ]);
    expect(logger.component('protean.outbox')).toBe(outbox);
  });

  it('lets a component level be changed later without touching the others', () => {
    const { logger, lines } = capture({ level: 'info' });
    const server = logger.component('protean.server');

    logger.component('protean.outbox').level = 'debug';
    logger.component('protean.outbox').debug('shown');
    server.debug('hidden');

    expect(lines()).toMatchObject([{ name: 'protean.outbox', msg: 'shown' }]);
    expect(lines()[0]).not.toHaveProperty('name', 'protean.server');
  });

  it('never prints the name twice for a component of a component', () => {
    const { logger, chunks } = capture({ level: 'info' });

    logger.component('protean.server').component('protean.server.health').info('listening');

    expect(chunks[0]?.match(/"name"/g)).toHaveLength(1);
    expect(chunks[0]).toContain('"name":"protean.server.health"');
  });

  it('serializes errors given as fields, at any depth, or pino-style as the first argument', () => {
    const { logger, lines } = capture({ level: 'info' });

    logger.error('handler failed', {
      error: new Error('boom'),
      attempt: 2,
      failures: [{ error: new Error('inner') }],
    });
    logger.error(new Error('broker down'), 'publish failed');

    expect(lines()).toMatchObject([
      {
        msg: 'handler failed',
        attempt: 2,
        error: { type: 'Error', message: 'boom' },
        failures: [{ error: { type: 'Error', message: 'inner' } }],
      },
      { msg: 'publish failed', err: { type: 'Error', message: 'broker down' } },
    ]);
    expect(lines()[0]?.['error']).toHaveProperty('stack');
  });

  it('redacts secrets in fields, messages and component bindings', () => {
    const { logger, chunks } = capture({ level: 'info' });

    logger.info('connecting to postgresql://app:hunter2@db/shop', {
      config: { redis: { url: 'redis://:hunter2@cache' }, password: 'hunter2' },
    });
    logger.child({ token: 'hunter2' }).info('child');

    expect(chunks.join('')).not.toContain('hunter2');
    expect(JSON.parse(chunks[0]!)).toMatchObject({
      msg: 'connecting to postgresql://app:***@db/shop',
      config: { redis: { url: 'redis://:***@cache' }, password: '[Redacted]' },
    });
  });
});

describe('the console format', () => {
  it('writes one JSON object per line when not on a terminal (auto)', () => {
    const { logger, chunks } = capture({ format: 'auto', isTTY: false, level: 'info' });

    logger.info('started', { workers: 2 });

    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toMatch(/\n$/);
    expect(JSON.parse(chunks[0]!)).toMatchObject({ level: 'info', msg: 'started', workers: 2 });
    expect(JSON.parse(chunks[0]!)).toHaveProperty('time');
  });

  it('writes readable, coloured lines on a terminal (auto)', () => {
    const { logger, chunks } = capture({ format: 'auto', isTTY: true, level: 'info' });

    logger.component('protean.server').info('started', { workers: 2 });

    expect(chunks[0]).toContain('\u001b[');
    expect(stripAnsi(chunks[0]!)).toMatch(
      /^\[\d\d:\d\d:\d\d\.\d{3}\] INFO \(protean\.server\): started\n\s+workers: 2\n$/,
    );
  });

  it('writes readable lines without colours when pretty is forced off a terminal', () => {
    const { logger, chunks } = capture({ format: 'pretty', isTTY: false, level: 'info' });

    logger.warn('retrying', { attempt: 1 });

    expect(chunks[0]).not.toContain('\u001b[');
    expect(chunks[0]).toMatch(/WARN: retrying/);
  });

  it('asks the destination whether it is a terminal when not told', () => {
    const chunks: string[] = [];
    const terminal = { isTTY: true, write: (chunk: string) => chunks.push(chunk) };
    const logger = createLogger({ env: {}, level: 'info', destination: terminal });
    opened.push(logger);

    logger.info('started');

    expect(logger.settings).toMatchObject({ format: 'pretty', colorize: true });
    expect(chunks[0]).toContain('\u001b[');
  });

  it('writes JSON when json is forced on a terminal', () => {
    const { logger, lines } = capture({ format: 'json', isTTY: true, level: 'info' });

    logger.info('started');

    expect(lines()).toMatchObject([{ msg: 'started' }]);
  });
});

describe('flushing and closing', () => {
  it('resolves flush() once a slow Writable has passed every line on', async () => {
    const received: string[] = [];
    const console = new Writable({
      highWaterMark: 16,
      write(chunk: Buffer, _encoding, done) {
        setTimeout(() => {
          received.push(String(chunk));
          done();
        }, 1);
      },
    });
    const logger = createLogger({ env: {}, isTTY: false, level: 'info', destination: console });
    opened.push(logger);
    for (let index = 0; index < 50; index += 1) logger.info('line', { index });
    expect(console.writableLength).toBeGreaterThan(0);
    let called = false;

    await logger.flush(() => (called = true));

    expect(called).toBe(true);
    expect(received.join('').trim().split('\n')).toHaveLength(50);
  });

  it('can be closed twice', async () => {
    const { logger } = capture();
    await logger.close();
    await expect(logger.close()).resolves.toBeUndefined();
  });
});

function stripAnsi(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/\u001b\[[0-9;]*m/g, '');
}
