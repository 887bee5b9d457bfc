/**
 * Where create-domain reports what it is doing. Progress and colour appear only on a terminal;
 * warnings are always shown (plainly when the output is not a terminal).
 */

/** Receives progress and warnings while a project is created. */
export interface Reporter {
  /** A step is starting, such as "Installing dependencies with npm". */
  step(message: string): void;
  /** Something went wrong that does not stop the project from working. */
  warn(message: string): void;
}

/** A reporter that prints nothing: the default of the programmatic API. */
export const silentReporter: Reporter = Object.freeze({ step() {}, warn() {} });

/** A text sink and whether it is a terminal. */
export interface OutputStream {
  write(text: string): unknown;
  readonly isTTY?: boolean | undefined;
}

/** ANSI styles, applied only when `enabled`. */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  red(text: string): string;
  cyan(text: string): string;
}

/**
 * Styles for a stream: colour on a terminal, unless `NO_COLOR` is set; plain text otherwise.
 *
 * @example
 * const style = styleFor(process.stdout, process.env);
 * process.stdout.write(style.green('done') + '\n');
 */
export function styleFor(stream: OutputStream, env: NodeJS.ProcessEnv): Style {
  const enabled = stream.isTTY === true && !env['NO_COLOR'];
  const paint = (open: number, close: number) => (text: string) =>
    enabled ? `\u001b[${open}m${text}\u001b[${close}m` : text;
  return {
    enabled,
    bold: paint(1, 22),
    dim: paint(2, 22),
    green: paint(32, 39),
    yellow: paint(33, 39),
    red: paint(31, 39),
    cyan: paint(36, 39),
  };
}

/**
 * The CLI's reporter: steps go to `out` only when it is a terminal; warnings always go to `err`.
 *
 * @example
 * const reporter = createStreamReporter(process.stdout, process.stderr, process.env);
 */
export function createStreamReporter(
  out: OutputStream,
  err: OutputStream,
  env: NodeJS.ProcessEnv,
): Reporter {
  const outStyle = styleFor(out, env);
  const errStyle = styleFor(err, env);
  return {
    step(message) {
      if (out.isTTY) out.write(`${outStyle.cyan('◇')} ${message}\n`);
    },
    warn(message) {
      err.write(`${errStyle.yellow('warning:')} ${message}\n`);
    },
  };
}
