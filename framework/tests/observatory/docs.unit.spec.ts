/**
 * What the observability guide says against what the code does: its metric table is the one
 * `metricTable()` makes from the definitions, and the Prometheus scrape configuration it shows
 * scrapes a real observatory (its path, its target's defaults, its way of sending the token).
 */
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { Domain } from '../../src/index.js';
import { METRICS, Observatory, metricTable } from '../../src/observatory/index.js';
import { TRACE_EVENTS } from '../../src/ports/trace.js';
import { recordingLogger } from '../server/subscriptions/helpers.js';
import { parsePrometheus } from './helpers.js';

const guide = readFileSync(
  new URL('../../../docs/guides/observability.md', import.meta.url),
  'utf8',
);
const scrapeConfig = readFileSync(new URL('./prometheus.yml', import.meta.url), 'utf8');

/** A Markdown table's rows as trimmed cells, so that column padding does not matter. */
function cells(table: string): string[][] {
  return table
    .trim()
    .split('\n')
    .filter((line) => !/^\|[\s|:-]+\|$/.test(line))
    .map((line) =>
      line
        .split(/(?<!\\)\|/)
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

describe('the observability guide', () => {
  it('shows the metric table made from the metric definitions', () => {
    const shown = /<!-- metric-table[^>]*-->([\s\S]*?)<!-- \/metric-table -->/.exec(guide)?.[1];
    expect(shown, 'the metric-table markers in docs/guides/observability.md').toBeDefined();
    // On a mismatch, paste the output of metricTable() between the markers (then prettier it).
    expect(cells(shown!)).toEqual(cells(metricTable()));
    expect(cells(shown!)).toHaveLength(METRICS.length + 1);
  });

  it('lists every trace event', () => {
    for (const event of TRACE_EVENTS) expect(guide).toContain(`| \`${event}\``);
  });

  it('shows a scrape configuration that scrapes a real observatory with its token', async () => {
    const region = /#region scrape\n([\s\S]*?)#endregion scrape/.exec(scrapeConfig)?.[1];
    expect(region).toBeDefined();
    const path = /metrics_path: (\S+)/.exec(region!)?.[1];
    const target = /targets: \['([^']+)'\]/.exec(region!)?.[1];
    const type = /type: (\w+)/.exec(region!)?.[1];
    expect(target).toBe('127.0.0.1:9000');

    const domain = new Domain({ name: 'scraped', config: { observatory: { token: 't0ken' } } });
    await domain.init();
    closers.push(() => domain.close());
    expect([domain.config.observatory.host, domain.config.observatory.port].join(':')).toBe(target);
    const { logger } = recordingLogger();
    const observatory = new Observatory({ domains: [domain], port: 0, logger });
    const { port } = await observatory.start();
    closers.push(() => observatory.close());

    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      headers: { authorization: `${type} t0ken` },
    });
    expect(response.status).toBe(200);
    const exposition = parsePrometheus(await response.text());
    expect(exposition.samples.find((s) => s.name === 'protean_broker_up')?.labels).toEqual({
      domain: 'scraped',
    });
  });
});
