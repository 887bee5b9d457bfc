/**
 * The infrastructure a project is generated for: which database, event store and broker, how
 * commands and events are processed, and whether the outbox is on. Resolved and checked here,
 * once, before anything is written: a combination that protean-ts cannot run is refused with the
 * reason and what to choose instead.
 */
import { CreateDomainError } from './errors.js';

/** The values each infrastructure option accepts. */
export const STACK_CHOICES = {
  database: ['memory', 'postgresql'],
  eventStore: ['memory', 'postgresql'],
  broker: ['inline', 'redis', 'redis_pubsub'],
  processing: ['sync', 'async'],
} as const;

/** The infrastructure a project is generated for. */
export interface StackChoices {
  /** `[databases.default]` provider. */
  readonly database: (typeof STACK_CHOICES.database)[number];
  /** `[event_store]` provider. */
  readonly eventStore: (typeof STACK_CHOICES.eventStore)[number];
  /** `[brokers.default]` provider. */
  readonly broker: (typeof STACK_CHOICES.broker)[number];
  /** Event and command processing. */
  readonly processing: (typeof STACK_CHOICES.processing)[number];
  /** `enable_outbox`. */
  readonly outbox: boolean;
}

/** The stack of a project generated with no stack options: everything in memory, in process. */
export const DEFAULT_STACK: StackChoices = Object.freeze({
  database: 'memory',
  eventStore: 'memory',
  broker: 'inline',
  processing: 'sync',
  outbox: false,
});

/** How each choice is spelt on the command line, for messages. */
export const STACK_FLAGS: Record<keyof StackChoices, string> = {
  database: '--database',
  eventStore: '--event-store',
  broker: '--broker',
  processing: '--processing',
  outbox: '--outbox',
};

/** A combination protean-ts cannot run, and why. */
interface StackRule {
  readonly broken: (stack: StackChoices) => boolean;
  readonly reason: string;
}

const STACK_RULES: readonly StackRule[] = [
  {
    broken: (s) => s.processing === 'async' && s.broker === 'redis_pubsub',
    reason:
      '--broker redis_pubsub cannot be used with --processing async: the server consumes ' +
      'messages through consumer groups with acknowledgement, and Redis pub/sub has neither ' +
      '(a message reaches only whoever listens at that moment). Choose --broker redis for ' +
      'asynchronous processing, or keep --processing sync.',
  },
  {
    broken: (s) => s.processing === 'async' && s.eventStore === 'memory',
    reason:
      '--processing async needs --event-store postgresql: `protean server` runs in its own ' +
      'process and reads the stored commands and events from the event store, and a memory ' +
      'event store exists only inside the process that wrote it. Add --event-store postgresql, ' +
      'or keep --processing sync.',
  },
  {
    broken: (s) => s.outbox && s.database !== 'postgresql',
    reason:
      '--outbox needs --database postgresql: the outbox is a table written in the same ' +
      'transaction as the aggregate, and a memory database is visible only inside the process ' +
      'that wrote it, so `protean server` would never publish its rows. Add --database ' +
      'postgresql, or leave --outbox out.',
  },
  {
    broken: (s) => s.outbox && s.broker === 'redis_pubsub',
    reason:
      '--outbox cannot publish to --broker redis_pubsub: the handlers read what the outbox ' +
      'publishes through consumer groups, which Redis pub/sub does not have. Choose --broker ' +
      'redis (or inline), or leave --outbox out.',
  },
];

/**
 * The reasons a stack cannot run, one sentence each; empty when it can.
 *
 * @example
 * stackProblems({ ...DEFAULT_STACK, outbox: true }); // ['--outbox needs --database postgresql: ...']
 */
export function stackProblems(stack: StackChoices): string[] {
  return STACK_RULES.filter((rule) => rule.broken(stack)).map((rule) => rule.reason);
}

/**
 * Fills in the defaults and refuses a combination protean-ts cannot run (`INVALID_STACK`, exit 2).
 * The event store follows the database unless it is given: PostgreSQL for both keeps a change
 * and its events in one transaction.
 *
 * @example
 * resolveStack({ database: 'postgresql' });
 * // { database: 'postgresql', eventStore: 'postgresql', broker: 'inline', processing: 'sync', outbox: false }
 */
export function resolveStack(choices: Partial<StackChoices>): StackChoices {
  const given = definedOnly(choices);
  const stack: StackChoices = {
    ...DEFAULT_STACK,
    eventStore: given.database ?? DEFAULT_STACK.eventStore,
    ...given,
  };
  const problems = stackProblems(stack);
  if (problems.length > 0) {
    const more =
      problems.length > 1
        ? ` (and ${problems.length - 1} more: ${problems.slice(1).join(' ')})`
        : '';
    throw new CreateDomainError('INVALID_STACK', `${problems[0]}${more}`);
  }
  return stack;
}

/**
 * A warning about a stack that runs but loses a guarantee, or `undefined`.
 *
 * @example
 * stackWarning({ ...DEFAULT_STACK, database: 'postgresql' }); // '... do not commit together ...'
 */
export function stackWarning(stack: StackChoices): string | undefined {
  if (stack.database === stack.eventStore) return undefined;
  return (
    `--database ${stack.database} with --event-store ${stack.eventStore}: a change and its events ` +
    'are written in two transactions, so a crash between them can lose events (protean-ts logs ' +
    'a warning at start-up). Choose the same provider for both to keep them together.'
  );
}

/** Whether the stack needs PostgreSQL, Redis, or any service at all. */
export function servicesOf(stack: StackChoices): { postgres: boolean; redis: boolean } {
  return {
    postgres: stack.database === 'postgresql' || stack.eventStore === 'postgresql',
    redis: stack.broker === 'redis' || stack.broker === 'redis_pubsub',
  };
}

function definedOnly(choices: Partial<StackChoices>): Partial<StackChoices> {
  return Object.fromEntries(
    Object.entries(choices).filter(([key, value]) => key in DEFAULT_STACK && value !== undefined),
  ) as Partial<StackChoices>;
}
