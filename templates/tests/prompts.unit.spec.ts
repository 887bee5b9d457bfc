import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/program.js';
import { askOpenChoices, CANCELLED, type Prompter } from '../src/prompts.js';
import { captureEnvironment, useTempDirs } from './helpers.js';

const tempDir = useTempDirs();

type Answer = string | boolean | typeof CANCELLED;

/** Answers questions from a script, in order, and records what was asked. */
function scriptedPrompter(...answers: Answer[]): Prompter & { asked: string[] } {
  const asked: string[] = [];
  const next = () => {
    if (answers.length === 0) throw new Error(`unexpected question: ${asked.at(-1)}`);
    return answers.shift()!;
  };
  return {
    asked,
    async text(question) {
      asked.push(question.message);
      const answer = next();
      if (typeof answer === 'boolean') throw new Error(`expected text for ${question.message}`);
      return answer;
    },
    async confirm(question) {
      asked.push(question.message);
      const answer = next();
      if (typeof answer === 'string') throw new Error(`expected yes/no for ${question.message}`);
      return answer;
    },
  };
}

describe('askOpenChoices()', () => {
  it('asks for everything the command line left open, in order', async () => {
    const prompter = scriptedPrompter('shop', 'my-shop', false, false, true);

    const choices = await askOpenChoices({}, prompter, await tempDir());

    expect(choices).toEqual({
      dir: 'shop',
      name: 'my-shop',
      overwrite: false,
      example: false,
      install: false,
      git: true,
    });
    expect(prompter.asked).toEqual([
      'Where should the project be created?',
      'Package name (the domain name is derived from it)',
      'Include the example Task aggregate with its tests?',
      'Install dependencies now?',
      'Create a git repository with a first commit?',
    ]);
  });

  it('asks nothing that the command line answered', async () => {
    const prompter = scriptedPrompter();
    const given = { dir: 'shop', name: 'shop', example: true, install: false, git: false };

    expect(await askOpenChoices(given, prompter, await tempDir())).toMatchObject(given);
    expect(prompter.asked).toEqual([]);
  });

  it('asks before writing into a non-empty folder, and cancels on no', async () => {
    const cwd = await tempDir();
    await writeFile(join(cwd, 'mine.txt'), '');
    const prompter = scriptedPrompter(false);

    await expect(askOpenChoices({ dir: '.', name: 'x' }, prompter, cwd)).rejects.toMatchObject({
      code: 'CANCELLED',
      exitCode: 1,
    });
    expect(prompter.asked[0]).toMatch(/is not empty\. Write into it, replacing files/);
  });

  it('refuses a bad --name before asking anything else', async () => {
    const prompter = scriptedPrompter();

    await expect(
      askOpenChoices({ dir: 'shop', name: 'Bad Name' }, prompter, await tempDir()),
    ).rejects.toMatchObject({ code: 'INVALID_NAME' });
    expect(prompter.asked).toEqual([]);
  });

  it('turns a cancelled prompt into CANCELLED', async () => {
    await expect(
      askOpenChoices({}, scriptedPrompter(CANCELLED), await tempDir()),
    ).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});

describe('the interactive command', () => {
  it('prints "Cancelled", exits 1 and writes nothing when a prompt is cancelled', async () => {
    const cwd = await tempDir();
    const environment = captureEnvironment({
      cwd,
      tty: true,
      prompter: scriptedPrompter('shop', 'shop', CANCELLED),
    });

    expect(await runCli([], environment)).toBe(1);
    expect(environment.stderrText()).toBe('Cancelled\n');
    expect(await readdir(cwd)).toEqual([]);
  });

  it('creates the project from the answers', async () => {
    const cwd = await tempDir();
    const environment = captureEnvironment({
      cwd,
      tty: true,
      prompter: scriptedPrompter('shop', 'shop', true),
    });

    expect(await runCli(['--no-install', '--no-git'], environment)).toBe(0);
    expect(await readdir(join(cwd, 'shop'))).toContain('package.json');
    expect(environment.stdoutText()).toContain('Writing 11 files to');
  });

  it('asks nothing with --yes, even on a terminal', async () => {
    const cwd = await tempDir();
    const environment = captureEnvironment({ cwd, tty: true, prompter: scriptedPrompter() });

    expect(await runCli(['shop', '--yes', '--no-install', '--no-git'], environment)).toBe(0);
  });

  it('asks nothing when CI is set, and then needs [dir]', async () => {
    const environment = captureEnvironment({
      cwd: await tempDir(),
      tty: true,
      env: { CI: 'true' },
      prompter: scriptedPrompter(),
    });

    expect(await runCli([], environment)).toBe(2);
    expect(environment.stderrText()).toContain('No target folder was given');
  });
});
