/**
 * Dead letters: what a consume loop writes to `<stream>:dlq` for an entry it gives up on, and the
 * check that turns a payload that is not an envelope into one at once (it would never succeed).
 */
import type { Envelope } from '../../core/envelope.js';
import { ProteanError } from '../../core/errors.js';
import type { JsonObject } from '../../ports/broker.js';

/**
 * A payload no retry can fix (not a valid envelope): the consume loop dead-letters it on its
 * first delivery instead of retrying it.
 */
export class MalformedMessageError extends ProteanError {
  constructor(message: string) {
    super('MALFORMED_MESSAGE', message);
  }
}

/**
 * An entry of a dead-letter queue: where the message came from, why it was given up, and the
 * original payload as it was read, so that `protean dlq replay` can publish it again.
 */
export interface DeadLetter extends JsonObject {
  /** The stream the entry was read from. */
  readonly stream: string;
  /** Its entry id there. */
  readonly id: string;
  readonly group: string;
  /** The consumer that gave up on it. */
  readonly consumer: string;
  /** The last error's message. */
  readonly error: string;
  /** The last error's `code`, when it had one (e.g. `MALFORMED_MESSAGE`). */
  readonly errorCode?: string;
  /** ISO-8601 time it was dead-lettered. */
  readonly failedAt: string;
  /** Deliveries of the entry, the last one included. */
  readonly attempts: number;
  readonly payload: JsonObject;
}

/**
 * The envelope header `protean dlq replay` sets to the consumer group that gave up on a message:
 * the other groups of the stream, which handled it already, acknowledge it without handling it.
 */
export const REPLAY_FOR_HEADER = 'protean-replay-for';

const KINDS = ['COMMAND', 'EVENT'];

/**
 * The envelope `payload` carries, or a {@link MalformedMessageError} that lists every field that
 * is missing or of the wrong type.
 */
export function parseEnvelope(payload: JsonObject): Envelope {
  const problems = [
    ...['id', 'type', 'stream'].filter((key) => !nonEmptyString(payload[key])),
    ...(KINDS.includes(payload['kind'] as string) ? [] : ['kind (COMMAND or EVENT)']),
    ...['data', 'metadata'].filter((key) => !isObject(payload[key])),
  ];
  if (problems.length === 0) return payload as unknown as Envelope;
  throw new MalformedMessageError(
    `not a valid envelope: missing or invalid ${problems.join(', ')}; received the keys ` +
      `${JSON.stringify(Object.keys(payload))}. Publish envelopes (domain.envelope()) on domain ` +
      'streams, and read external streams with a broker subscription.',
  );
}

function nonEmptyString(value: unknown): boolean {
  return typeof value === 'string' && value !== '';
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
