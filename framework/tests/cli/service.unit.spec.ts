/**
 * `protean server service ...`: the unit `install` renders and writes, and what each command asks
 * of systemctl. A recording stand-in plays systemd here; service.e2e.spec.ts runs the real
 * systemctl and systemd-analyze.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { runServiceAction, runServiceInstall } from '../../src/cli/service.js';
import type { SystemctlResult, Systemd } from '../../src/cli/service.js';
import { captureIo, PROTEAN, project, removeProjects } from './fixtures.js';

const BIN = fileURLToPath(new URL('../../bin/protean.js', import.meta.url));

// A domain whose server takes up to 25 s to shut down: its unit gives it 35 s.
const SHOP = `
import { Domain } from '${PROTEAN}';
export const domain = new Domain({
  name: 'shop',
  config: { server: { shutdown_timeout_seconds: 25 } },
});
`;

/** systemd as a recorder of systemctl calls, answering `answer(args)` (0 unless told). */
function fakeSystemd(answer: (args: readonly string[]) => Partial<SystemctlResult> = () => ({})) {
  const calls: string[] = [];
  const systemd: Systemd = {
    booted: () => true,
    systemctl: (scope, args) => {
      calls.push([scope === 'user' ? '--user' : '', ...args].join(' ').trim());
      return Promise.resolve({ code: 0, stdout: '', stderr: '', ...answer(args) });
    },
  };
  return { systemd, calls };
}

let root: string;
let home: string;
beforeAll(async () => {
  root = await project({ 'domain.ts': SHOP });
  home = await mkdtemp(join(tmpdir(), 'protean-home-'));
});
afterAll(async () => {
  await removeProjects();
  await rm(home, { recursive: true, force: true });
});

/** An io in the project folder, with HOME and XDG_CONFIG_HOME of this test and `env` over them. */
async function serviceIo(env: Record<string, string> = {}) {
  const config = await mkdtemp(join(home, 'config-'));
  const { io, output } = captureIo({
    cwd: root,
    env: { HOME: home, XDG_CONFIG_HOME: config, ...env },
  });
  return {
    io: completeIo(io),
    output,
    unitFile: join(config, 'systemd/user/protean-shop.service'),
  };
}

describe('protean server service install --print', () => {
  it('prints a user unit that restarts on failure, logs to ~/.protean/logs and writes nothing', async () => {
    const { io, output, unitFile } = await serviceIo();
    const { systemd, calls } = fakeSystemd();
    await runServiceInstall({ user: true, print: true }, io, systemd);
    const unit = output.stdout;
    expect(unit).toContain('[Service]\n');
    expect(unit).toContain('\nRestart=on-failure\n');
    expect(unit).toContain(`\nWorkingDirectory=${root}\n`);
    expect(unit).toContain('\nEnvironment=PROTEAN_ENV=production\n');
    expect(unit).toContain(
      `\nExecStart=${process.execPath} ${BIN} server --log-dir ${join(home, '.protean/logs')}\n`,
    );
    expect(unit).toContain('\nTimeoutStopSec=35\n');
    expect(unit).toContain('\nWantedBy=default.target\n');
    expect(existsSync(unitFile)).toBe(false);
    expect(calls).toEqual([]);
  });

  it('takes --domain, --log-dir and --env into the unit, quoting what needs it', async () => {
    const { io, output } = await serviceIo({ PROTEAN_ENV: 'staging' });
    await runServiceInstall(
      {
        print: true,
        domain: 'domain.ts',
        logDir: 'var/logs',
        env: ['DATABASE_URL=postgresql://shop:a b@db/shop', 'RATE=100%', 'PROTEAN_ENV=production'],
      },
      io,
      fakeSystemd().systemd,
    );
    const unit = output.stdout;
    expect(unit).toContain(
      `\nExecStart=${process.execPath} ${BIN} server --domain domain.ts --log-dir ${root}/var/logs\n`,
    );
    expect(unit).toContain('\nEnvironment="DATABASE_URL=postgresql://shop:a b@db/shop"\n');
    expect(unit).toContain('\nEnvironment=RATE=100%%\n');
    // --env PROTEAN_ENV wins over the current PROTEAN_ENV, and is written once.
    expect(unit.match(/PROTEAN_ENV=/g)).toEqual(['PROTEAN_ENV=']);
    expect(unit).toContain('\nEnvironment=PROTEAN_ENV=production\n');
  });

  it('prints a system unit running as the sudo user, with /var/log/protean made by systemd', async () => {
    const { io, output } = await serviceIo({ SUDO_USER: 'shop' });
    await runServiceInstall({ print: true }, io, fakeSystemd().systemd);
    expect(output.stdout).toContain('\nUser=shop\n');
    expect(output.stdout).toContain('--log-dir /var/log/protean\n');
    expect(output.stdout).toContain('\nLogsDirectory=protean\n');
    expect(output.stdout).toContain('\nWantedBy=multi-user.target\n');
  });

  it('refuses --env without = as bad usage (exit 2), before loading anything', async () => {
    const { io, output } = await serviceIo();
    const code = await runCli(['server', 'service', 'install', '--user', '--env', 'FOO'], io);
    expect(code).toBe(2);
    expect(output.stderr).toContain('--env expects KEY=VALUE');
    expect(output.stderr).toContain('received "FOO"');
  });
});

describe('protean server service install and uninstall', () => {
  it('writes the user unit under XDG_CONFIG_HOME, reloads and enables it; uninstall undoes it', async () => {
    const { io, output, unitFile } = await serviceIo();
    const { systemd, calls } = fakeSystemd();
    await runServiceInstall({ user: true }, io, systemd);
    expect(await readFile(unitFile, 'utf8')).toContain('\nRestart=on-failure\n');
    expect(output.stdout).toContain(`wrote ${unitFile}`);
    expect(calls).toEqual(['--user daemon-reload', '--user enable protean-shop.service']);

    await runServiceAction('uninstall', { user: true }, io, systemd);
    expect(existsSync(unitFile)).toBe(false);
    expect(calls.slice(2)).toEqual([
      '--user disable --now protean-shop.service',
      '--user daemon-reload',
    ]);
  });

  it('says what systemctl said when daemon-reload fails (exit 1)', async () => {
    const { io } = await serviceIo();
    const { systemd } = fakeSystemd((args) =>
      args[0] === 'daemon-reload' ? { code: 1, stderr: 'Access denied' } : {},
    );
    await expect(runServiceInstall({ user: true }, io, systemd)).rejects.toMatchObject({
      exitCode: 1,
      message: 'systemctl --user daemon-reload failed: Access denied',
    });
  });

  it('uninstall of a unit that is not there fails (exit 1), naming the file', async () => {
    const { io, unitFile } = await serviceIo();
    await expect(
      runServiceAction('uninstall', { user: true }, io, fakeSystemd().systemd),
    ).rejects.toMatchObject({ exitCode: 1, message: expect.stringContaining(unitFile) });
  });
});

describe('protean server service start | stop | status', () => {
  it('starts and stops protean-<domain>.service with systemctl', async () => {
    const { io, output } = await serviceIo();
    const { systemd, calls } = fakeSystemd();
    await runServiceAction('start', {}, io, systemd);
    await runServiceAction('stop', {}, io, systemd);
    expect(calls).toEqual(['start protean-shop.service', 'stop protean-shop.service']);
    expect(output.stdout).toContain('started protean-shop.service');
  });

  it('status prints what systemctl says, and exits 1 when the service is not running', async () => {
    const { io, output } = await serviceIo();
    const { systemd, calls } = fakeSystemd(() => ({
      code: 3,
      stdout: 'Active: inactive (dead)\n',
    }));
    await expect(runServiceAction('status', { user: true }, io, systemd)).rejects.toMatchObject({
      exitCode: 1,
      message: 'protean-shop.service is not running',
    });
    expect(calls).toEqual(['--user status --no-pager protean-shop.service']);
    expect(output.stdout).toBe('Active: inactive (dead)\n');
  });

  it('says how to reach the user manager when systemctl --user has no bus', async () => {
    const { io } = await serviceIo();
    const { systemd } = fakeSystemd(() => ({
      code: 1,
      stderr: 'Failed to connect to bus: No medium found',
    }));
    await expect(runServiceAction('start', { user: true }, io, systemd)).rejects.toMatchObject({
      exitCode: 1,
      message: expect.stringContaining('the systemd user manager of this user is not reachable'),
    });
  });

  it('refuses clearly, before calling systemctl, when systemd is not running', async () => {
    const { io } = await serviceIo();
    const { systemd, calls } = fakeSystemd();
    const absent = { ...systemd, booted: () => false };
    for (const action of ['start', 'stop', 'status'] as const) {
      await expect(runServiceAction(action, {}, io, absent)).rejects.toMatchObject({
        exitCode: 1,
        message: expect.stringContaining('systemd is not running on this machine'),
      });
    }
    expect(calls).toEqual([]);
  });
});
