/**
 * Every benchmark `npm run bench -- <name>` knows. A new one (event-store, outbox-pipeline,
 * backlog-drain, startup) implements `Benchmark` from `lib/types.ts` and is added here.
 */
import type { Benchmark } from './lib/types.js';
import { eventStore } from './event-store/index.js';
import { outboxPipeline } from './outbox-pipeline/index.js';
import { syncMemory } from './sync-memory/index.js';
import { traceCost } from './trace-cost/index.js';

export const benchmarks: readonly Benchmark[] = [syncMemory, eventStore, outboxPipeline, traceCost];

/** The benchmark called `name`, if there is one. */
export function findBenchmark(name: string): Benchmark | undefined {
  return benchmarks.find((benchmark) => benchmark.name === name);
}
