/** Temp directories with config files, a recording log, and one way to catch config errors. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import { ConfigurationError } from '../../src/core/errors.js';
import type { ConfigLog } from '../../src/config/index.js';

export interface TempTree {
  root: string;
  /** Writes `text` at `relativePath` under the root (folders created) and returns its absolute path. */
  write(relativePath: string, text: string): string;
  /** Creates a folder under the root and returns its absolute path. */
  dir(relativePath: string): string;
  remove(): void;
}

export function tempTree(): TempTree {
  const root = mkdtempSync(join(tmpdir(), 'protean-config-'));
  return {
    root,
    write(relativePath, text) {
      const file = join(root, relativePath);
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, text);
      return file;
    },
    dir(relativePath) {
      const path = join(root, relativePath);
      mkdirSync(path, { recursive: true });
      return path;
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

export interface RecordedLog extends ConfigLog {
  infos: string[];
  warnings: string[];
}

export function recordingLog(): RecordedLog {
  const infos: string[] = [];
  const warnings: string[] = [];
  return {
    infos,
    warnings,
    info: (message) => void infos.push(message),
    warn: (message) => void warnings.push(message),
  };
}

/** Runs `action`, asserts it threw a ConfigurationError with the stable code, and returns it. */
export function configErrorOf(action: () => unknown): ConfigurationError {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(ConfigurationError);
  const error = thrown as ConfigurationError;
  expect(error.code).toBe('CONFIGURATION_ERROR');
  return error;
}
