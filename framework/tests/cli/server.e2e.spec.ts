import { execFile, spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { LOG_FILE_NAME } from '../../src/logging/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTEAN, project, removeProjects } from './fixtures.js';

const framework = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(framework, 'bin/protean.js');
// The server as a user starts it: no test-runner variables (they lower the log level to warn).
const env = { ...process.env };
for (const name of [
  'PROTEAN_DOMAIN',
  'LOG_LEVEL',
  'PROTEAN_LOG_DIR',
  'PROTEAN_ENV',
  'NODE_ENV',
  'VITEST',
])
  delete env[name];

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `protean server ...args` to its end. */
function server(args: string[]): Promise<Outcome> {
  return promisify(execFile)(process.execPath, [bin, 'server', ...args], {
    cwd: framework,
    env,
    timeout: 20_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: Outcome) => error,
  );
}

/**
 * Starts `protean server ...args`, waits until stdout shows `ready`, sends `signals` (one after
 * the other, `gapMs` apart) and resolves with how it ended and how long that took after the first.
 */
function signalled(
  args: string[],
  signals: NodeJS.Signals[],
  { ready = 'server starting', gapMs = 0 } = {},
): Promise<Outcome & { ms: number }> {
  const child = spawn(process.execPath, [bin, 'server', ...args], { cwd: framework, env });
  let stdout = '';
  let stderr = '';
  let sentAt = 0;
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
    if (sentAt || !stdout.includes(ready)) return;
    sentAt = Date.now();
    signals.forEach((signal, n) => setTimeout(() => child.kill(signal), n * gapMs));
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) => {
    child.on('close', (code) => {
      clearTimeout(killer);
      resolve({ code: code ?? -1, stdout, stderr, ms: Date.now() - sentAt });
    });
  });
}

/** The JSON log lines of `stdout` (anything else the handlers print is left out). */
function jsonLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

// A memory domain with async command processing: createDomain() initializes it and processes one
// command, which only the engine handles; the handler prints a marker line.
const SHOP = `
import { Domain, field } from '${PROTEAN}';

export const domain = new Domain({
  name: 'shop',
  // Health endpoints on a free port: other test files run servers at the same time.
  config: {
    command_processing: 'async',
    event_processing: 'async',
    server: { health: { port: 0 } },
  },
});
const Order = domain.aggregate('Order', {
  orderId: field.string({ required: true, identifier: true }),
});
const PlaceOrder = domain.command(
  'PlaceOrder',
  { orderId: field.string({ required: true, identifier: true }) },
  { partOf: Order },
);
domain.handle(PlaceOrder, async (command: { orderId: string }, { repository }) => {
  await repository(Order).add(new Order({ orderId: command.orderId }));
  process.stdout.write(JSON.stringify({ handled: 'PlaceOrder', orderId: command.orderId }) + '\\n');
});

export async function createDomain(): Promise<Domain> {
  await domain.init();
  await domain.process(new PlaceOrder({ orderId: 'order-1' }));
  return domain;
}
`;

// A handler that takes 30 seconds: a graceful shutdown waits for it (up to
// shutdown_timeout_seconds), so only a second signal ends the server early.
const SLOW = `
import { Domain, field } from '${PROTEAN}';

export const domain = new Domain({
  name: 'slow',
  config: { command_processing: 'async', server: { health: { port: 0 } } },
});
const Job = domain.aggregate('Job', { jobId: field.string({ required: true, identifier: true }) });
const RunJob = domain.command(
  'RunJob',
  { jobId: field.string({ required: true, identifier: true }) },
  { partOf: Job },
);
domain.handle(RunJob, async () => {
  process.stdout.write('slow handler started\\n');
  await new Promise((resolve) => setTimeout(resolve, 30_000));
});

export async function createDomain(): Promise<Domain> {
  await domain.init();
  await domain.process(new RunJob({ jobId: 'job-1' }));
  return domain;
}
`;

let root: string;
let shop: string;
beforeAll(async () => {
  root = await project({ 'shop.ts': SHOP, 'slow.ts': SLOW, 'a-file': 'not a folder' });
  shop = join(root, 'shop.ts');
});
afterAll(removeProjects);

describe('protean server', { timeout: 15_000 }, () => {
  it('--test-mode handles what is there and exits 0, logging start, each message and stop', async () => {
    const { code, stdout, stderr } = await server([
      '--domain',
      `${shop}:createDomain()`,
      '--test-mode',
      '--debug',
      '--log-format',
      'json',
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const lines = jsonLines(stdout);
    const starting = lines.find((line) => line['msg'] === 'server starting');
    expect(starting).toMatchObject({
      name: 'protean.server',
      domain: 'shop',
      providers: { database: 'memory', event_store: 'memory', broker: 'inline' },
      subscriptions: 1,
    });
    expect(lines).toContainEqual({ handled: 'PlaceOrder', orderId: 'order-1' });
    const handling = lines.find((line) => line['msg'] === 'handling message');
    expect(handling).toMatchObject({ level: 'debug', type: expect.stringContaining('PlaceOrder') });
    expect(lines.at(-1)).toMatchObject({ msg: 'server stopped', exitCode: 0 });
  });

  it('shuts down gracefully on SIGTERM: exit 0 within seconds', async () => {
    const { code, stdout, ms } = await signalled(
      ['--domain', shop, '--log-format', 'json'],
      ['SIGTERM'],
    );
    expect(code).toBe(0);
    expect(ms).toBeLessThan(5_000);
    const messages = jsonLines(stdout).map((line) => line['msg']);
    expect(messages).toContain('shutting down');
    expect(messages.at(-1)).toBe('server stopped');
  });

  it('shuts down gracefully on SIGINT and SIGHUP too', async () => {
    for (const signal of ['SIGINT', 'SIGHUP'] as const) {
      const { code, stdout } = await signalled(
        ['--domain', shop, '--log-format', 'json'],
        [signal],
      );
      expect(code).toBe(0);
      expect(jsonLines(stdout)).toContainEqual(expect.objectContaining({ signal }));
    }
  });

  // With nothing in flight the graceful shutdown is over within milliseconds: a quick second
  // signal may arrive after the engine stopped (exit 0, or 1 when the process is still winding
  // down: a late signal exits at once with 1) or during the shutdown (stops at once, exit 1).
  // Never killed by the signal itself, and always quick.
  it('takes two quick signals on an idle server: exit 0 or 1, at once', async () => {
    const { code, ms } = await signalled(
      ['--domain', shop, '--log-format', 'json'],
      ['SIGTERM', 'SIGINT'],
    );
    expect([0, 1]).toContain(code);
    expect(ms).toBeLessThan(5_000);
  });

  it('stops at once with exit 1 on a second signal while a handler is still running', async () => {
    const { code, stdout, stderr, ms } = await signalled(
      ['--domain', `${join(root, 'slow.ts')}:createDomain()`, '--log-format', 'json'],
      ['SIGTERM', 'SIGTERM'],
      { ready: 'slow handler started', gapMs: 300 },
    );
    expect(code).toBe(1);
    expect(ms).toBeLessThan(5_000);
    const lines = jsonLines(stdout);
    expect(lines.map((line) => line['msg'])).toEqual(
      expect.arrayContaining([
        'shutting down',
        'second signal: stopping at once',
        'second shutdown request: stopping at once',
      ]),
    );
    expect(lines.at(-1)).toMatchObject({ msg: 'server stopped', exitCode: 1 });
    expect(stderr).toContain('the server stopped with exit code 1');
  });

  it('exits 2 on an unknown flag', async () => {
    const { code, stderr } = await server(['--no-such-flag']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--no-such-flag'");
  });

  it('exits 2 on a bad --log-level or --log-format', async () => {
    const level = await server(['--domain', shop, '--log-level', 'loud']);
    expect(level.code).toBe(2);
    expect(level.stderr).toContain('--log-level');
    const format = await server(['--domain', shop, '--log-format', 'xml']);
    expect(format.code).toBe(2);
  });

  it('exits 1 with one message when the domain file is missing', async () => {
    const { code, stderr } = await server(['--domain', join(root, 'nope.ts'), '--test-mode']);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('cannot load the domain named by --domain');
  });

  it('exits 1 with the LogDirectoryError message when --log-dir cannot be created', async () => {
    const { code, stdout, stderr } = await server([
      '--domain',
      shop,
      '--test-mode',
      '--log-dir',
      join(root, 'a-file', 'logs'),
    ]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^protean: .*a-file/);
    expect(stderr.trim().split('\n')).toHaveLength(1);
  });

  it('writes JSON lines into --log-dir', async () => {
    const dir = join(root, 'logs');
    const { code } = await server(['--domain', shop, '--test-mode', '--log-dir', dir]);
    expect(code).toBe(0);
    const file = await readFile(join(dir, LOG_FILE_NAME), 'utf8');
    const messages = jsonLines(file).map((line) => line['msg']);
    expect(messages).toEqual(expect.arrayContaining(['server starting', 'server stopped']));
  });
});
