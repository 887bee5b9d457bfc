import { defineAggregate } from '../core/aggregate.js';
import type { AggregateClass, AggregateMeta, AggregateRoot, AnyAggregateClass } from '../core/aggregate.js';
import { IncorrectUsageError } from '../core/errors.js';
import type { Fields } from '../core/fields.js';
import type { DatabaseProvider } from '../ports/database.js';
import { createDatabaseProvider } from '../ports/registry.js';
import type { DatabaseSettings } from '../ports/registry.js';
import { Repository } from './repository.js';

/** Options of `new Domain()`. */
export interface DomainOptions {
  /** The domain's name: the first part of every stream and type name, e.g. `bookshelf`. */
  name: string;
  /** Configuration; for now the `databases` table (domain.toml support comes with the config module). */
  config?: { databases?: Record<string, DatabaseSettings> };
}

/**
 * A bounded context: the registry of its elements and the entry point to use them.
 *
 * @example
 * const domain = new Domain({ name: 'bookshelf' });
 * class Book extends domain.aggregate('Book', { title: field.string({ required: true }) }) {}
 * await domain.init();
 * await domain.repository(Book).add(new Book({ title: 'Dune' }));
 */
export class Domain {
  readonly name: string;
  readonly #options: DomainOptions;
  readonly #aggregates = new Map<string, AggregateMeta>();
  readonly #repositories = new Map<string, Repository<AggregateRoot>>();
  #database: DatabaseProvider | undefined;

  constructor(options: DomainOptions) {
    if (!/^[a-z][a-z0-9_]*$/.test(options.name ?? '')) {
      throw new IncorrectUsageError(
        `Domain name ${JSON.stringify(options.name)} is not valid: use lower-case letters, digits and _, such as "bookshelf".`,
      );
    }
    this.name = options.name;
    this.#options = options;
  }

  /**
   * Declares and registers an aggregate. Extend the returned class to add behaviour.
   *
   * @example
   * class Book extends domain.aggregate('Book', { title: field.string({ required: true }) }) {}
   */
  aggregate<const F extends Fields>(name: string, fields: F): AggregateClass<F> {
    if (this.#aggregates.has(name)) {
      throw new IncorrectUsageError(
        `Aggregate ${name} is already registered in domain "${this.name}"; give each aggregate a unique name.`,
      );
    }
    const cls = defineAggregate(this.name, name, fields, () => globalThis.crypto.randomUUID());
    this.#aggregates.set(name, cls.meta);
    return cls;
  }

  /** Whether `init()` has completed. */
  get initialized(): boolean {
    return this.#database !== undefined;
  }

  /** Validates the model and connects the configured adapters. Call once, after registration. */
  async init(): Promise<this> {
    if (this.#database) return this;
    const settings = this.#options.config?.databases?.['default'] ?? { provider: 'memory' };
    const database = await createDatabaseProvider('default', settings);
    await database.start();
    this.#database = database;
    return this;
  }

  /** The repository of an aggregate class registered in this domain. */
  repository<T extends AggregateRoot>(cls: AnyAggregateClass<T>): Repository<T> {
    const database = this.#requireInit('repository()');
    const { name, domain } = cls.meta ?? {};
    if (domain !== this.name || this.#aggregates.get(name) !== cls.meta) {
      throw new IncorrectUsageError(
        `${cls.name} is not an aggregate of domain "${this.name}"; declare it with domain.aggregate().`,
      );
    }
    let repository = this.#repositories.get(name);
    if (!repository) {
      repository = new Repository(cls, database.records(`${this.name}.${snakeCase(name)}`));
      this.#repositories.set(name, repository as Repository<AggregateRoot>);
    }
    return repository as Repository<T>;
  }

  /** Closes the adapters `init()` opened. */
  async close(): Promise<void> {
    const database = this.#database;
    this.#database = undefined;
    this.#repositories.clear();
    await database?.close();
  }

  #requireInit(what: string): DatabaseProvider {
    if (!this.#database) {
      throw new IncorrectUsageError(
        `domain "${this.name}" is not initialized: call \`await domain.init()\` after registering its elements and before ${what}.`,
      );
    }
    return this.#database;
  }
}

/** `OrderItem` -> `order_item`: stream categories and table names use this form. */
export function snakeCase(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase();
}
