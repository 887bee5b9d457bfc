import type { ElementMeta } from '../core/element.js';
import { streams } from '../core/envelope.js';
import { IncorrectUsageError } from '../core/errors.js';
import type { Fields } from '../core/fields.js';
import type { EventMessage, MessageClass, MessageMeta } from '../core/message.js';
import type {
  CommandHandlerEntry,
  EventHandlerEntry,
  HandlerInfo,
  SubscriberEntry,
} from './handlers.js';
import { snakeCase } from './names.js';

/** An element class as the registry keeps it. */
export interface RegisteredClass {
  readonly meta: ElementMeta;
}

/**
 * Everything a domain has registered, and the checks `domain.init()` runs over it. Problems found
 * while registering are kept and reported together with the rest at init.
 */
export class Registry {
  readonly #domain: string;
  readonly elements = new Map<string, RegisteredClass>();
  readonly messages = new Map<string, MessageClass>();
  readonly commandHandlers = new Map<string, CommandHandlerEntry>();
  readonly eventHandlers = new Map<string, EventHandlerEntry>();
  readonly subscribers = new Map<string, SubscriberEntry>();
  readonly #problems: string[] = [];
  readonly #names = new Set<string>();

  constructor(domain: string) {
    this.#domain = domain;
  }

  /** Records a problem to report at init. */
  problem(message: string): void {
    this.#problems.push(message);
  }

  /** Registers an element class under its unique name. */
  register<C extends RegisteredClass>(cls: C): C {
    const { name, kind } = cls.meta;
    this.#claim(name, withArticle(kind.replace('_', ' ')));
    this.elements.set(name, cls);
    if (kind === 'command' || kind === 'event') {
      this.messages.set((cls.meta as MessageMeta).type, cls as unknown as MessageClass);
    }
    return cls;
  }

  /** Reserves a name for an element, handler or service; names are unique within a domain. */
  #claim(name: string, what: string): void {
    if (this.#names.has(name)) {
      throw new IncorrectUsageError(
        `${name} is already registered in domain "${this.#domain}"; ${what} needs a name of its own.`,
      );
    }
    this.#names.add(name);
  }

  /** Reserves the name of a handler, projector or service. */
  claimName(name: string, what: string): void {
    if (!/^[A-Z][A-Za-z0-9]*$/.test(name)) {
      throw new IncorrectUsageError(
        `${what} name ${JSON.stringify(name)} is not valid: use PascalCase, such as "InventoryStocker".`,
      );
    }
    this.#claim(name, what);
  }

  /** Whether a class was declared by (and registered in) this domain. */
  owns(cls: RegisteredClass | undefined): boolean {
    return cls !== undefined && this.elements.get(cls.meta.name)?.meta === cls.meta;
  }

  /** Every handler with the categories and message types it handles (see `Domain.handlers()`). */
  handlerInfos(): HandlerInfo[] {
    const category = (partOf: string) => streams.category(this.#domain, snakeCase(partOf));
    const grouped = (pairs: [string, string][]) => {
      const categories = new Map<string, string[]>();
      for (const [name, type] of pairs)
        categories.set(name, [...(categories.get(name) ?? []), type]);
      return categories;
    };
    const commands = [...this.commandHandlers.values()].map(({ name, command }) => ({
      name,
      kind: 'command_handler' as const,
      categories: grouped([
        [streams.commandCategory(category(command.meta.partOf)), command.meta.type],
      ]),
    }));
    const reactions = [...this.eventHandlers.values()].map(
      ({ name, kind, reactions, options }) => ({
        name,
        kind,
        categories: grouped(
          [...reactions.values()].map(({ event }) => [
            category(event.meta.partOf),
            event.meta.type,
          ]),
        ),
        subscription: options.subscription,
      }),
    );
    return [...commands, ...reactions];
  }

  /** Every problem of the model: what registration found plus the cross-references. */
  validate(): string[] {
    return [
      ...this.#problems,
      ...this.#checkMessages(),
      ...this.#checkFields(),
      ...this.#checkEventHandlers(),
    ];
  }

  #checkMessages(): string[] {
    const problems: string[] = [];
    for (const cls of this.elements.values()) {
      const meta = cls.meta as MessageMeta;
      if (meta.kind !== 'command' && meta.kind !== 'event') continue;
      if (this.elements.get(meta.partOf)?.meta.kind !== 'aggregate') {
        problems.push(
          `${meta.kind} ${meta.name} is part of "${meta.partOf}", which is not an aggregate of this domain`,
        );
      }
      if (meta.kind === 'command' && !this.commandHandlers.has(meta.type)) {
        problems.push(
          `command ${meta.name} has no handler; register one with domain.handle(${meta.name}, ...)`,
        );
      }
    }
    return problems;
  }

  #checkFields(): string[] {
    const problems: string[] = [];
    for (const { meta } of this.elements.values()) {
      for (const [fieldName, field] of Object.entries(meta.fields as Fields)) {
        const where = `${meta.name}.${fieldName}`;
        if (
          field.kind === 'reference' &&
          this.elements.get(String(field.target))?.meta.kind !== 'aggregate'
        ) {
          problems.push(
            `${where} refers to "${String(field.target)}", which is not an aggregate of this domain`,
          );
        }
        const nested = field.target as RegisteredClass | undefined;
        if (['value_object', 'has_many', 'has_one'].includes(field.kind) && !this.owns(nested)) {
          problems.push(
            `${where} uses ${nested?.meta?.name ?? 'a class'} that is not registered in this domain`,
          );
        }
      }
    }
    return problems;
  }

  #checkEventHandlers(): string[] {
    const problems: string[] = [];
    for (const entry of this.eventHandlers.values()) {
      if (entry.reactions.size === 0)
        problems.push(`${entry.name} reacts to no event; add one with .on(Event, ...)`);
      for (const { event } of entry.reactions.values()) {
        if (!this.owns(event as MessageClass<EventMessage>)) {
          problems.push(
            `${entry.name} reacts to ${event.meta.name}, which is not an event of this domain`,
          );
        }
      }
      for (const projection of entry.projections) {
        if (this.elements.get(projection)?.meta.kind !== 'projection') {
          problems.push(
            `projector ${entry.name} maintains "${projection}", which is not a projection of this domain`,
          );
        }
      }
    }
    for (const entry of this.commandHandlers.values()) {
      if (!this.owns(entry.command))
        problems.push(
          `${entry.name} handles ${entry.command.meta.name}, which is not a command of this domain`,
        );
    }
    return problems;
  }
}

/** `aggregate` -> `an aggregate`, `command` -> `a command`. */
function withArticle(noun: string): string {
  return `${/^[aeiou]/.test(noun) ? 'an' : 'a'} ${noun}`;
}
