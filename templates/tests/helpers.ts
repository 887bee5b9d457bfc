/** Shared test helpers: temporary folders that clean up after themselves, and output capture. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'vitest';
import type { CliEnvironment } from '../src/program.js';
import type { Prompter } from '../src/prompts.js';

/** Makes a fresh temporary folder per call; every folder is removed after the test. */
export function useTempDirs(): () => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), 'create-domain-test-'));
    made.push(dir);
    return dir;
  };
}

/** A CLI environment that records what is printed. Not a terminal unless `tty` says so. */
export function captureEnvironment(options: {
  cwd: string;
  tty?: boolean;
  env?: NodeJS.ProcessEnv;
  prompter?: Prompter;
}): CliEnvironment & { stdoutText(): string; stderrText(): string } {
  let out = '';
  let err = '';
  const tty = options.tty ?? false;
  return {
    stdout: { isTTY: tty, write: (text: string) => (out += text) },
    stderr: { isTTY: tty, write: (text: string) => (err += text) },
    stdinIsTTY: tty,
    env: options.env ?? {},
    cwd: options.cwd,
    ...(options.prompter ? { prompter: options.prompter } : {}),
    stdoutText: () => out,
    stderrText: () => err,
  };
}
