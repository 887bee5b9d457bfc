/**
 * `protean server --workers N`: N engine processes sharing the consumer groups of the stream
 * subscriptions, under one parent that forwards signals and reports one exit code.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Domain } from '../domain/domain.js';
import { SubscriptionFactory } from '../server/engine-factory.js';
import { CommandFailure, ExitCode } from './exit.js';
import { sharedServerArguments } from './server-arguments.js';
import type { ServerOptions, ServerProcess, ShutdownSignal } from './server.js';

const BIN = fileURLToPath(new URL('../../bin/protean.js', import.meta.url));

/**
 * Refuses `--workers` above 1 for a domain with event-store subscriptions (each worker would
 * process every message of them) unless `force`.
 *
 * @throws CommandFailure (exit 2) listing the event-store subscriptions and the ways out.
 */
export function checkShareable(domain: Domain, force: boolean): void {
  const single = new SubscriptionFactory(domain)
    .subscriptions()
    .filter((subscription) => subscription.type === 'event_store')
    .map((subscription) => subscription.name);
  if (single.length === 0 || force) return;
  throw new CommandFailure(
    `--workers needs stream subscriptions, but these read the event store and would process ` +
      `every message once per worker: ${single.join(', ')}. Set subscription_type = "stream" ` +
      `for them ([server] default_subscription_type, or [server.subscriptions.<Handler>]), ` +
      `or pass --force if their handlers are idempotent and duplicates are acceptable.`,
    ExitCode.usage,
  );
}

/** The `protean server` arguments of worker `index` (0-based): the parent's, one engine each. */
export function workerArguments(options: ServerOptions, index: number): string[] {
  const args = sharedServerArguments(options);
  // One log folder and one health port per worker: they would fight over one.
  if (options.logDir !== undefined) args.push('--log-dir', join(options.logDir, `worker-${index}`));
  if (options.healthPort !== undefined) {
    const port = options.healthPort === 0 ? 0 : options.healthPort + index;
    args.push('--health-port', String(port));
  }
  return args;
}

/**
 * Starts `count` workers and waits for all of them. The first signal is passed on to every
 * worker (each shuts down gracefully), a second one kills them; a worker that fails (a non-zero
 * exit) stops the others. Resolves with 0 when every worker exited with 0, 1 otherwise.
 */
export async function runWorkers(
  options: ServerOptions,
  count: number,
  proc: ServerProcess,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const workers = Array.from({ length: count }, (_, index) =>
    spawn(process.execPath, [BIN, ...workerArguments(options, index)], {
      env: { ...env, PROTEAN_WORKER: String(index) },
      // Detached (--daemon), the workers' console lines would only repeat their log files.
      stdio: proc.detached ? ['ignore', 'ignore', 'inherit'] : 'inherit',
    }),
  );
  let signals = 0;
  const removeListener = proc.onSignal((signal: ShutdownSignal) => {
    signals += 1;
    for (const worker of workers) worker.kill(signals === 1 ? signal : 'SIGKILL');
  });
  try {
    const codes = await Promise.all(workers.map((worker) => exitOf(worker, workers)));
    return codes.every((code) => code === 0) && signals < 2 ? ExitCode.ok : ExitCode.error;
  } finally {
    removeListener();
  }
}

/** Resolves with the worker's exit code (1 for a signal); stops the others when it ends early. */
function exitOf(worker: ChildProcess, all: readonly ChildProcess[]): Promise<number> {
  return new Promise((resolve) => {
    worker.once('exit', (code) => {
      if (code !== 0) {
        for (const other of all) if (other.exitCode === null) other.kill('SIGTERM');
      }
      resolve(code ?? ExitCode.error);
    });
  });
}
