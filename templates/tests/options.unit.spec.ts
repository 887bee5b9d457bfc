import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CreateDomainError } from '../src/errors.js';
import { resolveOptions } from '../src/options.js';
import {
  detectPackageManager,
  installCommand,
  runScript,
  type PackageManagerName,
} from '../src/package-manager.js';
import { isInteractive } from '../src/prompts.js';
import { silentReporter } from '../src/reporter.js';
import { DEFAULT_STACK, resolveStack, stackProblems, stackWarning } from '../src/stack.js';

describe('resolveOptions()', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveOptions({ dir: 'my-shop', cwd: '/work', framework: '0.1.0' }, {});

    expect(resolved).toEqual({
      packageName: 'my-shop',
      domainName: 'my_shop',
      targetDir: join('/work', 'my-shop'),
      cwd: '/work',
      example: true,
      install: true,
      git: true,
      overwrite: false,
      dryRun: false,
      stack: DEFAULT_STACK,
      framework: { kind: 'registry', range: '0.1.0' },
      packageManager: 'npm',
      reporter: silentReporter,
    });
  });

  it('names the project after the last segment of the target folder', () => {
    expect(resolveOptions({ dir: '/tmp/deep/Order Desk' }, {}).packageName).toBe('order-desk');
  });

  it('takes the package manager from npm_config_user_agent', () => {
    const env = { npm_config_user_agent: 'pnpm/9.12.0 npm/? node/v20.20.0 linux x64' };
    expect(resolveOptions({ dir: 'x' }, env).packageManager).toBe('pnpm');
  });

  it('refuses an empty target folder name with MISSING_DIR', () => {
    expect(() => resolveOptions({ dir: ' ' }, {})).toThrow(
      expect.objectContaining({ code: 'MISSING_DIR' }),
    );
  });
});

describe('resolveStack(): every runnable stack, and only those', () => {
  it('fills in the defaults: everything in memory, processed synchronously', () => {
    expect(resolveStack({})).toEqual({
      database: 'memory',
      eventStore: 'memory',
      broker: 'inline',
      processing: 'sync',
      outbox: false,
    });
  });

  it('lets the event store follow the database unless it is given', () => {
    expect(resolveStack({ database: 'postgresql' }).eventStore).toBe('postgresql');
    expect(resolveStack({ database: 'postgresql', eventStore: 'memory' }).eventStore).toBe(
      'memory',
    );
  });

  it.each([
    { database: 'postgresql' },
    { database: 'postgresql', broker: 'redis' },
    { database: 'postgresql', broker: 'redis_pubsub' },
    { database: 'postgresql', processing: 'async' },
    { database: 'postgresql', processing: 'async', broker: 'redis', outbox: true },
    { database: 'postgresql', processing: 'async', broker: 'inline', outbox: true },
    { database: 'postgresql', outbox: true },
    { eventStore: 'postgresql', processing: 'async' },
  ] as const)('accepts %j', (choices) => {
    expect(stackProblems(resolveStack(choices))).toEqual([]);
  });

  it.each([
    [
      { database: 'postgresql', processing: 'async', broker: 'redis_pubsub' },
      '--broker redis_pubsub cannot be used with --processing async',
    ],
    [{ processing: 'async' }, '--processing async needs --event-store postgresql'],
    [
      { database: 'postgresql', eventStore: 'memory', processing: 'async' },
      '--processing async needs --event-store postgresql',
    ],
    [{ outbox: true }, '--outbox needs --database postgresql'],
    [
      { database: 'postgresql', broker: 'redis_pubsub', outbox: true },
      '--outbox cannot publish to --broker redis_pubsub',
    ],
  ] as const)('refuses %j with INVALID_STACK, saying why and what to choose', (choices, reason) => {
    let error: unknown;
    try {
      resolveStack(choices);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CreateDomainError);
    expect(error).toMatchObject({ code: 'INVALID_STACK', exitCode: 2 });
    expect((error as Error).message).toMatch(new RegExp(`^${reason.replaceAll('-', '\\-')}`));
    expect((error as Error).message).toMatch(/Choose|Add|keep|leave/i);
  });

  it('warns when a change and its events would be written in two transactions', () => {
    expect(stackWarning(resolveStack({ database: 'postgresql' }))).toBeUndefined();
    expect(stackWarning(resolveStack({ database: 'postgresql', eventStore: 'memory' }))).toContain(
      'a change and its events are written in two transactions',
    );
  });
});

describe('package managers', () => {
  it.each([
    ['npm/11.0.0 node/v20.20.0 linux x64 workspaces/false', 'npm'],
    ['pnpm/9.12.0 npm/? node/v20.20.0 linux x64', 'pnpm'],
    ['yarn/4.5.0 npm/? node/v20.20.0 linux x64', 'yarn'],
    ['bun/1.1.30 npm/? node/v20.20.0 linux x64', 'bun'],
    ['cnpm/9.0.0 node/v20.20.0', 'npm'],
    [undefined, 'npm'],
    ['', 'npm'],
  ])('detects %j as %s', (userAgent, manager) => {
    expect(detectPackageManager(userAgent)).toBe(manager);
  });

  it.each<[PackageManagerName, string, string, string]>([
    ['npm', 'npm install', 'npm test', 'npm run dev'],
    ['pnpm', 'pnpm install', 'pnpm test', 'pnpm dev'],
    ['yarn', 'yarn install', 'yarn test', 'yarn dev'],
    ['bun', 'bun install', 'bun run test', 'bun run dev'],
  ])('spells the %s commands', (manager, install, test, dev) => {
    const { command, args } = installCommand(manager);
    expect([command, ...args].join(' ')).toBe(install);
    expect(runScript(manager, 'test')).toBe(test);
    expect(runScript(manager, 'dev')).toBe(dev);
  });
});

describe('isInteractive()', () => {
  const terminal = { stdinIsTTY: true, stdoutIsTTY: true };

  it('asks only when stdin and stdout are terminals and CI is unset', () => {
    expect(isInteractive({ ...terminal, env: {} })).toBe(true);
    expect(isInteractive({ ...terminal, stdinIsTTY: false, env: {} })).toBe(false);
    expect(isInteractive({ ...terminal, stdoutIsTTY: false, env: {} })).toBe(false);
    expect(isInteractive({ ...terminal, env: { CI: 'true' } })).toBe(false);
    expect(isInteractive({ ...terminal, env: { CI: '1' } })).toBe(false);
  });

  it('treats CI=false and CI=0 as unset', () => {
    expect(isInteractive({ ...terminal, env: { CI: 'false' } })).toBe(true);
    expect(isInteractive({ ...terminal, env: { CI: '0' } })).toBe(true);
  });
});
