/**
 * `${VAR}` and `${VAR|default}` in every string of a configuration tree, lists included.
 */
import { issueAt } from './issues.js';
import type { ConfigIssue } from './issues.js';
import { formatPath, isTable } from './tree.js';
import type { KeyPath, Table } from './tree.js';

/** The environment to read variables from; `process.env` by default in loadConfig. */
export type Env = Readonly<Record<string, string | undefined>>;

export interface Interpolated {
  /** A copy of the tree with every reference replaced. */
  value: Table;
  /** Variables that were required but not set, one issue each. */
  issues: ConfigIssue[];
  /** Formatted paths of strings that held a reference (they may become numbers or booleans). */
  interpolated: Set<string>;
  /** Formatted paths whose interpolation failed (their value is left as written). */
  failed: Set<string>;
}

/** `${NAME}` or `${NAME|fallback}`; the fallback runs to the first `}`. */
const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?:\|([^}]*))?\}/g;

/**
 * Replaces the references in every string of `tree`. A variable that is unset or empty counts as
 * missing: `${VAR|default}` then uses `default`, and `${VAR}` is reported as an issue naming the
 * variable, the file and the key (`display` maps a key path to the one shown in messages).
 */
export function interpolate(
  tree: Table,
  env: Env,
  file: string,
  display: (path: KeyPath) => KeyPath = (path) => path,
): Interpolated {
  const result: Interpolated = {
    value: {},
    issues: [],
    interpolated: new Set(),
    failed: new Set(),
  };
  result.value = visit(tree, [], { env, file, display, result }) as Table;
  return result;
}

interface Context {
  env: Env;
  file: string;
  display: (path: KeyPath) => KeyPath;
  result: Interpolated;
}

function visit(value: unknown, path: KeyPath, context: Context): unknown {
  if (typeof value === 'string') return replaceReferences(value, path, context);
  if (Array.isArray(value))
    return value.map((item, index) => visit(item, [...path, index], context));
  if (!isTable(value)) return value;
  const copy: Table = {};
  for (const [key, item] of Object.entries(value)) copy[key] = visit(item, [...path, key], context);
  return copy;
}

function replaceReferences(text: string, path: KeyPath, context: Context): string {
  const missing: string[] = [];
  let found = false;
  const replaced = text.replace(
    REFERENCE,
    (reference, name: string, fallback: string | undefined) => {
      found = true;
      const value = context.env[name];
      if (value !== undefined && value !== '') return value;
      if (fallback !== undefined) return fallback;
      missing.push(name);
      return reference;
    },
  );
  if (!found) return text;
  const formatted = formatPath(path);
  context.result.interpolated.add(formatted);
  if (missing.length === 0) return replaced;
  context.result.failed.add(formatted);
  for (const name of missing) {
    context.result.issues.push(missingIssue(name, context.display(path), context.file));
  }
  return text;
}

function missingIssue(name: string, path: KeyPath, file: string): ConfigIssue {
  return issueAt(
    file,
    path,
    `environment variable ${name} is not set; set it, or give a default with \${${name}|<default>}`,
  );
}
