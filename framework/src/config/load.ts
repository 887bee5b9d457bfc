/**
 * Resolves a domain's configuration in one pass: defaults -> file -> PROTEAN_ENV overlay ->
 * `${VAR}` interpolation -> validation. Everything that can be wrong is reported at once.
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { parse, TomlError } from 'smol-toml';
import { ConfigurationError } from '../core/errors.js';
import { defaultConfig } from './defaults.js';
import { interpolate } from './interpolate.js';
import type { Env } from './interpolate.js';
import { throwIfIssues } from './issues.js';
import type { ConfigIssue } from './issues.js';
import { configSchema, TOP_LEVEL_KEYS } from './schema.js';
import type { ExtraProviders, Rule } from './schema.js';
import { deepMerge, getAt, isTable } from './tree.js';
import type { KeyPath, Table } from './tree.js';
import type { DomainConfig, DomainConfigInput, LoadedConfig } from './types.js';
import { checkConfig, checkOverlay, checkProfileReferences } from './validate.js';

/** Where config messages go; `console` and a pino logger both fit. */
export interface ConfigLog {
  info(message: string): void;
  warn(message: string): void;
}

/** Options of {@link loadConfig}. */
export interface LoadConfigOptions {
  /** Directory of the domain's entry module (a path or a `file:` URL). @defaultValue `process.cwd()` */
  entryDir?: string | URL;
  /** An explicit config object: deep-merged over the defaults; no file is read. */
  explicit?: DomainConfigInput;
  /** Variables for `PROTEAN_ENV` and `${VAR}`. @defaultValue `process.env` */
  env?: Env;
  /** Receives the "no file found" info line and the unknown-overlay warning. @defaultValue `console` */
  log?: ConfigLog;
  /** Provider names registered by the application, accepted besides the built-in ones. */
  providers?: ExtraProviders;
}

/** Looked for in this order in each directory. */
export const CONFIG_FILE_NAMES = ['.domain.toml', 'domain.toml'] as const;

/** How many parent directories above the entry directory are searched. */
const PARENT_LEVELS = 2;

/**
 * The configuration of a domain.
 *
 * - `explicit` given: it is deep-merged over the defaults and validated; no file is read, and it
 *   is taken literally (no overlay, no interpolation: code can read `process.env` itself).
 * - Otherwise the first of `.domain.toml`, `domain.toml` in `entryDir`, then its parent, then its
 *   grandparent. None: the defaults, and one info line through `log`.
 * - Overlays: a top-level table whose name is not a known key (`[test]`, `[production]`) is an
 *   environment overlay. Every overlay's keys are validated like the base's, so a misspelt
 *   table (`[loging]`) is still caught. `PROTEAN_ENV=<name>` deep-merges `[<name>]` over the base;
 *   a name without a table leaves the base alone, with a warning through `log`.
 * - `${VAR}` / `${VAR|default}` are replaced in every string (lists too) after the overlay merge;
 *   an unset or empty variable takes the default, or is an error without one. A string that was
 *   wholly interpolated becomes a number or boolean where the key wants one (`port = "${PORT|8080}"`).
 *
 * @throws ConfigurationError naming the file, the key path and the fix, one line per problem;
 *   a TOML syntax error names the line and column.
 *
 * @example
 * const { config, source } = loadConfig({ entryDir: import.meta.dirname });
 * if (source === 'defaults') console.log(config.databases.default.provider); // 'memory'
 */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const { env = process.env, log = console } = options;
  const schema = configSchema(options.providers);
  if (options.explicit !== undefined) return loadExplicit(options.explicit, schema);
  const directories = configSearchDirectories(options.entryDir ?? process.cwd());
  const file = findConfigFile(directories);
  if (file !== undefined) return loadFile(file, { env, log, schema });
  log.info(
    `No ${CONFIG_FILE_NAMES.join(' or ')} found in ${directories.join(', ')}; using the default ` +
      'configuration (memory database and event store, inline broker, sync processing).',
  );
  return { config: defaultConfig(), userConfig: {}, source: 'defaults', label: 'defaults' };
}

/** The entry directory and up to two parents, nearest first. */
export function configSearchDirectories(entryDir: string | URL): string[] {
  const start = resolve(
    entryDir instanceof URL || entryDir.startsWith('file:') ? fileURLToPath(entryDir) : entryDir,
  );
  const directories = [start];
  for (let level = 0; level < PARENT_LEVELS; level++) {
    const parent = dirname(directories[directories.length - 1] as string);
    if (directories.includes(parent)) break;
    directories.push(parent);
  }
  return directories;
}

/** The first config file in `directories` (`.domain.toml` before `domain.toml` in each). */
export function findConfigFile(directories: readonly string[]): string | undefined {
  for (const directory of directories) {
    for (const name of CONFIG_FILE_NAMES) {
      const candidate = join(directory, name);
      if (statSync(candidate, { throwIfNoEntry: false })?.isFile()) return candidate;
    }
  }
  return undefined;
}

function loadExplicit(explicit: DomainConfigInput, schema: Rule): LoadedConfig {
  const label = 'config';
  const issues = checkConfig(explicit, { file: label }, schema);
  const user = isTable(explicit) ? deepMerge({}, explicit) : {};
  return complete(user, issues, { source: 'explicit', label }, schema);
}

interface FileContext {
  env: Env;
  log: ConfigLog;
  schema: Rule;
}

function loadFile(file: string, { env, log, schema }: FileContext): LoadedConfig {
  const label = displayPath(file);
  const { base, overlays } = splitOverlays(readToml(file, label));
  const overlay = chooseOverlay(env['PROTEAN_ENV'], overlays, label, log);
  const issues = checkPieces(base, overlays, overlay, label, schema);
  const active = overlay === undefined ? undefined : overlays.get(overlay);
  const display = (path: KeyPath): KeyPath =>
    active !== undefined && getAt(active, path) !== undefined ? [overlay as string, ...path] : path;
  const merged = active === undefined ? base : deepMerge(base, active);
  const resolved = interpolate(merged, env, label, display);
  issues.push(...resolved.issues);
  const { interpolated: coerce, failed: skip } = resolved;
  issues.push(
    ...checkConfig(resolved.value, { file: label, keys: false, coerce, skip, display }, schema),
  );
  const meta = {
    source: 'file',
    file,
    label,
    ...(overlay === undefined ? {} : { overlay }),
  } as const;
  return complete(resolved.value, issues, meta, schema, display);
}

/**
 * The pieces as written: the base and every overlay get their keys checked; their values too,
 * except `${...}` strings (not interpolated yet) and the active overlay's (checked once merged,
 * under the overlay's name).
 */
function checkPieces(
  base: Table,
  overlays: Map<string, Table>,
  active: string | undefined,
  file: string,
  schema: Rule,
): ConfigIssue[] {
  const issues = checkConfig(base, { file, skipReferences: true }, schema);
  for (const [name, table] of overlays) {
    const options = { file, skipReferences: true, values: name !== active };
    issues.push(...checkOverlay(name, table, options, schema));
  }
  return issues;
}

/** Adds the defaults, checks what needs the whole picture, and throws if anything was wrong. */
function complete(
  user: Table,
  issues: ConfigIssue[],
  meta: Omit<LoadedConfig, 'config' | 'userConfig'>,
  schema: Rule,
  display?: (path: KeyPath) => KeyPath,
): LoadedConfig {
  const config = deepMerge(defaultConfig() as unknown as Table, user);
  const file = meta.label;
  const options = {
    file,
    keys: false,
    values: false,
    required: true,
    ...(display ? { display } : {}),
  };
  issues.push(...checkConfig(config, options, schema), ...checkProfileReferences(config, options));
  throwIfIssues(issues);
  return {
    ...meta,
    config: config as unknown as DomainConfig,
    userConfig: user as DomainConfigInput,
  };
}

function readToml(file: string, label: string): Table {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new ConfigurationError(
      `${label}: cannot be read (${code}); check that it is a readable file`,
    );
  }
  try {
    return parse(text, { unsafeKeyBehaviour: 'throw' }) as Table;
  } catch (error) {
    if (!(error instanceof TomlError)) throw error;
    const reason = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
    throw new ConfigurationError(
      `${label}: line ${error.line}, column ${error.column}: invalid TOML: ${reason}; ` +
        `fix the syntax at that spot\n\n${error.codeblock}`,
    );
  }
}

/** Known top-level keys (and stray scalars, reported as unknown) form the base; other tables are overlays. */
function splitOverlays(document: Table): { base: Table; overlays: Map<string, Table> } {
  const base: Table = {};
  const overlays = new Map<string, Table>();
  for (const [key, value] of Object.entries(document)) {
    if (!TOP_LEVEL_KEYS.includes(key) && isTable(value)) overlays.set(key, value);
    else base[key] = value;
  }
  return { base, overlays };
}

function chooseOverlay(
  name: string | undefined,
  overlays: Map<string, Table>,
  label: string,
  log: ConfigLog,
): string | undefined {
  if (name === undefined || name === '') return undefined;
  if (overlays.has(name)) return name;
  const available = [...overlays.keys()].map((key) => `[${key}]`).join(', ') || 'none';
  log.warn(
    `PROTEAN_ENV=${name}, but ${label} has no [${name}] table; using the base configuration ` +
      `(overlays in the file: ${available}).`,
  );
  return undefined;
}

/** Relative to the working directory when the file is inside it (`domain.toml`), else absolute. */
function displayPath(file: string): string {
  const path = relative(process.cwd(), file);
  return path !== '' && !path.startsWith('..') && !isAbsolute(path) ? path : file;
}
