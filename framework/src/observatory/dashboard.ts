/**
 * `GET /`: the dashboard, one self-contained page (its style and script inline, nothing fetched
 * from elsewhere), fed by the JSON API and the SSE trace of the same server.
 */
import { randomBytes } from 'node:crypto';
import { DASHBOARD_SCRIPT } from './dashboard-script.js';
import { DASHBOARD_STYLE } from './dashboard-style.js';

const KPIS: readonly [id: string, label: string][] = [
  ['kpi-throughput', 'Throughput'],
  ['kpi-processed', 'Processed'],
  ['kpi-failed', 'Failed'],
  ['kpi-dlq', 'Dead letters'],
  ['kpi-outbox', 'Outbox pending'],
  ['kpi-broker', 'Broker'],
];

function table(id: string, headers: readonly string[], numeric: readonly number[] = []): string {
  const cells = headers
    .map((header, n) => `<th${numeric.includes(n) ? ' class="num"' : ''}>${header}</th>`)
    .join('');
  return `<table id="${id}"><thead><tr>${cells}</tr></thead><tbody></tbody></table>`;
}

const BODY = `
<header>
  <h1>protean observatory</h1>
  <span class="domains" id="version"></span>
  <div class="right"><span><span class="dot" id="live"></span><span id="live-text">connecting</span></span>
  <span id="updated"></span></div>
</header>
<main>
  <div class="kpis">${KPIS.map(
    ([id, label]) =>
      `<div class="kpi" id="${id}"><div class="label">${label}</div><div class="value">–</div><div class="sub"></div></div>`,
  ).join('')}</div>
  <section class="span-8"><h2>Throughput, last 60 s (handler runs per second; failures in red)</h2>
    <svg class="spark" id="spark" viewBox="0 0 600 90" preserveAspectRatio="none"></svg></section>
  <section class="span-4"><h2>Health</h2>${table('health', ['', 'state', 'ping', ''], [2])}</section>
  <section class="span-7"><h2>Handlers</h2>${table('handlers', ['handler', 'domain', 'completed', 'failed', 'per min', 'p50', 'p95'], [2, 3, 4, 5, 6])}</section>
  <section class="span-5"><h2>Dead letters</h2><div id="dead-letters"><div class="empty">No dead letters.</div></div></section>
  <section class="span-7"><h2>Subscriptions</h2>${table('subscriptions', ['subscription', 'domain', 'type', 'lag', 'pending', 'DLQ', 'status'], [3, 4, 5])}</section>
  <section class="span-5"><h2>Outbox</h2>${table('outbox', ['domain', 'pending', 'processing', 'published', 'failed', 'abandoned'], [1, 2, 3, 4, 5])}</section>
  <section class="span-12"><h2>Streams and consumer groups</h2>${table('streams', ['stream', 'length', 'pending', 'DLQ', 'consumer groups'], [1, 2, 3])}</section>
  <section class="span-12"><h2>Recent traces</h2><div id="traces">${table('trace-table', ['time', 'domain', 'event', 'handler', 'type', 'duration', 'error'], [5])}</div></section>
</main>
<div id="toast" role="status"></div>`;

/** The page, with a fresh nonce its script runs under (the Content-Security-Policy names it). */
export function dashboardPage(): { html: string; nonce: string } {
  const nonce = randomBytes(16).toString('base64');
  const html =
    '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>protean observatory</title>' +
    `<style>${DASHBOARD_STYLE}</style></head><body>${BODY}` +
    `<script nonce="${nonce}">${DASHBOARD_SCRIPT}</script></body></html>\n`;
  return { html, nonce };
}
