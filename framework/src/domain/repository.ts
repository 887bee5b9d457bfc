import { AggregateRoot, markStored } from '../core/aggregate.js';
import { fromStored } from '../core/entity.js';
import type { IdentifiedElement, IdentityMeta } from '../core/entity.js';
import { IncorrectUsageError, NotFoundError } from '../core/errors.js';
import type { Query, RecordStore, StoredRecord, Where } from '../ports/database.js';
import { currentContext } from '../unit-of-work/context.js';
import type { UnitOfWork } from '../unit-of-work/unit-of-work.js';
import { checkQuery } from './query-check.js';

/** Where repositories read and write outside an open unit of work: the domain's processor. */
export interface RepositoryStorage {
  /** The stored records of one kind, read outside any unit of work. */
  records(kind: string): RecordStore;
  /** Runs a write in a unit of work of its own: committed, then its events dispatched. */
  unitOfWork<R>(fn: () => Promise<R>): Promise<R>;
}

/** An aggregate or projection class, as a repository stores it. */
export type StoredClass<T extends IdentifiedElement = IdentifiedElement> = (abstract new (
  input: never,
) => T) & { readonly meta: IdentityMeta };

/** How a repository reaches its storage; the domain builds one per aggregate or projection. */
export interface RepositoryBinding<T extends IdentifiedElement> {
  readonly cls: StoredClass<T>;
  /** The record kind, e.g. `bookshelf.book`. */
  readonly kind: string;
  /** For aggregates: the stream category of their events. */
  readonly category?: string;
  readonly storage: RepositoryStorage;
}

/** Versions of loaded projections (aggregates carry their own). */
const loadedVersions = new WeakMap<IdentifiedElement, number>();

function versionOf(element: IdentifiedElement): number {
  return element instanceof AggregateRoot ? element._version : (loadedVersions.get(element) ?? 0);
}

/**
 * Stores and loads the aggregates (or projections) of one kind. Inside a handler or unit of work
 * it works in that unit's transaction, with an identity map; outside, each write commits alone.
 * Get one with `domain.repository(Book)`; subclass one with `domain.repositoryFor(Book)`.
 *
 * @example
 * const books = domain.repository(Book);
 * await books.add(new Book({ title: 'Dune', author: 'Frank Herbert' }));
 * const cheap = await books.find({ where: { price: { lt: 10 } }, orderBy: { title: 'asc' }, limit: 20 });
 */
export class Repository<T extends IdentifiedElement> {
  readonly #binding: RepositoryBinding<T>;

  constructor(binding: RepositoryBinding<T>) {
    this.#binding = binding;
  }

  /** Stages `element` in `unit`: written when the unit commits. */
  #stage(unit: UnitOfWork, element: T): void {
    const { kind, category } = this.#binding;
    const stored =
      element instanceof AggregateRoot ? undefined : (v: number) => loadedVersions.set(element, v);
    unit.stage({
      kind,
      element,
      expectedVersion: versionOf(element),
      ...(category ? { category } : {}),
      ...(stored ? { stored } : {}),
    });
  }

  /** Unstages `element` and marks it removed; resolves whether it was stored. */
  async #unstage(unit: UnitOfWork, element: T): Promise<boolean> {
    const exists =
      (await (await unit.session()).records(this.#binding.kind).get(element.id)) !== undefined;
    unit.unstage(this.#binding.kind, element.id);
    return exists;
  }

  /**
   * Saves a new or changed element when the unit of work commits (at once outside one). The
   * commit checks its invariants and unique fields; a concurrent change makes it fail with
   * `ExpectedVersionError`.
   */
  async add(element: T): Promise<T> {
    const unit = currentContext().unitOfWork;
    if (unit) this.#stage(unit, element);
    else await this.#binding.storage.unitOfWork(async () => this.#stage(openUnit(), element));
    return element;
  }

  /** Loads the element with this id; throws `NotFoundError` when there is none. */
  async get(id: string): Promise<T> {
    const found = await this.getOrNull(id);
    if (!found) {
      const { name, domain } = this.#binding.cls.meta;
      throw new NotFoundError(
        `${name} with id ${JSON.stringify(id)} was not found in domain "${domain}"; ` +
          'check the id, or use getOrNull() when absence is expected.',
      );
    }
    return found;
  }

  /** Loads the element with this id, or `null`. */
  async getOrNull(id: string): Promise<T | null> {
    const unit = currentContext().unitOfWork;
    const cached = unit?.loaded(this.#binding.kind, id);
    if (cached) return cached as T;
    const record = await (await this.#store(unit)).get(id);
    return record ? this.#hydrate(record, unit) : null;
  }

  /** Removes the element when the unit of work commits; resolves `false` when it was not stored. */
  async remove(element: T): Promise<boolean> {
    const unit = currentContext().unitOfWork;
    if (unit) return this.#unstage(unit, element);
    return this.#binding.storage.unitOfWork(() => this.#unstage(openUnit(), element));
  }

  /** Elements matching `where`, ordered by `orderBy` (then by id), paginated by `limit`/`offset`. */
  async find(query: Query = {}): Promise<T[]> {
    checkQuery(this.#binding.cls.meta.name, this.#binding.cls.meta.fields, query);
    const unit = currentContext().unitOfWork;
    const records = await (await this.#store(unit)).find(query);
    return records.map(
      (record) => (unit?.loaded(this.#binding.kind, record.id) as T) ?? this.#hydrate(record, unit),
    );
  }

  /** The first element matching the query, or `null`. */
  async findOne(query: Query = {}): Promise<T | null> {
    return (await this.find({ ...query, limit: 1 }))[0] ?? null;
  }

  /** How many elements match `where` (all of them without it). */
  async count(where: Where = {}): Promise<number> {
    checkQuery(this.#binding.cls.meta.name, this.#binding.cls.meta.fields, { where });
    return (await this.#store(currentContext().unitOfWork)).count(where);
  }

  /** Whether any element matches `where`. */
  async exists(where: Where = {}): Promise<boolean> {
    return (await this.count(where)) > 0;
  }

  async #store(unit: UnitOfWork | undefined): Promise<RecordStore> {
    const { kind, storage } = this.#binding;
    return unit ? (await unit.session()).records(kind) : storage.records(kind);
  }

  #hydrate(record: StoredRecord, unit: UnitOfWork | undefined): T {
    const element = fromStored(this.#binding.cls, record.id, record.values);
    if (element instanceof AggregateRoot) markStored(element, record.version);
    else loadedVersions.set(element, record.version);
    unit?.remember(this.#binding.kind, element);
    return element;
  }
}

/** The unit of work `RepositoryStorage.unitOfWork()` opened for the write in progress. */
function openUnit(): UnitOfWork {
  return currentContext().unitOfWork!;
}

/** Names, on a class made by `repositoryFor()`, the aggregate or projection it stores. */
const STORES = Symbol('protean.repository.stores');

/** The binding of the custom repository being constructed by {@link constructRepository}. */
let constructing: RepositoryBinding<IdentifiedElement> | undefined;

/**
 * The base class of a custom repository of `cls` (see `domain.repositoryFor()`). It takes no
 * argument, so subclasses need no constructor; `domain.repository(Subclass)` makes its instances.
 */
export function repositoryBase<T extends IdentifiedElement>(
  cls: StoredClass<T>,
): new () => Repository<T> {
  return class extends Repository<T> {
    static readonly [STORES] = cls;

    constructor() {
      const binding = constructing;
      constructing = undefined;
      if (!binding) {
        throw new IncorrectUsageError(
          `a repository of ${cls.meta.name} is made by domain.repository(${new.target.name || 'YourRepository'}), not with new`,
        );
      }
      super(binding as unknown as RepositoryBinding<T>);
    }
  };
}

/** The aggregate or projection class a custom repository class stores, if it is one. */
export function storedBy(repositoryClass: unknown): StoredClass | undefined {
  return (repositoryClass as { [STORES]?: StoredClass })[STORES];
}

/** Makes an instance of a custom repository class with `binding`. */
export function constructRepository<R>(
  repositoryClass: new () => R,
  binding: RepositoryBinding<IdentifiedElement>,
): R {
  constructing = binding;
  try {
    return new repositoryClass();
  } finally {
    constructing = undefined;
  }
}
