/**
 * PostgreSQL connections killed under a running `protean server` (`pg_terminate_backend` on the
 * relay's and the consumers' connections): the pools replace them and processing goes on, with
 * nothing lost and nothing applied twice.
 */
import { afterEach, expect, it } from 'vitest';
import { describeIntegration, integrationServices } from '../../../src/testing/index.js';
import { Scene, deposit, drained } from './harness.js';

const scene = new Scene();
afterEach(() => scene.close());

/** Terminates every other connection to the database of `url`; resolves with how many. */
async function terminateConnections(url: string): Promise<number> {
  const { default: pg } = await import('pg');
  const database = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: integrationServices().postgres.url });
  await admin.connect();
  try {
    const { rows } = await admin.query<{ terminated: boolean }>(
      `SELECT pg_terminate_backend(pid) AS terminated FROM pg_stat_activity
        WHERE datname = $1 AND pid <> pg_backend_pid()`,
      [database],
    );
    return rows.filter((row) => row.terminated).length;
  } finally {
    await admin.end();
  }
}

describeIntegration('protean server when its PostgreSQL connections are terminated', () => {
  it('replaces them and goes on processing: nothing lost, nothing applied twice', async () => {
    const world = await scene.open();
    const server = scene.server();
    await server.started();
    const expected = await deposit(world, 30);
    expect(await drained(world, expected)).toEqual(expected);

    for (let round = 1; round <= 2; round += 1) {
      expect(await terminateConnections(world.env.DATABASE_URL!)).toBeGreaterThan(0);
      await deposit(world, 30, { first: round * 30, expected });
      expect(await drained(world, expected)).toEqual(expected);
    }
    server.signal('SIGTERM');
    expect((await server.exited).code).toBe(0);
  }, 60_000);
});
