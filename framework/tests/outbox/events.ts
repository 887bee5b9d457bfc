/** What the outbox processor tests publish: events at a fixed time. */
import type { Envelope } from '../../src/core/envelope.js';

/** The time the processor tests start at. */
export const T0 = Date.parse('2025-01-01T00:00:00Z');

/** An event of `stream`, e.g. `bookshelf::book-1`, with id `evt:<stream>`. */
export function event(stream: string): Envelope {
  const metadata = { timestamp: new Date(T0).toISOString(), correlationId: 'c-1', headers: {} };
  return {
    id: `evt:${stream}`,
    type: 'Bookshelf.Thing.v1',
    kind: 'EVENT',
    stream,
    data: {},
    metadata,
  };
}
