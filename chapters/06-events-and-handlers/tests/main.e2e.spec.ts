import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const chapter = fileURLToPath(new URL('..', import.meta.url));

it('runs the walkthrough and prints what the docs page shows', async () => {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', 'src/main.ts'],
    { cwd: chapter },
  );
  await expect(stdout).toMatchFileSnapshot('__snapshots__/main.output.txt');
});
