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
    async select<T extends string>(question: { message: string; options: { value: T }[] }) {
      asked.push(question.message);
      const answer = next();
      if (answer === CANCELLED) return CANCELLED;
      const option = question.options.find((candidate) => candidate.value === answer);
      if (!option) throw new Error(`${String(answer)} is not offered for ${question.message}`);
      return option.value;
    },
  };
}

describe('askOpenChoices()', () => {
  it('asks for everything the command line left open, in order', async () => {
    const prompter = scriptedPrompter(
      'shop',
      'my-shop',
      'memory',
      'memory',
      'inline',
      false,
      false,
      true,
    );

    const choices = await askOpenChoices({}, prompter, await tempDir());

    expect(choices).toEqual({
      dir: 'shop',
      name: 'my-shop',
      overwrite: false,
      database: 'memory',
      eventStore: 'memory',
      processing: 'sync',
      broker: 'inline',
      outbox: false,
      example: false,
      install: false,
      git: true,
    });
    expect(prompter.asked).toEqual([
      'Where should the project be created?',
      'Package name (the domain name is derived from it)',
      'Database',
      'Event store',
      'Broker',
      'Include the example Task aggregate with its tests?',
      'Install dependencies now?',
      'Create a git repository with a first commit?',
    ]);
  });

  it('offers only what runs with the answers before: async, then no pub/sub, then the outbox', async () => {
    const prompter = scriptedPrompter('postgresql', 'postgresql', 'async', 'redis', true);
    const given = { dir: 'shop', name: 'shop', example: true, install: false, git: false };

    const choices = await askOpenChoices(given, prompter, await tempDir());

    expect(choices).toMatchObject({
      database: 'postgresql',
      eventStore: 'postgresql',
      processing: 'async',
      broker: 'redis',
      outbox: true,
    });
    expect(prompter.asked).toEqual([
      'Database',
      'Event store',
      'Processing of commands and events',
      'Broker',
      expect.stringContaining('transactional outbox'),
    ]);
    await expect(
      askOpenChoices(
        { ...given, database: 'postgresql', eventStore: 'postgresql', processing: 'async' },
        scriptedPrompter('redis_pubsub'),
        await tempDir(),
      ),
    ).rejects.toThrow('redis_pubsub is not offered for Broker');
  });

  it('asks nothing that the command line answered', async () => {
    const prompter = scriptedPrompter();
    const given = {
      dir: 'shop',
      name: 'shop',
      example: true,
      install: false,
      git: false,
      database: 'memory',
      eventStore: 'memory',
      broker: 'inline',
      processing: 'sync',
      outbox: false,
    } as const;

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
      prompter: scriptedPrompter('shop', 'shop', 'memory', 'memory', 'inline', true),
    });

    expect(await runCli(['--no-install', '--no-git', '--framework', '0.1.0'], environment)).toBe(0);
    expect(await readdir(join(cwd, 'shop'))).toContain('package.json');
    expect(environment.stdoutText()).toContain('Writing 19 files to');
  });

  it('asks nothing with --yes, even on a terminal', async () => {
    const cwd = await tempDir();
    const environment = captureEnvironment({ cwd, tty: true, prompter: scriptedPrompter() });

    const args = ['shop', '--yes', '--no-install', '--no-git', '--framework', '0.1.0'];
    expect(await runCli(args, environment)).toBe(0);
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
