/** Runs an external command (the package manager, git) and collects what it printed. */
import { spawn } from 'node:child_process';

/** How a command ended. `code` is `null` when it could not be started at all. */
export interface CommandResult {
  readonly code: number | null;
  /** stdout and stderr, interleaved. */
  readonly output: string;
  /** Why the command could not be started, such as `spawn pnpm ENOENT`. */
  readonly startError?: Error;
}

/**
 * The environment for a child command: this process's, without the workspace settings that
 * `npm create domain` sets when it runs inside an npm workspace (`npm_config_workspace` would send
 * the new project's `npm install` looking for a workspace of that name).
 *
 * @example
 * childEnv({ npm_config_workspace: 'x', PATH: '/bin' }); // { PATH: '/bin' }
 */
export function childEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const workspaceKey = /^npm_config_(workspaces?|include_workspace_root)$/i;
  return Object.fromEntries(Object.entries(env).filter(([key]) => !workspaceKey.test(key)));
}

/**
 * Runs `command args` in `cwd` without a shell (except on Windows, where package managers are
 * `.cmd` files) and resolves when it ends; it never rejects.
 *
 * @example
 * const { code, output } = await runCommand('git', ['init'], '/tmp/my-shop');
 */
export function runCommand(
  command: string,
  args: readonly string[],
  cwd: string,
): Promise<CommandResult> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command, [...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: childEnv(),
      shell: process.platform === 'win32',
    });
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', (startError) => resolve({ code: null, output, startError }));
    child.on('close', (code) => resolve({ code: code ?? 1, output }));
  });
}

/**
 * The last `lines` non-empty lines of a command's output, for an error message.
 *
 * @example
 * tail('a\nb\nc\n', 2); // 'b\nc'
 */
export function tail(output: string, lines = 15): string {
  return output
    .split(/\r?\n/)
    .filter((line) => line.trim() !== '')
    .slice(-lines)
    .join('\n');
}
