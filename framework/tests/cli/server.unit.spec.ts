import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeIo } from '../../src/cli/io.js';
import type { CliIo } from '../../src/cli/io.js';
import { runServer } from '../../src/cli/server.js';
import type { ServerProcess, ShutdownSignal } from '../../src/cli/server.js';
import { LogDirectoryError } from '../../src/logging/index.js';
import { captureIo, domainModule, project, removeProjects } from './fixtures.js';

/** A process whose signals the test sends and whose log lines it reads. */
function fakeProcess() {
  const lines: Record<string, unknown>[] = [];
  const state = {
    handler: undefined as ((signal: ShutdownSignal) => void) | undefined,
    removed: false,
    exitCode: undefined as number | undefined,
  };
  const proc: ServerProcess = {
    onSignal(handler) {
      state.handler = handler;
      return () => void (state.removed = true);
    },
    exiting: (code) => void (state.exitCode = code),
    logDestination: {
      write: (chunk: string) => void lines.push(JSON.parse(chunk) as Record<string, unknown>),
    },
  };
  return { proc, lines, state };
}

let root: string;
beforeAll(async () => {
  root = await project({ 'domain.ts': domainModule({ domain: 'bookshelf' }), 'a-file': '' });
});
afterAll(removeProjects);

/** A complete io (no terminal, no environment) working in the fixture folder. */
function serverIo(): CliIo {
  return completeIo(captureIo({ cwd: root }).io);
}

const options = { logFormat: 'json', logLevel: 'info' } as const;

describe('runServer', () => {
  it('runs in test mode to exit code 0, logging the start and the stop', async () => {
    const io = serverIo();
    const { proc, lines, state } = fakeProcess();
    await expect(runServer({ ...options, testMode: true }, io, proc)).resolves.toBe(0);
    expect(lines[0]).toMatchObject({
      msg: 'server starting',
      domain: 'bookshelf',
      source: 'domain.ts:domain',
      subscriptions: 0,
    });
    expect(lines.at(-1)).toMatchObject({ msg: 'server stopped', exitCode: 0 });
    expect(state).toMatchObject({ removed: true, exitCode: 0 });
  });

  it('shuts down gracefully on a signal and removes its listener', async () => {
    const io = serverIo();
    const { proc, lines, state } = fakeProcess();
    const running = runServer(options, io, proc);
    await expect.poll(() => state.handler).toBeDefined();
    state.handler?.('SIGTERM');
    await expect(running).resolves.toBe(0);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'shutting down', signal: 'SIGTERM' }),
    );
    expect(state).toMatchObject({ removed: true, exitCode: 0 });
  });

  it('fails with the LogDirectoryError message when the log folder cannot be made', async () => {
    const io = serverIo();
    const { proc, state } = fakeProcess();
    const logDir = join(root, 'a-file', 'logs');
    const failure = runServer({ ...options, testMode: true, logDir }, io, proc);
    await expect(failure).rejects.toMatchObject({ exitCode: 1 });
    await expect(failure).rejects.toHaveProperty('cause', expect.any(LogDirectoryError));
    expect(state.handler).toBeUndefined();
  });
});
