/**
 * Checks a configuration tree against CONFIG_SCHEMA and returns every problem found, so that one
 * error can list them all. Nothing here throws; load.ts turns the issues into one error.
 */
import { issueAt } from './issues.js';
import type { ConfigIssue } from './issues.js';
import { BUILTIN_PROFILE_NAMES, CONFIG_SCHEMA, TOP_LEVEL_KEYS } from './schema.js';
import type { Rule } from './schema.js';
import { closestKey } from './suggest.js';
import { describeValue, formatPath, isTable } from './tree.js';
import type { KeyPath, Table } from './tree.js';

/** What to check, and how to name places. */
export interface CheckOptions {
  /** Names the origin in messages: the file path or `config`. */
  file: string;
  /** Report keys the schema does not know (with a suggestion). @defaultValue `true` */
  keys?: boolean;
  /** Check types, choices and ranges. @defaultValue `true` */
  values?: boolean;
  /** Report missing required keys (a named database or broker without `provider`). @defaultValue `false` */
  required?: boolean;
  /** Leave strings holding `${...}` unchecked: they are not interpolated yet. @defaultValue `false` */
  skipReferences?: boolean;
  /** Paths (formatted) whose string came from `${...}`: `"8080"` there becomes `8080`, `"true"` `true`. */
  coerce?: ReadonlySet<string>;
  /** Paths (formatted) not to check at all, e.g. where interpolation already failed. */
  skip?: ReadonlySet<string>;
  /** Maps a path of the checked tree to the path shown, e.g. to name the overlay it came from. */
  display?: (path: KeyPath) => KeyPath;
}

interface Walk {
  options: CheckOptions;
  issues: ConfigIssue[];
}

/**
 * Every problem of `tree` measured against the domain.toml schema. Converted values (see
 * `coerce`) are written back into `tree`.
 *
 * @example
 * checkConfig({ event_procesing: 'sync' }, { file: 'domain.toml' });
 * // [{ file: 'domain.toml', path: 'event_procesing', message: 'unknown key; did you mean "event_processing"?' }]
 */
export function checkConfig(
  tree: unknown,
  options: CheckOptions,
  rule: Rule = CONFIG_SCHEMA,
): ConfigIssue[] {
  const walk: Walk = { options, issues: [] };
  visit(tree, rule, [], walk);
  return walk.issues;
}

function report(walk: Walk, path: KeyPath, message: string): void {
  const shown = walk.options.display ? walk.options.display(path) : path;
  walk.issues.push(issueAt(walk.options.file, shown, message));
}

function visit(value: unknown, rule: Rule, path: KeyPath, walk: Walk): unknown {
  switch (rule.kind) {
    case 'free':
      return value;
    case 'table':
      return visitTable(value, rule, path, walk);
    case 'record':
      return visitRecord(value, rule.of, path, walk);
    default:
      return visitScalar(value, rule, path, walk);
  }
}

function isTableOrReport(value: unknown, path: KeyPath, walk: Walk): value is Table {
  if (isTable(value)) return true;
  if (walk.options.values !== false) {
    report(walk, path, `must be a table, received ${describeValue(value)}`);
  }
  return false;
}

function visitTable(
  value: unknown,
  rule: Extract<Rule, { kind: 'table' }>,
  path: KeyPath,
  walk: Walk,
): unknown {
  if (!isTableOrReport(value, path, walk)) return value;
  const known = Object.keys(rule.keys);
  for (const [key, item] of Object.entries(value)) {
    const child = rule.keys[key];
    if (child) {
      const checked = visit(item, child, [...path, key], walk);
      if (checked !== item) value[key] = checked;
    } else if (walk.options.keys !== false) {
      checkUnknownKey(key, known, rule.open === true, [...path, key], walk);
    }
  }
  if (walk.options.required) {
    for (const key of rule.required ?? []) {
      if (value[key] === undefined) report(walk, [...path, key], missingMessage(rule.keys[key]));
    }
  }
  return value;
}

/**
 * Closed tables reject unknown keys. Open tables (a provider's settings) take any key, except
 * one that is one or two letters away from a known key: `provder` would otherwise silently leave
 * the provider at its default.
 */
function checkUnknownKey(
  key: string,
  known: readonly string[],
  open: boolean,
  path: KeyPath,
  walk: Walk,
): void {
  if (!open) {
    report(walk, path, unknownKeyMessage(key, known));
    return;
  }
  const typo = closestKey(key, known, key.length <= 4 ? 1 : 2);
  if (typo) report(walk, path, `unknown key; did you mean "${typo}"?`);
}

export function unknownKeyMessage(key: string, known: readonly string[]): string {
  const suggestion = closestKey(key, known);
  return suggestion
    ? `unknown key; did you mean "${suggestion}"?`
    : `unknown key; expected one of ${known.join(', ')}`;
}

function missingMessage(rule: Rule | undefined): string {
  return rule?.kind === 'choice'
    ? `missing; expected one of ${listChoices(rule.values)}`
    : 'missing';
}

function visitRecord(value: unknown, of: Rule, path: KeyPath, walk: Walk): unknown {
  if (!isTableOrReport(value, path, walk)) return value;
  for (const [name, item] of Object.entries(value)) {
    const checked = visit(item, of, [...path, name], walk);
    if (checked !== item) value[name] = checked;
  }
  return value;
}

function visitScalar(value: unknown, rule: Rule, path: KeyPath, walk: Walk): unknown {
  const { options } = walk;
  if (options.values === false) return value;
  const formatted = formatPath(path);
  if (options.skip?.has(formatted)) return value;
  if (options.skipReferences && typeof value === 'string' && value.includes('${')) return value;
  const converted = options.coerce?.has(formatted) ? coerce(value, rule) : value;
  const problem = scalarProblem(converted, rule);
  if (problem) report(walk, path, problem);
  return converted;
}

/** Environment variables are strings; a key that wants a number or boolean gets one. */
function coerce(value: unknown, rule: Rule): unknown {
  if (typeof value !== 'string') return value;
  if (rule.kind === 'number' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  if (rule.kind === 'boolean' && (value === 'true' || value === 'false')) return value === 'true';
  return value;
}

function scalarProblem(value: unknown, rule: Rule): string | undefined {
  const received = `received ${describeValue(value)}`;
  switch (rule.kind) {
    case 'string':
      return typeof value === 'string' ? undefined : `must be a string, ${received}`;
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `must be true or false, ${received}`;
    case 'number':
      return numberFits(value, rule)
        ? undefined
        : `must be ${describeNumberRule(rule)}, ${received}`;
    case 'choice':
      return typeof value === 'string' && rule.values.includes(value)
        ? undefined
        : `${rule.noun === 'value' ? 'invalid value' : `unknown ${rule.noun}`} ${describeValue(value)}; ` +
            `expected one of ${listChoices(rule.values)}`;
    default:
      return undefined;
  }
}

type NumberRule = Extract<Rule, { kind: 'number' }>;

function numberFits(value: unknown, rule: NumberRule): boolean {
  if (typeof value !== 'number' || !Number.isFinite(value)) return false;
  if (rule.integer && !Number.isInteger(value)) return false;
  if (rule.positive ? value <= rule.min : value < rule.min) return false;
  return rule.max === undefined || value <= rule.max;
}

/** `a positive integer`, `a number >= 0`, `an integer between 0 and 65535`. */
export function describeNumberRule(rule: NumberRule): string {
  const noun = rule.integer ? 'integer' : 'number';
  const article = rule.integer ? 'an' : 'a';
  if (rule.max !== undefined) return `${article} ${noun} between ${rule.min} and ${rule.max}`;
  if (rule.positive && rule.min === 0) return `a positive ${noun}`;
  return `${article} ${noun} ${rule.positive ? '>' : '>='} ${rule.min}`;
}

/** `inline, redis, redis_pubsub`; the empty choice shows as `""`. */
export function listChoices(values: readonly string[]): string {
  return values.map((value) => (value === '' ? '""' : value)).join(', ');
}

/**
 * Profile names used in `server.default_subscription_profile` and `server.subscriptions.*.profile`
 * must be built-in or defined under `[server.profiles]`, and a custom profile may not take a
 * built-in name. Run on the merged configuration, where every custom profile is known.
 */
export function checkProfileReferences(config: Table, options: CheckOptions): ConfigIssue[] {
  const walk: Walk = { options, issues: [] };
  const server = isTable(config['server']) ? config['server'] : {};
  const builtin: readonly string[] = BUILTIN_PROFILE_NAMES;
  const custom = isTable(server['profiles']) ? Object.keys(server['profiles']) : [];
  for (const name of custom.filter((name) => builtin.includes(name))) {
    report(
      walk,
      ['server', 'profiles', name],
      `"${name}" is a built-in profile; give the custom profile another name and set inherits = "${name}"`,
    );
  }
  const known = [...builtin, ...custom.filter((name) => !builtin.includes(name))];
  const check = (value: unknown, path: KeyPath): void => {
    if (typeof value === 'string' && value !== '' && !known.includes(value)) {
      report(walk, path, unknownProfileMessage(value, known));
    }
  };
  check(server['default_subscription_profile'], ['server', 'default_subscription_profile']);
  const handlers = isTable(server['subscriptions']) ? server['subscriptions'] : {};
  for (const [handler, table] of Object.entries(handlers)) {
    if (isTable(table)) check(table['profile'], ['server', 'subscriptions', handler, 'profile']);
  }
  return walk.issues;
}

export function unknownProfileMessage(name: string, known: readonly string[]): string {
  return (
    `unknown profile "${name}"; expected one of ${known.join(', ')} ` +
    '(or define it under [server.profiles.<name>])'
  );
}

/**
 * Checks one overlay table (`[test]`, `[production]`): its keys are top-level keys, validated
 * like the base. When the table is not a valid overlay and its name is close to a known key
 * (`[loging]`), the single issue reported is the likely typo.
 */
export function checkOverlay(
  name: string,
  overlay: Table,
  options: CheckOptions,
  rule: Rule = CONFIG_SCHEMA,
): ConfigIssue[] {
  const issues = checkConfig(overlay, { ...options, display: (path) => [name, ...path] }, rule);
  const typo = closestKey(name, TOP_LEVEL_KEYS);
  if (issues.length === 0 || typo === undefined) return issues;
  return [
    issueAt(
      options.file,
      [name],
      `unknown key; did you mean "${typo}"? ` +
        `(a top-level table that is not a known key is read as a PROTEAN_ENV overlay, and [${name}] is not a valid one)`,
    ),
  ];
}
