/**
 * `protean --help` and `--version` load commander and the command declarations, not what the
 * commands do: each command imports its implementation when it runs. The bin runs in a child
 * process with a module resolve hook that records every module it loads.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/protean.js', import.meta.url));

/** Runs in the hooks thread: appends the URL of every module resolved to the log file. */
const HOOKS = `import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, nextResolve) {
  const resolved = await nextResolve(specifier, context);
  appendFileSync(log, resolved.url + '\\n');
  return resolved;
}`;

/** Preloaded with --import: registers the hooks before the bin (and its tsx) start. */
const REGISTER = (hooks: string) => `import { register } from 'node:module';
register(${JSON.stringify(hooks)}, { data: { log: process.env.PROTEAN_TEST_MODULE_LOG } });`;

/** What a `protean` run must not load before a command runs. */
const HEAVY: readonly RegExp[] = [
  /\/src\/server\/engine\.ts$/,
  /\/src\/cli\/(server|workers|db|dlq|outbox|subscriptions|check-health|operator)\.ts$/,
  /\/src\/cli\/discovery\.ts$/,
  /\/src\/domain\//,
  /\/src\/logging\//,
  /\/src\/adapters\//,
  /\/node_modules\/(pino|pino-pretty|pg|ioredis|smol-toml)\//,
];

let folder: string;
let preload: string;
beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'protean-lazy-'));
  const hooks = join(folder, 'hooks.mjs');
  preload = join(folder, 'register.mjs');
  await writeFile(hooks, HOOKS);
  await writeFile(preload, REGISTER(pathToFileURL(hooks).href));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

let runs = 0;

/** Runs `protean ...args` and resolves with its exit code and the modules it loaded. */
async function protean(...args: string[]): Promise<{ code: number; modules: string[] }> {
  const log = join(folder, `modules-${(runs += 1)}.log`);
  await writeFile(log, '');
  const env = { ...process.env, PROTEAN_TEST_MODULE_LOG: log, PROTEAN_DOMAIN: '' };
  const code = await new Promise<number>((resolve) => {
    execFile(
      process.execPath,
      ['--import', pathToFileURL(preload).href, bin, ...args],
      { env, cwd: folder },
      (error) => resolve(error ? Number(error.code ?? 1) : 0),
    );
  });
  const modules = [...new Set((await readFile(log, 'utf8')).split('\n').filter(Boolean))];
  return { code, modules };
}

const heavyIn = (modules: readonly string[]) =>
  modules.filter((url) => HEAVY.some((pattern) => pattern.test(url)));

describe('loading the protean command', () => {
  it.each(['--help', '--version', 'server --help', 'dlq list --help', '(no arguments)'])(
    'protean %s loads the declarations and no command implementation',
    async (line) => {
      const args = line.startsWith('(') ? [] : line.split(' ');
      const { code, modules } = await protean(...args);
      expect(code).toBe(0);
      // The recorder sees the program and the declarations, so an empty list proves nothing.
      expect(modules).toContainEqual(expect.stringMatching(/\/src\/cli\/program\.ts$/));
      expect(modules).toContainEqual(expect.stringMatching(/\/src\/cli\/commands\/server\.ts$/));
      expect(modules).toContainEqual(expect.stringMatching(/\/node_modules\/commander\//));
      expect(heavyIn(modules)).toEqual([]);
    },
  );

  it('loads a command implementation, the engine and pino when the command runs', async () => {
    const { code, modules } = await protean('server', '--domain', 'no-such-domain.ts');
    expect(code).toBe(1);
    for (const loaded of [
      /\/src\/cli\/server\.ts$/,
      /\/src\/server\/engine\.ts$/,
      /\/src\/cli\/discovery\.ts$/,
      /\/node_modules\/pino\//,
    ]) {
      expect(modules).toContainEqual(expect.stringMatching(loaded));
    }
  });
});
