import { spawnSync } from 'node:child_process';
import { relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runnableCommands, tutorialPages } from '../scripts/commands.js';

const docsRoot = resolve(fileURLToPath(new URL('..', import.meta.url)));
const repoRoot = resolve(docsRoot, '..');

/** The environment a reader's shell has: none of the variables this vitest run set. */
function readerEnvironment(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) =>
        !name.startsWith('VITEST') && !['NODE_ENV', 'TEST', 'NODE_OPTIONS'].includes(name),
    ),
  );
}

const commands = runnableCommands(tutorialPages(`${docsRoot}/tutorial`), (page) =>
  relative(docsRoot, page),
);

describe('every runnable command on the tutorial pages, run from the repository root', () => {
  it.each(commands.map((entry) => [entry.command, entry] as const))(
    '%s',
    (_command, { command, exitCode, shownAt }) => {
      const run = spawnSync(command, {
        cwd: repoRoot,
        shell: true,
        encoding: 'utf8',
        env: readerEnvironment(),
        timeout: 240_000,
      });
      const output = `${run.stdout}${run.stderr}`.trim().split('\n').slice(-30).join('\n');
      expect(
        run.status,
        `\`${command}\` (shown at ${shownAt.join(', ')}) should exit ${exitCode}; its output ends:\n${output}`,
      ).toBe(exitCode);
    },
    300_000,
  );
});
