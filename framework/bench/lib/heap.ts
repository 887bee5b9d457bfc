/**
 * Heap and garbage-collector helpers. Everything here works without `--expose-gc`; with it
 * (`NODE_OPTIONS=--expose-gc`, which `npm run bench` passes), runs start from a collected heap
 * and retained sizes can be measured.
 */
import { PerformanceObserver } from 'node:perf_hooks';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { PerformanceEntry } from 'node:perf_hooks';
import v8 from 'node:v8';

/** Whether `global.gc` is available. */
export function gcExposed(): boolean {
  return typeof globalThis.gc === 'function';
}

/**
 * Runs a full collection when `global.gc` is exposed (otherwise does nothing), then lets a turn
 * of the event loop pass so its GC entry is delivered before any watch starts.
 */
export async function collectGarbage(): Promise<void> {
  globalThis.gc?.();
  await nextTurn();
}

/** Bytes currently used on the V8 heap (about 2 µs a call: keep it out of timed code). */
export function heapUsed(): number {
  return v8.getHeapStatistics().used_heap_size;
}

/** Collections seen while a watch was running. */
export interface GcActivity {
  readonly count: number;
  readonly ms: number;
}

/**
 * Starts counting garbage collections and their pause time; the returned function stops and
 * reports. Node delivers GC entries on a later turn of the event loop (a run of awaited memory
 * adapters never yields one), so stopping waits for that turn first.
 */
export function watchGc(): () => Promise<GcActivity> {
  const entries: PerformanceEntry[] = [];
  const observer = new PerformanceObserver((list) => {
    entries.push(...list.getEntries());
  });
  observer.observe({ entryTypes: ['gc'] });
  return async () => {
    await nextTurn();
    entries.push(...observer.takeRecords());
    observer.disconnect();
    return { count: entries.length, ms: entries.reduce((sum, e) => sum + e.duration, 0) };
  };
}

/**
 * Estimates the bytes one step allocates: the heap growth across it, ignoring steps during
 * which a collection ran (their growth is negative). Untimed: each sample costs a heap read.
 */
export class AllocationSampler {
  readonly #samples: number[] = [];

  async sample<T>(step: () => Promise<T>): Promise<T> {
    const before = heapUsed();
    const result = await step();
    const grown = heapUsed() - before;
    if (grown >= 0) this.#samples.push(grown);
    return result;
  }

  /** Mean bytes per step over the steps without a collection; `NaN` if none. */
  get bytesPerStep(): number {
    const kept = this.#samples;
    return kept.length === 0 ? Number.NaN : kept.reduce((sum, v) => sum + v, 0) / kept.length;
  }
}
