/**
 * Rewrites the generated blocks of docs/reference/cli.md from the `protean` command declarations
 * (framework/src/cli/commands/). With `--check`, changes nothing and exits 1 when the page is out
 * of date. Run from the repository:
 *
 *   npx tsx --conditions=source framework/scripts/cli-reference.ts [--check]
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { updateReference } from '../src/cli/reference.js';

const page = fileURLToPath(new URL('../../docs/reference/cli.md', import.meta.url));
const text = readFileSync(page, 'utf8');
const updated = updateReference(text);
if (updated === text) {
  console.log(`${page} is up to date`);
} else if (process.argv.includes('--check')) {
  console.error(`${page} is out of date: run framework/scripts/cli-reference.ts to update it`);
  process.exitCode = 1;
} else {
  writeFileSync(page, updated);
  console.log(`updated ${page}`);
}
