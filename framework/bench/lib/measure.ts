/**
 * The measurement protocol shared by every benchmark: protean-ts (A) and the baseline (B) run
 * alternately, A B A B ..., each run after its own warm-up and (when exposed) a full GC. Every
 * figure kept is a ratio within one pair, summarized as the median over pairs with its min-max.
 *
 * Convention, for every metric: ratio = protean-ts ÷ baseline. For "higher is better" metrics
 * (throughput) a ratio above 1.0 means protean-ts is faster; for "lower is better" metrics
 * (latency, GC time) a ratio above 1.0 means protean-ts is slower. 1.0 is parity.
 */
import process from 'node:process';
import { collectGarbage, watchGc } from './heap.js';
import { quantileOfSorted, spread } from './stats.js';
import type { Spread } from './stats.js';
import type { Contender, MetricSpec, Metrics, Setup } from './types.js';

/** The figures of one A B pair. */
export interface PairResult {
  readonly index: number;
  readonly protean: Metrics;
  readonly baseline: Metrics;
}

/** One metric over all pairs. */
export interface MetricSummary {
  readonly spec: MetricSpec;
  /** protean-ts ÷ baseline, per pair: median, min and max. */
  readonly ratio: Spread;
  /** Median of the absolute figures, for context. */
  readonly protean: number;
  readonly baseline: number;
}

/** Warms a contender up, collects garbage, then measures one run. */
async function measure(contender: Contender): Promise<Metrics> {
  await contender.warmUp();
  await collectGarbage();
  return contender.run();
}

/** Runs `pairs` alternating pairs, protean-ts first in each; reports each pair as it ends. */
export async function runPairs(
  setup: Setup,
  pairs: number,
  onPair: (pair: PairResult) => void = () => {},
): Promise<PairResult[]> {
  const results: PairResult[] = [];
  for (let index = 1; index <= pairs; index++) {
    const protean = await measure(setup.protean);
    const baseline = await measure(setup.baseline);
    const pair = { index, protean, baseline };
    results.push(pair);
    onPair(pair);
  }
  return results;
}

function valueOf(metrics: Metrics, key: string): number {
  const value = metrics[key];
  if (value === undefined) throw new Error(`a run did not report metric "${key}"`);
  return value;
}

/** The ratio protean-ts ÷ baseline of one metric in one pair. */
export function ratioOf(pair: PairResult, key: string): number {
  return valueOf(pair.protean, key) / valueOf(pair.baseline, key);
}

/** Summarizes every metric over the pairs (a pair whose baseline figure is 0 has no ratio). */
export function summarize(
  specs: readonly MetricSpec[],
  pairs: readonly PairResult[],
): MetricSummary[] {
  return specs.map((spec) => ({
    spec,
    ratio: spread(pairs.map((pair) => ratioOf(pair, spec.key)).filter(Number.isFinite)),
    protean: spread(pairs.map((pair) => valueOf(pair.protean, spec.key))).median,
    baseline: spread(pairs.map((pair) => valueOf(pair.baseline, spec.key))).median,
  }));
}

/**
 * Times each step of a run with `process.hrtime.bigint()`, and the whole run by the wall clock,
 * counting garbage collections in between.
 */
export class LatencyRecorder {
  readonly #latencies: number[] = [];
  readonly #stopGc = watchGc();
  readonly #started = process.hrtime.bigint();

  /** Runs one step and records how long it took. */
  async time<T>(step: () => Promise<T>): Promise<T> {
    const start = process.hrtime.bigint();
    const result = await step();
    this.#latencies.push(Number(process.hrtime.bigint() - start));
    return result;
  }

  /**
   * Ends the run: `throughput` (steps/s over the wall clock), `p50` and `p99` (µs per step),
   * `gcMsPer1k` (GC pause per 1,000 steps).
   */
  async finish(): Promise<Metrics> {
    const elapsedNs = Number(process.hrtime.bigint() - this.#started);
    const gc = await this.#stopGc();
    const steps = this.#latencies.length;
    const sorted = Float64Array.from(this.#latencies).sort();
    return {
      throughput: steps / (elapsedNs / 1e9),
      p50: quantileOfSorted(sorted, 0.5) / 1e3,
      p99: quantileOfSorted(sorted, 0.99) / 1e3,
      gcMsPer1k: (gc.ms / steps) * 1000,
    };
  }
}

/** The metric specs `LatencyRecorder.finish()` reports, for a benchmark of `unit` steps. */
export function latencyMetricSpecs(unit: string): MetricSpec[] {
  return [
    { key: 'throughput', label: 'throughput', unit: `${unit}/s`, better: 'higher' },
    { key: 'p50', label: 'p50 latency', unit: 'µs', better: 'lower' },
    { key: 'p99', label: 'p99 latency', unit: 'µs', better: 'lower' },
    { key: 'gcMsPer1k', label: 'GC pause', unit: `ms/1k ${unit}`, better: 'lower' },
  ];
}
