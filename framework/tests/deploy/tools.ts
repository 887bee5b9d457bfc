/**
 * The outside tools the deployment files are checked with (systemd-analyze, promtool): where they
 * are, and running them on a file.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/** How a tool run ended. */
export interface ToolResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The absolute path of `name` on PATH, if it is there. */
export function findTool(name: string): string | undefined {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // Not in this folder.
    }
  }
  return undefined;
}

/**
 * Whether a test may run `name`. When it is missing it says so loudly, once, and the test is
 * skipped; with `requiredInCi` and `CI=true` a missing tool fails the run instead.
 */
export function toolAvailable(name: string, install: string, requiredInCi = false): boolean {
  if (findTool(name)) return true;
  const line = `${name} is not installed (${install})`;
  if (requiredInCi && process.env['CI'] === 'true') {
    throw new Error(`${line}: CI must check the deployment files with it`);
  }
  console.warn(`\n!!! SKIPPING the ${name} checks: ${line}\n`);
  return false;
}

/** Runs `file ...args` to its end. */
export function run(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<ToolResult> {
  return new Promise((resolve) => {
    execFile(file, args, { env, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = (error as { code?: unknown } | null)?.code;
      resolve({ code: error ? (typeof code === 'number' ? code : 1) : 0, stdout, stderr });
    });
  });
}

/**
 * `systemd-analyze [--user] verify` on `unit`, saved as `name` in a temp folder. A user unit is
 * checked with a runtime folder of its own (there is no user manager in a container).
 */
export async function verifyUnit(
  name: string,
  unit: string,
  scope: 'user' | 'system',
): Promise<ToolResult> {
  const dir = await mkdtemp(join(tmpdir(), 'protean-unit-'));
  try {
    const file = join(dir, name);
    await writeFile(file, unit);
    const args = scope === 'user' ? ['--user', 'verify', file] : ['verify', file];
    return await run('systemd-analyze', args, { ...process.env, XDG_RUNTIME_DIR: dir });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
