import pg from 'pg';
import { databaseIdentity } from '../../../src/adapters/postgres/pool.js';
import type { ContractTransaction } from '../../../src/testing/contracts/outbox.js';

/** `host:port/dbname` of a URL, as database sessions name their resource (no credentials). */
export const resourceOf = databaseIdentity;

/** A client of its own, connected; the caller ends it. */
export async function connect(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => undefined); // terminated on purpose by some tests
  await client.connect();
  return client;
}

/** A transaction on a client of its own (BEGIN done), linked as a database session would be. */
export async function pgTransaction(
  url: string,
): Promise<ContractTransaction & { client: pg.Client }> {
  const client = await connect(url);
  await client.query('BEGIN');
  const end = async (statement: string) => {
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };
  return {
    client,
    link: { technology: 'postgresql', resource: resourceOf(url), handle: client },
    commit: () => end('COMMIT'),
    rollback: () => end('ROLLBACK'),
  };
}
