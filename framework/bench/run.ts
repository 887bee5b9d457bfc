/**
 * The benchmark runner: `npm run bench -- <name> [--pairs N] [--commands N] [--warmup N] [--json path]`.
 *
 * Runs protean-ts and its baseline alternately, prints a table of ratios (protean-ts ÷ baseline)
 * and writes the JSON to `bench/results/<name>-<timestamp>.json`. Never asserts timings; exits 1
 * only when a run's results are wrong (or it fails), 2 on a usage error.
 */
import { isAbsolute, join, resolve } from 'node:path';
import process from 'node:process';
import { benchmarks, findBenchmark } from './benchmarks.js';
import { DEFAULT_PAIRS, MIN_PAIRS, parseCommandLine, UsageError } from './lib/args.js';
import type { CommandLine } from './lib/args.js';
import { runPairs, summarize } from './lib/measure.js';
import { renderPair, renderReport, writeJson } from './lib/report.js';
import type { BenchResult } from './lib/report.js';
import { CorrectnessError } from './lib/types.js';
import type { Benchmark, BenchOptions } from './lib/types.js';

const out = (text: string) => process.stdout.write(text);
const err = (text: string) => process.stderr.write(text);

function helpText(): string {
  const width = Math.max(...benchmarks.map((b) => b.name.length));
  const list = benchmarks.map((b) => `  ${b.name.padEnd(width)}  ${b.summary}`);
  return [
    'Usage: npm run bench -- <name> [--pairs N] [--commands N] [--warmup N] [--json path]',
    '',
    'Benchmarks:',
    ...list,
    '',
    'Options:',
    `  --pairs N      protean-ts/baseline pairs, run alternately A B A B ... (default ${DEFAULT_PAIRS}, at least ${MIN_PAIRS})`,
    "  --commands N   operations per measured run (default: the benchmark's own)",
    "  --warmup N     operations in the warm-up before each run (default: the benchmark's own)",
    '  --json path    where to write the JSON (default bench/results/<name>-<timestamp>.json)',
    '  -h, --help     this help',
    '',
    'Every figure is a ratio protean-ts ÷ baseline measured in one process, median over pairs with',
    'min–max. A full GC runs between runs when `global.gc` is exposed (`npm run bench` passes',
    '--expose-gc; elsewhere set NODE_OPTIONS=--expose-gc). Timings are never asserted.',
    'Exit codes: 0 done; 1 a run produced wrong results or failed; 2 usage error.',
    '',
  ].join('\n');
}

/** Where the JSON goes: `--json` (relative to where npm was run) or bench/results/. */
function jsonPath(name: string, requested: string | undefined, startedAt: string): string {
  if (requested !== undefined) {
    return isAbsolute(requested)
      ? requested
      : resolve(process.env['INIT_CWD'] ?? process.cwd(), requested);
  }
  return join(import.meta.dirname, 'results', `${name}-${startedAt.replace(/[:.]/g, '-')}.json`);
}

function optionsFor(benchmark: Benchmark, line: CommandLine): BenchOptions {
  return {
    pairs: line.pairs,
    commands: line.commands ?? benchmark.defaults.commands,
    warmup: line.warmup ?? benchmark.defaults.warmup,
  };
}

async function runBenchmark(benchmark: Benchmark, line: CommandLine): Promise<void> {
  const options = optionsFor(benchmark, line);
  const startedAt = new Date().toISOString();
  const headline = benchmark.metrics[0];
  const setup = await benchmark.setUp(options);
  let result: BenchResult;
  try {
    const pairs = await runPairs(setup, options.pairs, (pair) => {
      if (headline) err(renderPair(pair, options.pairs, headline.key, headline.unit));
    });
    const extras = (await setup.extras?.()) ?? [];
    const summary = summarize(benchmark.metrics, pairs);
    result = {
      benchmark: benchmark.name,
      startedAt,
      options,
      workload: setup.workload,
      pairs,
      summary,
      extras,
    };
  } finally {
    await setup.close();
  }
  out(`\n${renderReport(result)}`);
  out(
    `\nresults written to ${writeJson(jsonPath(benchmark.name, line.json, startedAt), result)}\n`,
  );
}

/** Runs the command line; resolves with the exit code. */
export async function main(args: readonly string[]): Promise<number> {
  let line: CommandLine;
  try {
    line = parseCommandLine(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err(`${error.message}\n\n${helpText()}`);
    return 2;
  }
  if (line.help) return (out(helpText()), 0);
  if (line.name === undefined) return (err(`name a benchmark to run.\n\n${helpText()}`), 2);
  const benchmark = findBenchmark(line.name);
  if (!benchmark) {
    const names = benchmarks.map((b) => b.name).join(', ');
    err(
      `unknown benchmark ${JSON.stringify(line.name)}; choose one of: ${names}.\n\n${helpText()}`,
    );
    return 2;
  }
  try {
    await runBenchmark(benchmark, line);
    return 0;
  } catch (error) {
    err(
      error instanceof CorrectnessError
        ? `\nFAILED: ${error.message}\n`
        : `\nFAILED: ${(error as Error).stack ?? String(error)}\n`,
    );
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
