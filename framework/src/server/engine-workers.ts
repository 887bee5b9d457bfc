/**
 * The engine's view of what it runs: subscriptions and outbox processors as one kind of worker,
 * the test-mode drain, and a shutdown bounded in time.
 */
import type { OutboxProcessor } from '../outbox/processor.js';

/** A subscription or processor as the engine drives it. */
export interface Worker {
  readonly name: string;
  start(): Promise<void>;
  tick(): Promise<number>;
  run(): Promise<void>;
  close(): Promise<void>;
}

/**
 * An outbox processor as a worker named `outbox@<owner>`.
 */
export function outboxWorker(processor: OutboxProcessor): Worker {
  return {
    name: `outbox@${processor.owner}`,
    start: async () => undefined,
    tick: () => processor.tick(),
    run: () => processor.run(),
    close: () => processor.close(),
  };
}

/**
 * Ticks every worker, round after round, until a whole round handles nothing (true), or
 * `maxRounds` rounds passed or `stopped()` (false).
 */
export async function drainRounds(
  workers: readonly Worker[],
  maxRounds: number,
  stopped: () => boolean,
): Promise<boolean> {
  for (let round = 0; round < maxRounds; round += 1) {
    let handled = 0;
    for (const worker of workers) {
      if (stopped()) return false;
      handled += await worker.tick();
    }
    if (handled === 0) return true;
  }
  return false;
}

/**
 * Closes every worker, in reverse order, all at once; resolves with the names of those still
 * closing after `timeoutMs` (empty when every one finished in time). `pending` holds the names
 * of those still closing meanwhile (for a forced shutdown to log).
 */
export async function stopAll(
  workers: readonly Worker[],
  timeoutMs: number,
  pending = new Set<string>(),
): Promise<string[]> {
  for (const worker of workers) pending.add(worker.name);
  const closing = [...workers].reverse().map(async (worker) => {
    await worker.close().catch(() => undefined);
    pending.delete(worker.name);
  });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([Promise.all(closing), timeout]);
  clearTimeout(timer);
  return [...pending];
}
