/**
 * Interactive questions for whatever the command line left open. Prompts appear only when stdin
 * and stdout are terminals and `CI` is unset; otherwise flags and defaults decide, and nothing
 * ever waits for an answer that cannot come.
 */
import { basename, resolve } from 'node:path';
import * as clack from '@clack/prompts';
import { CreateDomainError } from './errors.js';
import { nameProblem, packageNameFromDir, resolveNames } from './naming.js';
import { STACK_CHOICES, type StackChoices } from './stack.js';
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
  select<T extends string>(question: {
    message: string;
    options: { value: T; label?: string; hint?: string }[];
    initialValue: T;
  }): Promise<T | typeof CANCELLED>;
  /** Opens the conversation, before the first question. */
  intro?(title: string): void;
}

/** The choices prompts may fill in; `undefined` means "not given on the command line". */
export interface OpenChoices extends Partial<StackChoices> {
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
    async select<T extends string>(question: {
      message: string;
      options: { value: T; label?: string; hint?: string }[];
      initialValue: T;
    }) {
      // clack's option type is conditional on T; the shape given is always a valid one.
      const answer = await clack.select<T>(question as Parameters<typeof clack.select<T>>[0]);
      return clack.isCancel(answer) ? CANCELLED : answer;
    },
    intro(title) {
      clack.intro(title);
    },
  };
}

/**
 * Asks for every choice still open, in order: folder, name, whether to write into a non-empty
 * folder, the stack (database, event store, processing, broker, outbox: only the choices that
 * make a runnable combination with the answers so far), example, install, git. Throws `CANCELLED`
 * when the user cancels (nothing has been written by then) or declines to write into a non-empty
 * folder.
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
  const stack = await askStack(given, prompter);
  const example = given.example ?? (await ask(prompter.confirm(EXAMPLE_QUESTION)));
  const install = given.install ?? (await ask(prompter.confirm(INSTALL_QUESTION)));
  const git = given.git ?? (await ask(prompter.confirm(GIT_QUESTION)));
  return { dir, name, overwrite, ...stack, example, install, git };
}

const LABELS: Record<string, string> = {
  memory: 'memory (no service to run)',
  postgresql: 'PostgreSQL',
  inline: 'inline (in process, no service to run)',
  redis: 'Redis Streams',
  redis_pubsub: 'Redis pub/sub (at-most-once)',
  sync: 'sync (handlers run when the command is processed)',
  async: 'async (`protean server` runs the handlers)',
};

/** Asks each open stack choice, offering only what runs with the answers before it. */
async function askStack(given: Partial<StackChoices>, prompter: Prompter): Promise<StackChoices> {
  const choose = async <T extends string>(message: string, values: readonly T[], initial: T) =>
    values.length === 1
      ? values[0]!
      : ask(
          prompter.select<T>({
            message,
            options: values.map((value) => ({ value, label: LABELS[value] ?? value })),
            initialValue: values.includes(initial) ? initial : values[0]!,
          }),
        );
  const database = given.database ?? (await choose('Database', STACK_CHOICES.database, 'memory'));
  const eventStore =
    given.eventStore ?? (await choose('Event store', STACK_CHOICES.eventStore, database));
  const processing =
    given.processing ??
    (await choose(
      'Processing of commands and events',
      eventStore === 'postgresql' ? STACK_CHOICES.processing : (['sync'] as const),
      'sync',
    ));
  const brokers = STACK_CHOICES.broker.filter((b) => processing === 'sync' || b !== 'redis_pubsub');
  const broker = given.broker ?? (await choose('Broker', brokers, 'inline'));
  const outboxPossible = database === 'postgresql' && broker !== 'redis_pubsub';
  const outbox =
    given.outbox ??
    (outboxPossible &&
      (await ask(prompter.confirm({ ...OUTBOX_QUESTION, initialValue: processing === 'async' }))));
  return { database, eventStore, processing, broker, outbox };
}

const OUTBOX_QUESTION = {
  message:
    'Send events through the transactional outbox (written with the change, published by the server)?',
};

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
