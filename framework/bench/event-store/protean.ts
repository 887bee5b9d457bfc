/**
 * The protean-ts side of event-store: the PostgreSQL event store of `src/adapters/postgres`, used
 * through the `EventStore` port exactly as the unit of work and a subscription use it.
 */
import { createPostgresEventStore } from '../../src/adapters/postgres/event-store.js';
import type { EventStore } from '../../src/ports/event-store.js';
import { CATEGORY, WRITERS } from './workload.js';
import type { Side } from './workload.js';

/** An opened side and how to release it. */
export interface OpenSide {
  readonly side: Side;
  close(): Promise<void>;
}

/**
 * The protean-ts event store on `databaseUri`, with as many pooled connections as there are
 * writers (as the baseline).
 *
 * @example
 * const { side, close } = await openProteanSide(url);
 */
export async function openProteanSide(databaseUri: string): Promise<OpenSide> {
  const store: EventStore = await createPostgresEventStore({
    provider: 'postgresql',
    database_uri: databaseUri,
    pool_size: WRITERS,
  });
  await store.start();
  return {
    side: {
      async append({ stream, messages, expectedVersion }) {
        await store.append(stream, messages, { expectedVersion });
      },
      readCategory: (fromGlobalPosition, batchSize) =>
        store.readCategory(CATEGORY, { fromGlobalPosition, batchSize }),
    },
    close: () => store.close(),
  };
}
