import { describe, expect, it } from 'vitest';
import { carriesToken, hostName, isLoopback } from '../../src/observatory/auth.js';
import { globToRegExp, traceFilter } from '../../src/observatory/filters.js';
import { METRICS, ObservatoryMetrics } from '../../src/observatory/metrics.js';
import { percentile, TraceStats } from '../../src/observatory/stats.js';
import type { TraceEvent } from '../../src/ports/trace.js';
import { TRACE_EVENTS } from '../../src/ports/trace.js';
import { parsePrometheus, sampleValue } from './helpers.js';

const event = (fields: Partial<TraceEvent>): TraceEvent => ({
  event: 'handler.completed',
  domain: 'ledger',
  at: '2026-01-01T00:00:00.000Z',
  ...fields,
});

describe('trace filters', () => {
  it('match globs whole, with * and ?, and comma-separated alternatives', () => {
    expect(globToRegExp('handler.*').test('handler.failed')).toBe(true);
    expect(globToRegExp('handler.*').test('message.handler.failed')).toBe(false);
    expect(globToRegExp('ledger::acc?unt').test('ledger::account')).toBe(true);
    expect(globToRegExp('a.b').test('axb')).toBe(false);
    expect(globToRegExp('message.dlq, outbox.*').test('outbox.failed')).toBe(true);
    expect(globToRegExp('(x)+[y]').test('(x)+[y]')).toBe(true);
  });

  it('need every given filter to match, and a field to match against', () => {
    const accept = traceFilter(
      new URLSearchParams('domain=ledger&event=handler.*&type=*.Deposited.*'),
    );
    expect(accept(event({ messageType: 'ledger.Deposited.v1' }))).toBe(true);
    expect(accept(event({ messageType: 'ledger.Withdrawn.v1' }))).toBe(false);
    expect(accept(event({}))).toBe(false);
    expect(accept(event({ domain: 'catalogue', messageType: 'ledger.Deposited.v1' }))).toBe(false);
    expect(traceFilter(new URLSearchParams(''))(event({}))).toBe(true);
    const streams = traceFilter(new URLSearchParams('stream=ledger::*'));
    expect(streams(event({ stream: 'ledger::account' }))).toBe(true);
  });
});

describe('access rules', () => {
  it('knows loopback addresses and names from the rest', () => {
    for (const host of ['127.0.0.1', '127.1.2.3', '::1', 'localhost', '::ffff:127.0.0.1'])
      expect(isLoopback(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.4', 'example.com', '127.evil.com'])
      expect(isLoopback(host), host).toBe(false);
    expect(hostName('127.0.0.1:9000')).toBe('127.0.0.1');
    expect(hostName('[::1]:9000')).toBe('::1');
    expect(hostName('localhost')).toBe('localhost');
  });

  it('accepts the token as Bearer or as the password of Basic, nothing else', () => {
    expect(carriesToken('Bearer s3cret', 's3cret')).toBe(true);
    expect(carriesToken('bearer s3cret', 's3cret')).toBe(true);
    expect(carriesToken(`Basic ${Buffer.from('me:s3cret').toString('base64')}`, 's3cret')).toBe(
      true,
    );
    expect(carriesToken('Bearer s3cre', 's3cret')).toBe(false);
    expect(carriesToken('Token s3cret', 's3cret')).toBe(false);
    expect(carriesToken(undefined, 's3cret')).toBe(false);
  });
});

describe('metric definitions', () => {
  it('are protean_ metrics, each labelled with its domain, each name once', () => {
    const names = METRICS.map((metric) => metric.name);
    expect(new Set(names).size).toBe(names.length);
    for (const metric of METRICS) {
      expect(metric.name).toMatch(/^protean_[a-z_]+$/);
      expect(metric.labels).toContain('domain');
      expect(metric.help.length).toBeGreaterThan(10);
    }
    for (const seed of [
      'protean_broker_up',
      'protean_outbox_messages',
      'protean_stream_messages_total',
      'protean_stream_pending',
      'protean_broker_ops_per_sec',
      'protean_broker_memory_bytes',
      'protean_subscription_lag',
      'protean_subscription_dlq_depth',
      'protean_messages_processed_total',
      'protean_handler_duration_seconds',
      'protean_supervisor_restarts_total',
    ])
      expect(names).toContain(seed);
  });

  it('count handler runs, durations and restarts from trace events, skipped runs aside', async () => {
    const metrics = new ObservatoryMetrics();
    metrics.record(event({ handler: 'Totals', durationMs: 3 }));
    metrics.record(event({ handler: 'Totals', durationMs: 2000, event: 'handler.failed' }));
    metrics.record(event({ handler: 'Totals', skipped: true }));
    metrics.record(event({ event: 'supervisor.restarted', loop: 'Totals@ledger::account' }));
    const exposition = parsePrometheus(await metrics.exposition());
    const totals = { domain: 'ledger', handler: 'Totals' };
    expect(
      sampleValue(exposition, 'protean_messages_processed_total', {
        ...totals,
        status: 'completed',
      }),
    ).toBe(1);
    expect(
      sampleValue(exposition, 'protean_messages_processed_total', { ...totals, status: 'failed' }),
    ).toBe(1);
    expect(
      sampleValue(exposition, 'protean_handler_duration_seconds_bucket', {
        ...totals,
        le: '0.005',
      }),
    ).toBe(1);
    expect(sampleValue(exposition, 'protean_handler_duration_seconds_count', totals)).toBe(2);
    const restarts = { domain: 'ledger', loop: 'Totals@ledger::account' };
    expect(sampleValue(exposition, 'protean_supervisor_restarts_total', restarts)).toBe(1);
  });
});

describe('trace statistics', () => {
  it('sum runs per handler with latency percentiles and per-second throughput', () => {
    let now = Date.parse('2026-01-01T00:00:10.000Z');
    const stats = new TraceStats(() => now);
    for (const durationMs of [1, 2, 3, 4, 100])
      stats.record(event({ handler: 'Totals', durationMs }));
    now += 1000;
    stats.record(event({ handler: 'Totals', event: 'handler.failed', durationMs: 5 }));
    stats.record(event({ event: 'message.acked' }));
    const report = stats.report();
    expect(report.handlers).toEqual([
      expect.objectContaining({ handler: 'Totals', completed: 5, failed: 1, p50Ms: 3, p95Ms: 100 }),
    ]);
    expect(report.throughput.perSecond.slice(-2)).toEqual([5, 0]);
    expect(report.throughput.failedPerSecond.at(-1)).toBe(1);
    expect(report.events).toEqual({
      'handler.completed': 5,
      'handler.failed': 1,
      'message.acked': 1,
    });
    expect(report.recent).toHaveLength(7);
    expect(percentile([], 0.5)).toBeNull();
  });

  it('know every trace event the engine emits', () => {
    expect(TRACE_EVENTS).toContain('supervisor.restarted');
    expect(TRACE_EVENTS.filter((name) => name.startsWith('handler.'))).toHaveLength(3);
  });
});
