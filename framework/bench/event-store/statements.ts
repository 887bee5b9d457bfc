/**
 * SQL statements per event, counted on the client: every `query()` a `pg` client sends (BEGIN and
 * COMMIT included). Not `pg_stat_statements` deltas: that extension needs
 * `shared_preload_libraries` and a server restart, which a benchmark must not require, and the
 * client-side count is the same number for statements sent one at a time.
 */
import pg from 'pg';

type Query = (...args: unknown[]) => unknown;

/**
 * Runs `work` while counting the statements every `pg` client of this process sends (both sides
 * load the same `pg`, so the protean-ts store's pool is counted too). Untimed runs only.
 *
 * @example
 * const { statements } = await countStatements(() => appendAll(side, writers));
 */
export async function countStatements<T>(
  work: () => Promise<T>,
): Promise<{ result: T; statements: number }> {
  const prototype = pg.Client.prototype as unknown as { query: Query };
  const original = prototype.query;
  let statements = 0;
  prototype.query = function counted(this: unknown, ...args: unknown[]) {
    statements += 1;
    return original.apply(this, args);
  };
  try {
    const result = await work();
    return { result, statements };
  } finally {
    prototype.query = original;
  }
}
