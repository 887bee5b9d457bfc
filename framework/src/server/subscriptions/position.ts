/**
 * Where an event-store subscription keeps its position: in the event store itself, as a stream of
 * `$Position` messages, one per save, the last one being the current position.
 */
import { randomUUID } from 'node:crypto';
import { IncorrectUsageError } from '../../core/errors.js';
import type { EventStore } from '../../ports/event-store.js';

/** The type of the messages that record a position. */
export const POSITION_MESSAGE_TYPE = '$Position';

/**
 * The stream holding `handler`'s position in `category`. Its category, `$position`, cannot be a
 * domain category (those are `<domain>::<aggregate>`, with no `$`), so no handler ever reads it,
 * and one `readCategory('$position')` lists every subscription's saves.
 */
export function positionStream(handler: string, category: string): string {
  return `$position-${handler}@${category}`;
}

/**
 * The last saved global position of a position stream, 0 when nothing was saved yet (reading
 * then starts at global position 1).
 */
export async function loadPosition(store: EventStore, stream: string): Promise<number> {
  const last = await store.readLast(stream);
  if (last === undefined) return 0;
  const position = last.data['position'];
  if (typeof position === 'number' && Number.isInteger(position) && position >= 0) return position;
  throw new IncorrectUsageError(
    `the position stream '${stream}' ends with message ${last.id}, whose data.position is ` +
      `${JSON.stringify(position)} instead of an integer >= 0; append a valid ${POSITION_MESSAGE_TYPE} ` +
      'message to it (or delete the stream to start from the beginning).',
  );
}

/**
 * Appends `position` to the position stream (no concurrency check: one reader per subscription).
 */
export async function savePosition(
  store: EventStore,
  stream: string,
  position: number,
): Promise<void> {
  const message = {
    id: randomUUID(),
    type: POSITION_MESSAGE_TYPE,
    kind: 'EVENT' as const,
    stream,
    data: { position },
    metadata: { timestamp: new Date().toISOString(), correlationId: randomUUID(), headers: {} },
  };
  await store.append(stream, [message], { expectedVersion: 'any' });
}
