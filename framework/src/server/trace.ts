/**
 * Which trace channel a domain's engine emits on, and its observatory listens to: Redis pub/sub
 * when the domain's default broker is on Redis (engines and observatories are separate
 * processes), the process's own channel otherwise.
 */
import type { Domain } from '../domain/domain.js';
import { sharedInProcessTraceChannel } from '../adapters/memory/trace.js';
import type { TraceChannel } from '../ports/trace.js';

/** The broker providers whose Redis carries the trace too. */
const REDIS_PROVIDERS = new Set(['redis', 'redis_pubsub']);

/**
 * The channel of a domain's trace: `protean:trace:<domain>` (on Redis, behind the broker's
 * `key_prefix`).
 */
export function traceChannelName(domain: string): string {
  return `protean:trace:${domain}`;
}

/**
 * The trace channel of `domain` (initialized), started: on the Redis of `[brokers.default]` when
 * its provider is `redis` or `redis_pubsub`, in process otherwise. The caller closes it.
 *
 * @example
 * const channel = await openTraceChannel(domain);
 * const stop = await channel.subscribe((event) => console.log(event.event));
 */
export async function openTraceChannel(
  domain: Pick<Domain, 'name' | 'config'>,
): Promise<TraceChannel> {
  const broker = domain.config.brokers['default'];
  const channel = traceChannelName(domain.name);
  if (!broker || !REDIS_PROVIDERS.has(broker.provider)) return sharedInProcessTraceChannel(channel);
  const { createRedisTraceChannel } = await import('../adapters/redis/trace.js');
  const opened = createRedisTraceChannel(broker, { channel });
  await opened.start();
  return opened;
}
