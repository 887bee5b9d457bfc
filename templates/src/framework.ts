/**
 * Where a new project gets protean-ts from. From a checkout of the protean-ts repository the
 * workspace's own framework is packed into the project (`vendor/protean-ts-<version>.tgz`), so the
 * project installs anywhere on the machine before anything is published; from the published
 * create-domain package, the registry version. `--framework <path|tarball|version>` chooses.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateDomainError } from './errors.js';
import type { PlannedFile } from './render.js';
import type { Reporter } from './reporter.js';
import { runCommand, tail } from './run.js';
import { readTarballManifest } from './tarball.js';
import { PROTEAN_TS_RANGE } from './versions.js';

/** Where protean-ts comes from, as decided before anything is built or written. */
export type FrameworkSource =
  | { readonly kind: 'registry'; readonly range: string }
  | { readonly kind: 'tarball'; readonly path: string }
  | { readonly kind: 'folder'; readonly path: string; readonly version: string };

/** protean-ts as the new project depends on it. */
export interface PreparedFramework {
  /** The `protean-ts` entry of the project's dependencies. */
  readonly dependency: string;
  /** The vendored tarball, when there is one (empty bytes on a dry run). */
  readonly files: readonly PlannedFile[];
}

const PACKAGE = 'protean-ts';
const VERSION_OR_TAG = /^([~^]|[<>]=?|=)?v?\d+(\.\d+){0,2}(-[0-9A-Za-z.-]+)?$|^[a-z][a-z0-9-]*$/;

/**
 * The protean-ts package folder of the repository create-domain runs from (`framework/` next to
 * `templates/`), or `undefined` when create-domain is an installed package.
 *
 * @example
 * workspaceFramework(); // '/home/me/protean-ts/framework' in a checkout
 */
export function workspaceFramework(): string | undefined {
  const folder = fileURLToPath(new URL('../../framework/', import.meta.url));
  return manifestOf(folder)?.name === PACKAGE ? folder : undefined;
}

/**
 * Decides where protean-ts comes from: `spec` (a folder holding protean-ts, a `.tgz` made by
 * `npm pack`, or a registry version, range or tag), else the workspace's framework in a checkout,
 * else the registry. Throws `INVALID_FRAMEWORK` for a path that is missing or not protean-ts.
 * `options.workspace` stands in for the checkout's framework folder (`undefined`: none).
 *
 * @example
 * resolveFrameworkSource('0.1.0', process.cwd()); // { kind: 'registry', range: '0.1.0' }
 * resolveFrameworkSource(undefined, process.cwd()); // { kind: 'folder', ... } in a checkout
 */
export function resolveFrameworkSource(
  spec: string | undefined,
  cwd: string,
  options: { readonly workspace?: string | undefined } = {},
): FrameworkSource {
  const workspace = 'workspace' in options ? options.workspace : workspaceFramework();
  if (spec === undefined || spec.trim() === '') {
    return workspace ? folderSource(workspace, 'the protean-ts workspace') : registry();
  }
  const path = resolve(cwd, spec);
  if (existsSync(path)) {
    return statSync(path).isDirectory() ? folderSource(path, spec) : tarballSource(path, spec);
  }
  if (!looksLikePath(spec) && VERSION_OR_TAG.test(spec)) return { kind: 'registry', range: spec };
  throw invalid(
    spec,
    looksLikePath(spec)
      ? `there is no file or folder at ${path}`
      : 'it is neither an existing path nor a version such as 0.1.0, ^0.1.0 or latest',
  );
}

function registry(): FrameworkSource {
  return { kind: 'registry', range: PROTEAN_TS_RANGE };
}

function looksLikePath(spec: string): boolean {
  return /[/\\]/.test(spec) || spec.startsWith('.') || /\.(tgz|tar\.gz)$/.test(spec);
}

function folderSource(path: string, given: string): FrameworkSource {
  const manifest = manifestOf(path);
  if (manifest?.name !== PACKAGE || typeof manifest.version !== 'string') {
    throw invalid(given, `${path} holds no package.json of ${PACKAGE}`);
  }
  return { kind: 'folder', path, version: manifest.version };
}

function tarballSource(path: string, given: string): FrameworkSource {
  if (!/\.(tgz|tar\.gz)$/.test(path)) {
    throw invalid(given, `${path} is a file but not a .tgz package tarball`);
  }
  return { kind: 'tarball', path };
}

function invalid(given: string, why: string): CreateDomainError {
  return new CreateDomainError(
    'INVALID_FRAMEWORK',
    `--framework ${JSON.stringify(given)} cannot be used: ${why}. Pass the protean-ts package ` +
      'folder, a tarball made by `npm pack`, or a registry version such as 0.1.0.',
  );
}

interface Manifest {
  name?: unknown;
  version?: unknown;
  scripts?: Record<string, unknown>;
}

function manifestOf(folder: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(join(folder, 'package.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** The path of the vendored tarball inside the project. */
export function vendorPath(version: string): string {
  return `vendor/${PACKAGE}-${version}.tgz`;
}

/**
 * Gets protean-ts ready for the project: nothing for a registry version; for a tarball, its bytes
 * (checked to be protean-ts); for a folder, a build when its `dist/` is missing or older than its
 * sources, then `npm pack`. On a dry run nothing is built or packed. Everything happens in a
 * temporary folder, before the project is written. Throws `INVALID_FRAMEWORK` or
 * `FRAMEWORK_PACK_FAILED`.
 *
 * @example
 * const framework = await prepareFramework(source, { dryRun: false, reporter });
 * framework.dependency; // 'file:vendor/protean-ts-0.1.0.tgz'
 */
export async function prepareFramework(
  source: FrameworkSource,
  options: { dryRun: boolean; reporter: Reporter },
): Promise<PreparedFramework> {
  if (source.kind === 'registry') return { dependency: source.range, files: [] };
  if (source.kind === 'tarball') return vendored(await readTarball(source.path));
  if (options.dryRun) return vendored({ version: source.version, content: new Uint8Array() });
  await buildIfStale(source.path, options.reporter);
  options.reporter.step(`Packing ${PACKAGE} ${source.version} from ${source.path}`);
  return vendored({ version: source.version, content: await pack(source.path) });
}

function vendored({ version, content }: { version: string; content: Uint8Array }) {
  const path = vendorPath(version);
  return { dependency: `file:${path}`, files: [{ path, content }] };
}

async function readTarball(path: string): Promise<{ version: string; content: Uint8Array }> {
  const content = new Uint8Array(await readFile(path));
  const manifest = readTarballManifest(content);
  if ('problem' in manifest)
    throw invalid(path, `${path} is not a package tarball: ${manifest.problem}`);
  if (manifest.name !== PACKAGE) {
    throw invalid(path, `${path} holds the package ${manifest.name}, not ${PACKAGE}`);
  }
  return { version: manifest.version, content };
}

/**
 * Builds the package (`npm run build`) when it has a build script and its `dist/` is missing or
 * older than anything in `src/`, its package.json or its tsconfig files.
 */
async function buildIfStale(folder: string, reporter: Reporter): Promise<void> {
  const manifest = manifestOf(folder);
  if (typeof manifest?.scripts?.['build'] !== 'string') return;
  const built = await oldestTime(join(folder, 'dist'));
  const sources = await newestTime(folder, [
    'src',
    'package.json',
    'tsconfig.json',
    'tsconfig.build.json',
  ]);
  if (built !== undefined && built >= sources) return;
  reporter.step(
    `Building ${PACKAGE} (${built === undefined ? 'no dist/ yet' : 'dist/ is older than src/'})`,
  );
  const result = await runCommand(npm(), ['run', 'build'], folder);
  if (result.code !== 0) {
    throw new CreateDomainError(
      'FRAMEWORK_PACK_FAILED',
      `protean-ts in ${folder} must be built before it is packed into the project, and ` +
        `\`npm run build\` failed (${result.startError?.message ?? `exit code ${result.code}`}):\n` +
        `${tail(result.output)}\nNothing was written. Fix the build, or pass --framework with ` +
        'a packed tarball or a registry version.',
    );
  }
}

async function pack(folder: string): Promise<Uint8Array> {
  const temp = await mkdtemp(join(tmpdir(), 'create-domain-pack-'));
  try {
    const result = await runCommand(npm(), ['pack', '--json', '--pack-destination', temp], folder);
    const filename = result.code === 0 ? packedName(result.output) : undefined;
    if (!filename) {
      throw new CreateDomainError(
        'FRAMEWORK_PACK_FAILED',
        `\`npm pack\` of protean-ts in ${folder} failed:\n${tail(result.output)}\n` +
          'Nothing was written. Pass --framework with a packed tarball or a registry version.',
      );
    }
    return new Uint8Array(await readFile(join(temp, filename)));
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

/** The tarball's name from `npm pack --json` output (which may follow script output). */
function packedName(output: string): string | undefined {
  const match = /"filename":\s*"([^"]+)"/.exec(output);
  return match?.[1];
}

function npm(): string {
  return process.platform === 'win32' ? 'npm.cmd' : 'npm';
}

/** The oldest modification time of the files under `path`, or `undefined` when there are none. */
async function oldestTime(path: string): Promise<number | undefined> {
  const times = await fileTimes(path);
  return times.length > 0 ? Math.min(...times) : undefined;
}

async function newestTime(folder: string, names: readonly string[]): Promise<number> {
  const times = (await Promise.all(names.map((name) => fileTimes(join(folder, name))))).flat();
  return Math.max(0, ...times);
}

async function fileTimes(path: string): Promise<number[]> {
  const stats = await stat(path).catch(() => undefined);
  if (!stats) return [];
  if (!stats.isDirectory()) return [stats.mtimeMs];
  const entries = await readdir(path);
  return (await Promise.all(entries.map((entry) => fileTimes(join(path, entry))))).flat();
}
