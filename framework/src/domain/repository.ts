import { markStored, rehydrate } from '../core/aggregate.js';
import type { AggregateRoot, AnyAggregateClass } from '../core/aggregate.js';
import { NotFoundError } from '../core/errors.js';
import type { RecordStore } from '../ports/database.js';

/**
 * Stores and loads aggregates of one kind. Get one with `domain.repository(Book)`.
 *
 * @example
 * const books = domain.repository(Book);
 * await books.add(new Book({ title: 'Dune', author: 'Frank Herbert' }));
 * const dune = await books.get(id);
 */
export class Repository<T extends AggregateRoot> {
  readonly #cls: AnyAggregateClass<T>;
  readonly #store: RecordStore;

  constructor(cls: AnyAggregateClass<T>, store: RecordStore) {
    this.#cls = cls;
    this.#store = store;
  }

  /**
   * Saves a new or changed aggregate. Throws `ExpectedVersionError` when someone else saved it
   * since it was loaded.
   */
  async add(aggregate: T): Promise<T> {
    const { id, ...values } = aggregate.toJSON();
    const version = await this.#store.save(String(id), values, aggregate._version);
    markStored(aggregate, version);
    return aggregate;
  }

  /** Loads the aggregate with this id; throws `NotFoundError` when there is none. */
  async get(id: string): Promise<T> {
    const found = await this.getOrNull(id);
    if (!found) {
      const { name, domain } = this.#cls.meta;
      throw new NotFoundError(
        `${name} with id ${JSON.stringify(id)} was not found in domain "${domain}"; ` +
          'check the id, or use getOrNull() when absence is expected.',
      );
    }
    return found;
  }

  /** Loads the aggregate with this id, or `null`. */
  async getOrNull(id: string): Promise<T | null> {
    const record = await this.#store.get(id);
    return record ? rehydrate(this.#cls, record.id, record.version, record.values) : null;
  }

  /** Removes the aggregate; resolves `false` when it was not stored. */
  async remove(aggregate: T): Promise<boolean> {
    return this.#store.remove(aggregate.id);
  }

  /** How many aggregates of this kind are stored. */
  async count(): Promise<number> {
    return this.#store.count();
  }
}
