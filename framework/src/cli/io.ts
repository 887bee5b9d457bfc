import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';

/**
 * Everything a command reads from or writes to its surroundings, so tests drive commands without a
 * terminal, a real environment or a working directory of their own.
 */
export interface CliIo {
  /** Writes to stdout (results). */
  out(text: string): void;
  /** Writes to stderr (errors, questions). */
  err(text: string): void;
  /** Whether someone can answer a question: stdin is a terminal. */
  isTTY: boolean;
  /** Asks a question and resolves with the answer ('' when input ends first). */
  prompt(question: string): Promise<string>;
  /** The environment (`PROTEAN_DOMAIN` ...). */
  env: Readonly<Record<string, string | undefined>>;
  /** The folder relative paths start from. */
  cwd: string;
}

/**
 * A prompt reading one line from `input` after writing the question to `output`. The end of input
 * answers '' (which every yes/no question takes as no); Ctrl-C stops the process as usual.
 */
export function linePrompt(
  input: Readable,
  output: Writable,
): (question: string) => Promise<string> {
  return (question) =>
    new Promise((resolve) => {
      const lines = createInterface({ input, output, terminal: false });
      let answer = '';
      lines.once('close', () => resolve(answer));
      output.write(question);
      lines.once('line', (line) => {
        answer = line;
        lines.close();
      });
    });
}

/**
 * The real process: stdout, stderr, a prompt on the terminal, `process.env` and `process.cwd()`.
 */
export function processIo(): CliIo {
  return {
    out: (text) => void process.stdout.write(text),
    err: (text) => void process.stderr.write(text),
    isTTY: process.stdin.isTTY === true,
    prompt: linePrompt(process.stdin, process.stderr),
    env: process.env,
    cwd: process.cwd(),
  };
}

/** The real process, with whatever `io` overrides. */
export function completeIo(io: Partial<CliIo> = {}): CliIo {
  return { ...processIo(), ...io };
}
