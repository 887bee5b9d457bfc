import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { ProgramIo } from '../../src/cli/program.js';

/**
 * protean-ts as a file URL: fixture projects live in temp folders without node_modules, so their
 * modules import the framework's source directly.
 */
export const PROTEAN = new URL('../../src/index.ts', import.meta.url).href;

/** `protean-ts/adapter` as a file URL, for fixture modules that register adapters. */
export const PROTEAN_ADAPTER = new URL('../../src/adapter.ts', import.meta.url).href;

/** A module creating Domains: `export const <name> = new Domain({ name: '<domain>' })` per entry. */
export function domainModule(exports: Record<string, string>, extra = ''): string {
  const lines = Object.entries(exports).map(
    ([name, domain]) => `export const ${name} = new Domain({ name: '${domain}' });`,
  );
  return [`import { Domain } from '${PROTEAN}';`, ...lines, extra].join('\n');
}

const roots: string[] = [];

/**
 * A temp folder holding `files` (path -> text), with a `"type": "module"` package.json unless
 * `files` brings its own or `module: false`.
 */
export async function project(
  files: Record<string, string>,
  { module = true }: { module?: boolean } = {},
): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'protean-cli-'));
  roots.push(root);
  const all = module ? { 'package.json': '{ "type": "module" }', ...files } : files;
  for (const [path, text] of Object.entries(all)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  return root;
}

/** Removes every folder `project()` made (for `afterAll`). */
export async function removeProjects(): Promise<void> {
  await Promise.all(roots.splice(0).map((root) => rm(root, { recursive: true, force: true })));
}

/** An io for `runCli()` that records output, with no terminal unless given a prompt. */
export function captureIo(overrides: Partial<ProgramIo> = {}) {
  const output = { stdout: '', stderr: '', questions: [] as string[] };
  const io: ProgramIo = {
    out: (text) => void (output.stdout += text),
    err: (text) => void (output.stderr += text),
    isTTY: false,
    prompt: () => Promise.reject(new Error('no terminal in this test')),
    env: {},
    cwd: tmpdir(),
    ...overrides,
  };
  return { io, output };
}
