/** The optional git step: `git init` and a first commit, best effort. */
import type { Reporter } from './reporter.js';
import { runCommand, tail } from './run.js';

/** What the git step did. */
export type GitOutcome = 'committed' | 'initialized' | 'inside-repository' | 'git-missing';

/** The message of the first commit. */
export const FIRST_COMMIT_MESSAGE = 'Initial commit from create-domain';

/**
 * Makes the new project a git repository with one commit. A missing git, a folder that is already
 * inside a repository, or a failed commit (say, no `user.email` configured) is a warning, not an
 * error: the project works without any of it.
 *
 * @example
 * await initGitRepository('/tmp/my-shop', reporter); // 'committed'
 */
export async function initGitRepository(dir: string, reporter: Reporter): Promise<GitOutcome> {
  const inside = await runCommand('git', ['rev-parse', '--is-inside-work-tree'], dir);
  if (inside.startError) {
    reporter.warn(
      'git was not found, so no repository was created; run `git init` yourself later.',
    );
    return 'git-missing';
  }
  if (inside.code === 0 && inside.output.trim() === 'true') {
    reporter.warn(
      `${dir} is already inside a git repository; no new repository or commit was made.`,
    );
    return 'inside-repository';
  }
  const init = await runCommand('git', ['init', '--quiet'], dir);
  if (init.code !== 0) {
    reporter.warn(`\`git init\` failed, so no repository was created:\n${tail(init.output, 5)}`);
    return 'git-missing';
  }
  return (await commitAll(dir, reporter)) ? 'committed' : 'initialized';
}

async function commitAll(dir: string, reporter: Reporter): Promise<boolean> {
  const add = await runCommand('git', ['add', '--all'], dir);
  const commit =
    add.code === 0
      ? await runCommand('git', ['commit', '--quiet', '--message', FIRST_COMMIT_MESSAGE], dir)
      : add;
  if (commit.code === 0) return true;
  reporter.warn(
    `The repository was created but the first commit failed:\n${tail(commit.output, 5)}\n` +
      'Commit yourself with `git add --all && git commit`.',
  );
  return false;
}
