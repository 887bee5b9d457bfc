/**
 * One error hierarchy for everything protean-ts reports. Every error has a stable `code` that
 * programs can branch on, and a message that says what was wrong, what was received and what to do.
 */

/** Field path -> messages; nested value objects and entities nest their own maps. */
export interface FieldErrors {
  [field: string]: string[] | FieldErrors;
}

/**
 * Base class of every error protean-ts throws on purpose.
 *
 * @example
 * try { await domain.process(command) } catch (error) {
 *   if (error instanceof ProteanError) console.error(error.code, error.message);
 * }
 */
export class ProteanError extends Error {
  /** A stable, machine-readable identifier such as `VALIDATION_ERROR`. */
  readonly code: string;

  constructor(code: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Data did not satisfy its field declarations; `errors` names every bad field at once. */
export class ValidationError extends ProteanError {
  readonly errors: FieldErrors;

  constructor(element: string, errors: FieldErrors) {
    super('VALIDATION_ERROR', `${element} is invalid: ${describeFieldErrors(errors)}`);
    this.errors = errors;
  }
}

/**
 * A business rule of an aggregate, entity, value object or domain service was broken.
 *
 * @example
 * class Order extends domain.aggregate('Order', { items: field.hasMany(OrderItem) }) {
 *   submit() {
 *     if (this.items.length === 0) {
 *       throw new InvariantViolation('an order must have at least one item');
 *     }
 *   }
 * }
 */
export class InvariantViolation extends ProteanError {
  /** Invariant name -> message, when several named invariants were checked together. */
  readonly violations: Readonly<Record<string, string>>;

  constructor(message: string, violations: Record<string, string> = {}) {
    super('INVARIANT_VIOLATION', message);
    this.violations = violations;
  }

  /** One error for every named invariant of `element` that failed. */
  static of(element: string, violations: Record<string, string>): InvariantViolation {
    const list = Object.entries(violations).map(([name, message]) => `${name}: ${message}`);
    return new InvariantViolation(`${element} breaks its rules: ${list.join('; ')}`, violations);
  }
}

/** Two writers changed the same aggregate (or stream) concurrently; the later one lost. */
export class ExpectedVersionError extends ProteanError {
  readonly expected: number;
  readonly actual: number;

  constructor(subject: string, expected: number, actual: number) {
    super(
      'EXPECTED_VERSION_ERROR',
      `${subject} was expected at version ${expected} but is at version ${actual}: ` +
        'someone else changed it since it was loaded; load it again and retry.',
    );
    this.expected = expected;
    this.actual = actual;
  }
}

/** A lookup by identity found nothing. */
export class NotFoundError extends ProteanError {
  constructor(message: string) {
    super('NOT_FOUND', message);
  }
}

/** domain.toml or an explicit config object is wrong; the message names the file, key and fix. */
export class ConfigurationError extends ProteanError {
  constructor(message: string) {
    super('CONFIGURATION_ERROR', message);
  }
}

/** The API was used in a way it does not support (wrong order, wrong element, missing init). */
export class IncorrectUsageError extends ProteanError {
  constructor(message: string) {
    super('INCORRECT_USAGE', message);
  }
}

/** Renders `{ title: ['is required'], price: { amount: ['must be >= 0'] } }` as one line. */
export function describeFieldErrors(errors: FieldErrors, prefix = ''): string {
  return Object.entries(errors)
    .map(([field, value]) =>
      Array.isArray(value)
        ? `${prefix}${field} ${value.join(', ')}`
        : describeFieldErrors(value, `${prefix}${field}.`),
    )
    .join('; ');
}

/**
 * In sync processing, one or more event handlers or projectors failed after the change that
 * raised the events was committed. The committed change stays; `failures` says what failed.
 */
export class EventDispatchError extends ProteanError {
  readonly failures: readonly { handler: string; eventType: string; error: unknown }[];

  constructor(failures: readonly { handler: string; eventType: string; error: unknown }[]) {
    const list = failures.map(
      ({ handler, eventType, error }) =>
        `${handler} on ${eventType}: ${(error instanceof Error ? error.message : String(error)).replace(/\.$/, '')}`,
    );
    super(
      'EVENT_DISPATCH_FAILED',
      `the change was committed, but ${failures.length} event reaction(s) failed: ${list.join('; ')}. ` +
        'Fix the handler; with event_processing = "async" the server would retry it.',
      { cause: failures[0]?.error },
    );
    this.failures = failures;
  }
}
