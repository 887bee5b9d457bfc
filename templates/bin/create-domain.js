#!/usr/bin/env node
// Inside the protean-ts repository the scaffolder runs from its TypeScript source (no build
// needed); an installed package has no src/ and runs the compiled dist/.
import { existsSync } from 'node:fs';

const source = new URL('../src/cli.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import('../dist/cli.js');
}
