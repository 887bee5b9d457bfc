/**
 * Interactive questions for whatever the command line left open. Prompts appear only when stdin
 * and stdout are terminals and `CI` is unset; otherwise flags and defaults decide, and nothing
 * ever waits for an answer that cannot come.
 */
import { basename, resolve } from 'node:path';
import * as clack from '@clack/prompts';
import { CreateDomainError } from './errors.js';
import { nameProblem, packageNameFromDir, resolveNames } from './naming.js';
import { inspectTarget } from './write.js';

/** Returned by a {@link Prompter} when the user pressed Ctrl-C (or Escape). */
export const CANCELLED: unique symbol = Symbol('cancelled');

/** Asks questions. The CLI uses @clack/prompts; tests pass a scripted one. */
export interface Prompter {
  text(question: {
    message: string;
    placeholder?: string;
    initialValue?: string;
    validate?: (value: string) => string | undefined;
  }): Promise<string | typeof CANCELLED>;
  confirm(question: {
    message: string;
    initialValue: boolean;
  }): Promise<boolean | typeof CANCELLED>;
  /** Opens the conversation, before the first question. */
  intro?(title: string): void;
}

/** The choices prompts may fill in; `undefined` means "not given on the command line". */
export interface OpenChoices {
  dir?: string | undefined;
  name?: string | undefined;
  example?: boolean | undefined;
  install?: boolean | undefined;
  git?: boolean | undefined;
  overwrite?: boolean | undefined;
}

/**
 * Whether to ask questions: both stdin and stdout are terminals and `CI` is unset (`CI=false` and
 * `CI=0` count as unset, as most CI-detection libraries do).
 *
 * @example
 * isInteractive({ stdinIsTTY: true, stdoutIsTTY: true, env: {} }); // true
 * isInteractive({ stdinIsTTY: true, stdoutIsTTY: true, env: { CI: 'true' } }); // false
 */
export function isInteractive(input: {
  stdinIsTTY: boolean;
  stdoutIsTTY: boolean;
  env: NodeJS.ProcessEnv;
}): boolean {
  const ci = input.env['CI'];
  const inCi = ci !== undefined && ci !== '' && ci !== 'false' && ci !== '0';
  return input.stdinIsTTY && input.stdoutIsTTY && !inCi;
}

/**
 * The @clack/prompts implementation of {@link Prompter}.
 *
 * @example
 * const answers = await askOpenChoices({}, clackPrompter(), process.cwd());
 */
export function clackPrompter(): Prompter {
  return {
    async text({ validate, ...question }) {
      const check = validate && ((value: string | undefined) => validate(value ?? ''));
      const answer = await clack.text({ ...question, validate: check });
      return clack.isCancel(answer) ? CANCELLED : answer;
    },
    async confirm(question) {
      const answer = await clack.confirm(question);
      return clack.isCancel(answer) ? CANCELLED : answer;
    },
    intro(title) {
      clack.intro(title);
    },
  };
}

/**
 * Asks for every choice still open, in order: folder, name, whether to write into a non-empty
 * folder, example, install, git. Throws `CANCELLED` when the user cancels (nothing has been written
 * by then) or declines to write into a non-empty folder.
 *
 * @example
 * const choices = await askOpenChoices({ install: false }, prompter, process.cwd());
 */
export async function askOpenChoices(
  given: OpenChoices,
  prompter: Prompter,
  cwd: string,
): Promise<OpenChoices & { dir: string }> {
  prompter.intro?.('create-domain: a new protean-ts project');
  const dir = given.dir ?? (await ask(prompter.text(dirQuestion())));
  const dirName = basename(resolve(cwd, dir));
  const name = given.name ?? (await ask(prompter.text(nameQuestion(dirName))));
  resolveNames({ name, dirName }); // a bad --name fails now, not after the remaining questions
  const overwrite = given.overwrite || (await askOverwrite(resolve(cwd, dir), prompter));
  const example = given.example ?? (await ask(prompter.confirm(EXAMPLE_QUESTION)));
  const install = given.install ?? (await ask(prompter.confirm(INSTALL_QUESTION)));
  const git = given.git ?? (await ask(prompter.confirm(GIT_QUESTION)));
  return { dir, name, overwrite, example, install, git };
}

const EXAMPLE_QUESTION = {
  message: 'Include the example Task aggregate with its tests?',
  initialValue: true,
};
const INSTALL_QUESTION = { message: 'Install dependencies now?', initialValue: true };
const GIT_QUESTION = {
  message: 'Create a git repository with a first commit?',
  initialValue: true,
};

function dirQuestion() {
  return {
    message: 'Where should the project be created?',
    placeholder: 'my-shop',
    validate: (value: string) =>
      value.trim() === '' ? 'Type a folder name, such as my-shop.' : undefined,
  };
}

function nameQuestion(dirName: string) {
  return {
    message: 'Package name (the domain name is derived from it)',
    initialValue: packageNameFromDir(dirName),
    validate: (value: string) => nameProblem(value),
  };
}

/** A non-empty target needs a yes; "no" cancels, because there is nothing else to do. */
async function askOverwrite(targetDir: string, prompter: Prompter): Promise<boolean> {
  const { entries } = await inspectTarget(targetDir);
  if (entries.length === 0) return false;
  const overwrite = await ask(
    prompter.confirm({
      message: `${targetDir} is not empty. Write into it, replacing files with the same names?`,
      initialValue: false,
    }),
  );
  if (!overwrite) throw cancelled();
  return true;
}

async function ask<T>(answer: Promise<T | typeof CANCELLED>): Promise<T> {
  const value = await answer;
  if (value === CANCELLED) throw cancelled();
  return value;
}

function cancelled(): CreateDomainError {
  return new CreateDomainError('CANCELLED', 'Cancelled');
}
