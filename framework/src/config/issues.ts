import { ConfigurationError } from '../core/errors.js';
import { formatPath } from './tree.js';
import type { KeyPath } from './tree.js';

/** One problem found in a configuration: where, and what is wrong with what fix. */
export interface ConfigIssue {
  /** The file (or `config` for an explicit object) the problem is in. */
  file: string;
  /** The key path, e.g. `brokers.default.provider`. */
  path: string;
  /** What is wrong and what to do, e.g. `unknown key; did you mean "event_processing"?`. */
  message: string;
}

/** Builds an issue from a key path. */
export function issueAt(file: string, path: KeyPath, message: string): ConfigIssue {
  return { file, path: formatPath(path), message };
}

/** `domain.toml: brokers.default.provider: unknown provider "x"; expected one of ...` */
export function formatIssue(issue: ConfigIssue): string {
  return issue.path === ''
    ? `${issue.file}: ${issue.message}`
    : `${issue.file}: ${issue.path}: ${issue.message}`;
}

/**
 * Throws one {@link ConfigurationError} listing every distinct issue on its own line; does
 * nothing when there are none.
 */
export function throwIfIssues(issues: readonly ConfigIssue[]): void {
  const lines = [...new Set(issues.map(formatIssue))];
  if (lines.length === 0) return;
  if (lines.length === 1) throw new ConfigurationError(lines[0] as string);
  throw new ConfigurationError(
    `${lines.length} configuration problems:\n${lines.map((line) => `  ${line}`).join('\n')}`,
  );
}
