import type { AggregateRoot, AnyAggregateClass } from '../core/aggregate.js';
import { streams } from '../core/envelope.js';
import { IncorrectUsageError } from '../core/errors.js';
import type { AnyProjectionClass, Projection } from '../core/projection.js';
import { snakeCase } from './names.js';
import type { Registry } from './registry.js';
import { Repository, constructRepository, storedBy } from './repository.js';
import type { RepositoryBinding, RepositoryStorage, StoredClass } from './repository.js';
import { viewOf } from './view.js';
import type { View } from './view.js';

/** Refuses anything but a projection, before anything else is checked. */
export function requireProjection(cls: AnyProjectionClass): void {
  if (cls.meta?.kind !== 'projection') {
    throw new IncorrectUsageError(
      `domain.view() takes a projection, received ${cls.meta?.name ?? String(cls)}; use domain.repository() for aggregates`,
    );
  }
}

/**
 * The repositories of one initialized domain: one instance per aggregate, projection or custom
 * repository class, each bound to `storage` (the domain's processor).
 */
export class Repositories {
  readonly #name: string;
  readonly #registry: Registry;
  readonly #storage: RepositoryStorage;
  readonly #made = new Map<unknown, Repository<never>>();

  constructor(name: string, registry: Registry, storage: RepositoryStorage) {
    this.#name = name;
    this.#registry = registry;
    this.#storage = storage;
  }

  // `any`: a custom repository of any element type; its own type is what the caller gets back.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  get<R extends Repository<any>>(cls: new () => R): R;
  get<T extends AggregateRoot>(cls: AnyAggregateClass<T>): Repository<T>;
  get<T extends Projection>(cls: AnyProjectionClass<T>): Repository<T>;
  /** The repository of an aggregate or projection, or an instance of a custom repository class. */
  get(cls: unknown): Repository<never> {
    let repository = this.#made.get(cls);
    if (!repository) {
      repository = this.#make(cls);
      this.#made.set(cls, repository);
    }
    return repository;
  }

  /** Read-only access to a projection. */
  view<T extends Projection>(cls: AnyProjectionClass<T>): View<T> {
    requireProjection(cls);
    return viewOf(this.get(cls));
  }

  #make(cls: unknown): Repository<never> {
    if (typeof cls === 'function' && cls.prototype instanceof Repository) {
      const stored = storedBy(cls);
      const custom = cls as new () => Repository<never>;
      return stored ? constructRepository(custom, this.#binding(stored)) : new custom();
    }
    const meta = (cls as { meta?: { kind?: string; name: string } }).meta;
    if (
      !this.#registry.owns(cls as AnyAggregateClass) ||
      (meta?.kind !== 'aggregate' && meta?.kind !== 'projection')
    ) {
      throw new IncorrectUsageError(
        `${(cls as { name?: string }).name ?? String(cls)} is not an aggregate or projection of domain "${this.#name}"; declare it with domain.aggregate() or domain.projection().`,
      );
    }
    return new Repository(this.#binding(cls as StoredClass) as never);
  }

  #binding(cls: StoredClass): RepositoryBinding<never> {
    const { name, kind } = cls.meta as { name: string; kind: string };
    return {
      cls: cls as StoredClass<never>,
      kind: `${this.#name}.${snakeCase(name)}`,
      ...(kind === 'aggregate' ? { category: streams.category(this.#name, snakeCase(name)) } : {}),
      storage: this.#storage,
    };
  }
}
