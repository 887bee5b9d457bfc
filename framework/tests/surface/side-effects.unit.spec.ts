/**
 * Importing protean-ts declares things and does nothing else: no provider registered, no default
 * logger set, no global, listener or environment variable added. Proved in a fresh Node process
 * (tsx, from source), since this test's own process has long imported everything.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const framework = fileURLToPath(new URL('../..', import.meta.url));
const script = fileURLToPath(new URL('./import-entries.ts', import.meta.url));

/** Imports `entries` in a new process and returns what it reports. */
function importInFreshProcess(entries: string[]): { report: unknown; stderr: string } {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--conditions=source', script, ...entries],
    { cwd: framework, encoding: 'utf8', timeout: 60_000 },
  );
  if (run.status !== 0) throw new Error(`the child process failed (${run.status}):\n${run.stderr}`);
  return { report: JSON.parse(run.stdout) as unknown, stderr: run.stderr };
}

const NOTHING_CHANGED = {
  globalsAdded: [],
  listenersAdded: [],
  envChanged: false,
  registered: [],
  defaultLoggerReplaced: false,
};

describe('importing an entry point', { timeout: 60_000 }, () => {
  it('protean-ts registers no provider, sets no default logger, adds no global', () => {
    const { report, stderr } = importInFreshProcess(['protean-ts']);

    expect(report).toEqual(NOTHING_CHANGED);
    expect(stderr).toBe('');
  });

  // protean-ts/testing is left out: it loads vitest, which expects to run inside its runner.
  it('no other entry point changes anything either', () => {
    const entries = ['adapter', 'postgres', 'redis', 'server', 'observatory'].map(
      (name) => `protean-ts/${name}`,
    );

    const { report, stderr } = importInFreshProcess(['protean-ts', ...entries]);

    expect(report).toEqual(NOTHING_CHANGED);
    expect(stderr).toBe('');
  });
});
