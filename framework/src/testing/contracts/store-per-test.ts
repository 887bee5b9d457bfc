/** The lifecycle the store contract suites share. Loads vitest (an optional peer dependency). */
import { afterEach, beforeEach, expect } from 'vitest';

/** What a store offers a contract suite to open, prepare and close it. */
export interface ContractStore {
  start(): Promise<void>;
  close(): Promise<void>;
  setup?(): Promise<void>;
  truncate?(): Promise<void>;
}

/**
 * Makes a store before each case (started, its schema set up and emptied) and closes it after;
 * returns how a case reaches the current one. Call it inside a `describe`.
 */
export function storePerTest<S extends ContractStore>(
  make: () => Promise<S>,
  what: string,
): () => S {
  let store: S | undefined;
  beforeEach(async () => {
    store = await make();
    await store.start();
    await store.setup?.();
    await store.truncate?.();
  });
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
  return () => store ?? expect.fail(`no ${what}: beforeEach did not run`);
}
