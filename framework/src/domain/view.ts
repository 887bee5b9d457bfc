import type { Projection } from '../core/projection.js';
import type { Repository } from './repository.js';

/**
 * Read-only access to a projection: what queries and API routes use.
 *
 * @example
 * const page = await domain.view(BookCatalog).find({ orderBy: { title: 'asc' }, limit: 20 });
 */
export type View<T extends Projection> = Pick<
  Repository<T>,
  'get' | 'getOrNull' | 'find' | 'findOne' | 'count' | 'exists'
>;

/** A view over a repository that exposes only its reads. */
export function viewOf<T extends Projection>(repository: Repository<T>): View<T> {
  return Object.freeze({
    get: (id: string) => repository.get(id),
    getOrNull: (id: string) => repository.getOrNull(id),
    find: (query?: Parameters<Repository<T>['find']>[0]) => repository.find(query),
    findOne: (query?: Parameters<Repository<T>['findOne']>[0]) => repository.findOne(query),
    count: (where?: Parameters<Repository<T>['count']>[0]) => repository.count(where),
    exists: (where?: Parameters<Repository<T>['exists']>[0]) => repository.exists(where),
  });
}
