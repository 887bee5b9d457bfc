/**
 * A log file rotated by size, the way Python's `RotatingFileHandler` does it: `name` is written
 * until the next line would pass `maxBytes`, then `name.1` becomes `name.2` (and so on up to
 * `name.<backupCount>`, the oldest, which is dropped) and `name` becomes `name.1`.
 *
 * Writes are synchronous: a line is on disk (in the OS cache) when `write()` returns, so nothing
 * is lost when the process exits or crashes, and rotation never races a pending write.
 */
import {
  closeSync,
  existsSync,
  fstatSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { resolve } from 'node:path';
import { ProteanError } from '../core/errors.js';

/** The file `--log-dir` writes to. */
export const LOG_FILE_NAME = 'protean-server.log';

/**
 * The log directory cannot be created or written to. Thrown when the logger is created, so the
 * CLI can report it and exit 1 before anything starts.
 *
 * @example
 * try { createLogger({ logDir: '/var/log/shop' }) } catch (error) {
 *   if (error instanceof LogDirectoryError) { console.error(error.message); process.exit(1) }
 * }
 */
export class LogDirectoryError extends ProteanError {
  /** The directory as given. */
  readonly directory: string;

  constructor(directory: string, cause: unknown) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    super(
      'LOG_DIR_UNWRITABLE',
      `Cannot write log files to "${directory}" (${reason}). Create the directory and give ` +
        'this user write access, point --log-dir / PROTEAN_LOG_DIR / [logging] log_dir at a ' +
        'writable directory, or leave it empty to log to the console only.',
      { cause },
    );
    this.directory = directory;
  }
}

/** How a {@link RotatingFileStream} is set up. */
export interface RotatingFileOptions {
  /** Created (with its parents) when missing. */
  dir: string;
  /** @defaultValue {@link LOG_FILE_NAME} */
  fileName?: string;
  /** Size at which the file is rotated; a single longer line still goes in whole. */
  maxBytes: number;
  /** Rotated files kept (`name.1` newest ... `name.<n>` oldest); 0 truncates instead. */
  backupCount: number;
  /** Told when a write or rotation fails after creation; logging goes on. @defaultValue one line to stderr */
  onError?: (error: Error) => void;
}

/** A pino destination writing JSON lines to a size-rotated file. */
export interface RotatingFileStream {
  /** Absolute path of the file being written. */
  readonly path: string;
  /** Appends one line (rotating first when it would not fit); never throws. */
  write(line: string): boolean;
  /** Writes are synchronous, so this only calls back; pino's `flush()` calls it. */
  flush(callback?: (error?: Error) => void): void;
  /** Closes the file; later writes are dropped. */
  close(): void;
}

/**
 * Opens (or creates) `<dir>/<fileName>` for appending; throws a {@link LogDirectoryError} when
 * that is impossible.
 */
export function createRotatingFileStream(options: RotatingFileOptions): RotatingFileStream {
  return new RotatingFile(options);
}

class RotatingFile implements RotatingFileStream {
  readonly path: string;
  readonly #maxBytes: number;
  readonly #backupCount: number;
  readonly #onError: (error: Error) => void;
  #fd: number | undefined;
  #size = 0;
  #failing = false;
  #closed = false;

  constructor(options: RotatingFileOptions) {
    this.path = resolve(options.dir, options.fileName ?? LOG_FILE_NAME);
    this.#maxBytes = options.maxBytes;
    this.#backupCount = options.backupCount;
    this.#onError = options.onError ?? reportToStderr;
    try {
      mkdirSync(options.dir, { recursive: true });
      this.#open('a');
    } catch (error) {
      throw new LogDirectoryError(options.dir, error);
    }
  }

  write(line: string): boolean {
    if (this.#closed) return false;
    const bytes = Buffer.from(line);
    const failures: unknown[] = [];
    if (this.#size > 0 && this.#size + bytes.length > this.#maxBytes) {
      attempt(() => this.#rotate(), failures);
    }
    attempt(() => this.#writeAll(bytes), failures);
    // Report a failure once, not once per line, until writing works again.
    if (failures.length === 0) this.#failing = false;
    else if (!this.#failing) {
      this.#failing = true;
      this.#onError(failures[0] instanceof Error ? failures[0] : new Error(String(failures[0])));
    }
    return true;
  }

  flush(callback?: (error?: Error) => void): void {
    callback?.();
  }

  close(): void {
    this.#closed = true;
    this.#closeFile();
  }

  #open(flags: 'a' | 'w'): number {
    const fd = openSync(this.path, flags);
    this.#fd = fd;
    this.#size = fstatSync(fd).size;
    return fd;
  }

  #closeFile(): void {
    if (this.#fd === undefined) return;
    closeSync(this.#fd);
    this.#fd = undefined;
  }

  #writeAll(bytes: Buffer): void {
    const fd = this.#fd ?? this.#open('a');
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
    this.#size += bytes.length;
  }

  /** Shifts `name.1..n-1` up by one (dropping `name.n`) and moves `name` to `name.1`. */
  #rotate(): void {
    this.#closeFile();
    if (this.#backupCount === 0) {
      this.#open('w');
      return;
    }
    rmSync(this.#backup(this.#backupCount), { force: true });
    for (let index = this.#backupCount - 1; index >= 1; index -= 1) {
      if (existsSync(this.#backup(index))) renameSync(this.#backup(index), this.#backup(index + 1));
    }
    if (existsSync(this.path)) renameSync(this.path, this.#backup(1));
    this.#open('a');
  }

  #backup(index: number): string {
    return `${this.path}.${index}`;
  }
}

function attempt(step: () => void, failures: unknown[]): void {
  try {
    step();
  } catch (error) {
    failures.push(error);
  }
}

function reportToStderr(error: Error): void {
  process.stderr.write(`[protean-ts] error: cannot write the log file: ${error.message}\n`);
}
