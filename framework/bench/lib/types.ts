/**
 * What a benchmark is, for the runner: a name, the metrics it reports, and a set-up that builds
 * the two contenders (protean-ts and its hand-written baseline). A new benchmark implements
 * `Benchmark` and is listed in `bench/benchmarks.ts`.
 */

/** Whether a larger value of a metric is better (throughput) or worse (latency). */
export type Better = 'higher' | 'lower';

/** One figure a run produces, e.g. commands per second. */
export interface MetricSpec {
  /** Key in a run's metrics and in the JSON output, e.g. `throughput`. */
  readonly key: string;
  /** Label in the table, e.g. `throughput`. */
  readonly label: string;
  /** Unit of the absolute figures, e.g. `cmd/s` or `µs`. */
  readonly unit: string;
  readonly better: Better;
}

/** The figures of one run, by metric key. */
export type Metrics = Readonly<Record<string, number>>;

/** One side of a comparison. */
export interface Contender {
  /** `protean-ts` or `baseline`. */
  readonly name: string;
  /** Work done before each measured run and thrown away, so the JIT has seen the code. */
  warmUp(): Promise<void>;
  /**
   * One measured run on fresh state. Checks its own results and throws `CorrectnessError` when
   * anything was lost or applied twice.
   */
  run(): Promise<Metrics>;
}

/** A figure measured once per side outside the timed pairs (allocation, retained heap). */
export interface ExtraFigure {
  readonly label: string;
  readonly unit: string;
  readonly protean: number;
  readonly baseline: number;
  /** Why a figure is missing or how it was measured. */
  readonly note?: string;
}

/** Options every benchmark receives, from the command line. */
export interface BenchOptions {
  /** Alternating pairs (A B) to run; at least 5. @defaultValue 7 */
  readonly pairs: number;
  /** Operations per measured run (commands, events, ...). */
  readonly commands: number;
  /** Operations in the warm-up before each run. */
  readonly warmup: number;
}

/** The two contenders of a benchmark, built for one invocation. */
export interface Setup {
  /** One line describing the workload of a run, for the table's header. */
  readonly workload: string;
  readonly protean: Contender;
  readonly baseline: Contender;
  /** Figures measured once per side after the pairs (optional). */
  extras?(): Promise<ExtraFigure[]>;
  /** Releases whatever the set-up opened. */
  close(): Promise<void>;
}

/** A registered benchmark. */
export interface Benchmark {
  readonly name: string;
  /** One line for `--help`. */
  readonly summary: string;
  readonly metrics: readonly MetricSpec[];
  /** Defaults of `--commands` and `--warmup` for this benchmark. */
  readonly defaults: { readonly commands: number; readonly warmup: number };
  setUp(options: BenchOptions): Promise<Setup>;
}

/** Thrown when a run's results are wrong; the runner exits with code 1. */
export class CorrectnessError extends Error {
  override readonly name = 'CorrectnessError';
  constructor(
    readonly side: string,
    readonly problems: readonly string[],
  ) {
    const shown = problems.slice(0, 10).map((p) => `  - ${p}`);
    const more = problems.length > 10 ? [`  ... and ${problems.length - 10} more`] : [];
    super([`${side} produced wrong results:`, ...shown, ...more].join('\n'));
  }
}
