/**
 * The in-process trace channel: listeners in the same process as the emitters (an embedded
 * engine and observatory, tests). Channels are shared by name, so that an engine and an
 * observatory that each ask for `protean:trace:<domain>` meet on the same one.
 */
import type { TraceChannel, TraceEvent, TraceListener } from '../../ports/trace.js';

class InProcessTraceChannel implements TraceChannel {
  readonly kind = 'in-process';
  readonly #listeners = new Set<TraceListener>();

  async start(): Promise<void> {}

  hasListeners(): boolean {
    return this.#listeners.size > 0;
  }

  emit(event: TraceEvent): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        // A listener's failure must not reach the engine: the trace is best effort.
      }
    }
  }

  async subscribe(listener: TraceListener): Promise<() => Promise<void>> {
    // Wrapped, so that the same function subscribed twice is two listeners.
    const registration: TraceListener = (event) => listener(event);
    this.#listeners.add(registration);
    return async () => void this.#listeners.delete(registration);
  }

  // Listeners belong to whoever subscribed them; a shared channel outlives each user.
  async close(): Promise<void> {}
}

/**
 * A new channel of its own: listeners get every event emitted on it, synchronously.
 *
 * @example
 * const seen: TraceEvent[] = [];
 * const channel = createInProcessTraceChannel();
 * const stop = await channel.subscribe((event) => seen.push(event));
 */
export function createInProcessTraceChannel(): TraceChannel {
  return new InProcessTraceChannel();
}

const shared = new Map<string, TraceChannel>();

/**
 * The process's channel called `name`, created on first use: every caller with the same name
 * gets the same channel.
 */
export function sharedInProcessTraceChannel(name: string): TraceChannel {
  let channel = shared.get(name);
  if (!channel) {
    channel = createInProcessTraceChannel();
    shared.set(name, channel);
  }
  return channel;
}
