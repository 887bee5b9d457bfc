import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CreateDomainError } from '../src/errors.js';
import { resolveOptions, resolveStack, SUPPORTED_STACK } from '../src/options.js';
import {
  detectPackageManager,
  installCommand,
  runScript,
  type PackageManagerName,
} from '../src/package-manager.js';
import { isInteractive } from '../src/prompts.js';
import { silentReporter } from '../src/reporter.js';

describe('resolveOptions()', () => {
  it('applies the documented defaults', () => {
    const resolved = resolveOptions({ dir: 'my-shop', cwd: '/work' }, {});

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
      stack: SUPPORTED_STACK,
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

describe('resolveStack(): only the sync memory stack is generated', () => {
  it('fills in the defaults', () => {
    expect(resolveStack({})).toEqual({
      database: 'memory',
      eventStore: 'memory',
      broker: 'inline',
      processing: 'sync',
      outbox: false,
    });
  });

  it('accepts the defaults when they are given explicitly', () => {
    expect(resolveStack({ ...SUPPORTED_STACK })).toEqual(SUPPORTED_STACK);
  });

  it.each([
    [{ database: 'postgresql' } as const, '--database postgresql'],
    [{ eventStore: 'postgresql' } as const, '--event-store postgresql'],
    [{ broker: 'redis' } as const, '--broker redis'],
    [{ processing: 'async' } as const, '--processing async'],
    [{ outbox: true } as const, '--outbox'],
  ])('refuses %j, naming %s and what this version generates', (choice, flag) => {
    let error: unknown;
    try {
      resolveStack(choice);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(CreateDomainError);
    expect(error).toMatchObject({ code: 'UNSUPPORTED_OPTION', exitCode: 2 });
    expect((error as Error).message).toMatch(new RegExp(`^${flag} is not supported yet`));
    expect((error as Error).message).toContain(
      'generates only the synchronous, memory-only project',
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
