/**
 * Turns a benchmark's results into the plain-text table (colour only on a TTY, never with
 * NO_COLOR) and the JSON document written to `bench/results/`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname } from 'node:path';
import process from 'node:process';
import { gcExposed } from './heap.js';
import type { MetricSummary, PairResult } from './measure.js';
import type { BenchOptions, ExtraFigure } from './types.js';

/** Everything one invocation measured. */
export interface BenchResult {
  readonly benchmark: string;
  readonly startedAt: string;
  readonly options: BenchOptions;
  readonly workload: string;
  readonly pairs: readonly PairResult[];
  readonly summary: readonly MetricSummary[];
  readonly extras: readonly ExtraFigure[];
}

const ESC = '\u001b';
const COLOUR_CODE = new RegExp(`${ESC}\\[[0-9;]*m`, 'g');
const useColour = process.stdout.isTTY === true && !process.env['NO_COLOR'];
const paint = (code: string) => (text: string) =>
  useColour ? `${ESC}[${code}m${text}${ESC}[0m` : text;
const bold = paint('1');
const dim = paint('2');
const green = paint('32');
const yellow = paint('33');

/** 12,345 / 123.4 / 12.3 / 1.23 / 0.123: three significant digits below 1,000. */
export function formatValue(value: number, unit = ''): string {
  if (!Number.isFinite(value)) return 'n/a';
  if (unit === 'bytes') return formatBytes(value);
  const text =
    Math.abs(value) >= 1000
      ? Math.round(value).toLocaleString('en-US')
      : Number(value.toPrecision(3)).toString();
  return unit ? `${text} ${unit}` : text;
}

function formatBytes(bytes: number): string {
  if (Math.abs(bytes) < 1024) return `${Math.round(bytes)} B`;
  return `${formatValue(bytes / 1024)} KiB`;
}

function formatRatio(ratio: number): string {
  return Number.isFinite(ratio) ? ratio.toFixed(ratio >= 10 ? 1 : 2) : 'n/a';
}

/** "3.1x worse", "1.2x better" or "parity" (within 3%), from protean-ts's point of view. */
function verdict(summary: MetricSummary): string {
  const { median } = summary.ratio;
  if (!Number.isFinite(median) || median <= 0) return '';
  const advantage = summary.spec.better === 'higher' ? median : 1 / median;
  if (Math.abs(advantage - 1) < 0.03) return 'parity';
  return advantage > 1
    ? green(`${formatRatio(advantage)}x better`)
    : yellow(`${formatRatio(1 / advantage)}x worse`);
}

/** Pads every column to its widest cell; colour codes are added after padding. */
function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const visible = (cell: string) => cell.replace(COLOUR_CODE, '');
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.map((r) => visible(r[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - visible(cell).length))
      .join('  ')
      .trimEnd();
  return [bold(line(header)), dim(widths.map((w) => '-'.repeat(w)).join('  ')), ...rows.map(line)];
}

function metricRows(summary: readonly MetricSummary[]): string[][] {
  return summary.map((s) => [
    s.spec.label,
    s.spec.better,
    formatRatio(s.ratio.median),
    Number.isFinite(s.ratio.min)
      ? `${formatRatio(s.ratio.min)}–${formatRatio(s.ratio.max)}`
      : 'n/a',
    verdict(s),
    formatValue(s.protean, s.spec.unit),
    formatValue(s.baseline, s.spec.unit),
  ]);
}

function extraRows(extras: readonly ExtraFigure[]): string[][] {
  return extras.map((e) => [
    e.label,
    formatValue(e.protean, e.unit),
    formatValue(e.baseline, e.unit),
    formatRatio(e.protean / e.baseline),
    e.note ?? '',
  ]);
}

function environmentLine(): string {
  const cpus = os.cpus();
  const gc = gcExposed() ? 'yes (--expose-gc)' : 'no (set NODE_OPTIONS=--expose-gc)';
  return `node ${process.version} ${process.platform}/${process.arch}, ${cpus.length} CPU(s) ${cpus[0]?.model ?? ''}, full GC between runs: ${gc}`;
}

/** The report printed at the end of a benchmark. */
export function renderReport(result: BenchResult): string {
  const { options } = result;
  const lines = [
    bold(
      `${result.benchmark}: protean-ts vs hand-written baseline, ${options.pairs} pairs run alternately (A B A B ...)`,
    ),
    `workload per run: ${result.workload}`,
    environmentLine(),
    '',
    bold('ratio = protean-ts ÷ baseline, median over pairs, with min–max; 1.00 = parity.'),
    'For "higher" metrics (throughput) a ratio below 1 means protean-ts is slower;',
    'for "lower" metrics (latency, GC pause) a ratio above 1 means protean-ts is slower.',
    '',
    ...table(
      [
        'metric',
        'better',
        'ratio',
        'min–max',
        'protean-ts is',
        'protean-ts (median)',
        'baseline (median)',
      ],
      metricRows(result.summary),
    ),
  ];
  if (result.extras.length > 0) {
    lines.push('', bold('measured once per side, in an untimed probe run after the pairs:'));
    lines.push(
      ...table(['figure', 'protean-ts', 'baseline', 'ratio', 'note'], extraRows(result.extras)),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** One progress line per pair, for stderr. */
export function renderPair(pair: PairResult, total: number, key: string, unit: string): string {
  const p = pair.protean[key] ?? Number.NaN;
  const b = pair.baseline[key] ?? Number.NaN;
  return dim(
    `pair ${pair.index}/${total}: protean-ts ${formatValue(p, unit)}, baseline ${formatValue(b, unit)}, ratio ${formatRatio(p / b)}\n`,
  );
}

/** Writes the JSON document, creating the folder; returns the path. */
export function writeJson(path: string, result: BenchResult): string {
  mkdirSync(dirname(path), { recursive: true });
  const document = {
    ...result,
    ratioConvention: 'ratio = protean-ts / baseline for every metric; see each metric\'s "better"',
    environment: {
      node: process.version,
      platform: process.platform,
      arch: process.arch,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? '',
      loadAverage: os.loadavg(),
      gcExposed: gcExposed(),
    },
  };
  writeFileSync(path, `${JSON.stringify(document, null, 2)}\n`);
  return path;
}
