import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';
import { starterCatalogue } from '../src/catalogue.js';

it('starts with `npm start` and reports every stored book', async () => {
  const app = fileURLToPath(new URL('..', import.meta.url));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', 'src/main.ts'],
    { cwd: app },
  );
  for (const { title } of starterCatalogue) expect(stdout).toContain(`stored "${title}"`);
  expect(stdout).toContain(`${starterCatalogue.length} books on the shelves`);
});
