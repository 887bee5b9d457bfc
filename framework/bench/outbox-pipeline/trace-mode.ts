/**
 * `PROTEAN_BENCH_TRACE` picks how the protean-ts engine traces, to measure what tracing costs:
 * `off` (no channel at all: tracing compiled out, as far as the engine can tell), `idle` (the
 * default: the domain's Redis channel, nobody listening) or `listen` (the same channel, with a
 * listener subscribed in this process, as an observatory would be).
 */
import type { Domain } from 'protean-ts';
import { openTraceChannel } from 'protean-ts/server';
import type { EngineOptions } from 'protean-ts/server';

/** The trace mode of this run, from `PROTEAN_BENCH_TRACE`. */
export function traceMode(): 'off' | 'idle' | 'listen' {
  const mode = process.env['PROTEAN_BENCH_TRACE'] ?? 'idle';
  if (mode === 'off' || mode === 'idle' || mode === 'listen') return mode;
  throw new Error(`PROTEAN_BENCH_TRACE must be off, idle or listen, received "${mode}"`);
}

/**
 * The engine's `trace` option for the mode, and what to close after the run (the listener's
 * channel, in `listen` mode).
 */
export async function traceOptions(
  domain: Domain,
): Promise<{ options: EngineOptions; close: () => Promise<void> }> {
  const mode = traceMode();
  if (mode === 'off') return { options: { trace: false }, close: async () => undefined };
  if (mode === 'idle') return { options: {}, close: async () => undefined };
  const channel = await openTraceChannel(domain);
  let events = 0;
  await channel.subscribe(() => (events += 1));
  return {
    options: {},
    close: async () => {
      await channel.close();
      if (events === 0) throw new Error('PROTEAN_BENCH_TRACE=listen: no trace event arrived');
    },
  };
}
