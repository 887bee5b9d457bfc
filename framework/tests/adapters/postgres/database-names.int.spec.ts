import { describe, expect, it } from 'vitest';
import { createPostgresDatabase } from '../../../src/adapters/postgres/database.js';
import { field } from '../../../src/index.js';
import type { Fields } from '../../../src/index.js';
import type { KindSchema } from '../../../src/adapter.js';

const aggregate = (kind: string, fields: Fields): KindSchema => ({
  kind,
  element: 'aggregate',
  name: kind.split('.')[1] ?? kind,
  fields,
  identityField: undefined,
});

// Needs no server: names are checked when the kinds are declared, before any connection.
describe('names that cannot be SQL identifiers', () => {
  it('refuses them all at once when the kinds are declared', async () => {
    const db = await createPostgresDatabase({
      provider: 'postgresql',
      database_uri: 'postgresql://postgres@127.0.0.1:5432/unused',
    });
    const declare = () =>
      db.declare([
        aggregate('shop.bad name', { title: field.string() }),
        aggregate('shop.book', { 'ti"tle': field.string(), 'a b': field.integer() }),
        aggregate('shop.versioned', { version: field.integer() }),
      ]);
    expect(declare).toThrow(/cannot be stored in PostgreSQL/);
    expect(declare).toThrow(/"shop_bad name" is not a plain identifier/);
    expect(declare).toThrow(/book\.ti"tle \(column\): "ti\\"tle" is not a plain identifier/);
    expect(declare).toThrow(/book\.a b \(column\)/);
    expect(declare).toThrow(/versioned\.version: its column "version" is reserved/);
    await db.close();
  });
});
