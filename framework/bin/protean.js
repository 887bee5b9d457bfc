#!/usr/bin/env node
// Inside the protean-ts repository the CLI runs from its TypeScript source (no build needed);
// an installed package has no src/ and runs the compiled dist/. Either way a user's TypeScript
// domain loads without a build: domain discovery (src/cli/discovery.ts) registers tsx before it
// imports a .ts file, unless this script already did (the shared flag below).
import { existsSync } from 'node:fs';

const source = new URL('../src/cli/main.ts', import.meta.url);
if (existsSync(source)) {
  const [esm, cjs] = await Promise.all([import('tsx/esm/api'), import('tsx/cjs/api')]);
  esm.register();
  cjs.register();
  globalThis[Symbol.for('protean-ts.tsx-registered')] = true;
  await import(source.href);
} else {
  await import('../dist/cli/main.js');
}
