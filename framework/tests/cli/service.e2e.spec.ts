/**
 * `protean server service ...` as a user runs it: the units `--print` shows pass
 * `systemd-analyze verify`, and where systemd is not running (a container, as in CI) install and
 * uninstall still write and remove the unit while start, stop and status say what to do instead.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toolAvailable, verifyUnit } from '../deploy/tools.js';
import { PROTEAN, project, removeProjects } from './fixtures.js';

const bin = fileURLToPath(new URL('../../bin/protean.js', import.meta.url));
const SHOP = `
import { Domain } from '${PROTEAN}';
export const domain = new Domain({ name: 'shop' });
`;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

let root: string;
let home: string;

/** Runs `protean server service ...args` in the shop project, HOME and XDG_CONFIG_HOME in `home`. */
function service(args: string[]): Promise<Outcome> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    HOME: home,
    XDG_CONFIG_HOME: join(home, 'config'),
  };
  for (const name of ['PROTEAN_DOMAIN', 'PROTEAN_ENV', 'PROTEAN_LOG_DIR', 'SUDO_USER'])
    delete env[name];
  return promisify(execFile)(process.execPath, [bin, 'server', 'service', ...args], {
    cwd: root,
    env,
    timeout: 30_000,
  }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: Outcome) => error,
  );
}

beforeAll(async () => {
  root = await project({ 'domain.ts': SHOP });
  home = await mkdtemp(join(tmpdir(), 'protean-home-'));
});
afterAll(async () => {
  await removeProjects();
  await rm(home, { recursive: true, force: true });
});

const analyze = toolAvailable('systemd-analyze', 'it comes with systemd');

describe.runIf(analyze)('the unit install --print shows', { timeout: 30_000 }, () => {
  it('passes systemd-analyze --user verify as a user unit', async () => {
    const printed = await service(['install', '--user', '--print']);
    expect(printed.code).toBe(0);
    const verified = await verifyUnit('protean-shop.service', printed.stdout, 'user');
    expect(verified).toMatchObject({ code: 0, stderr: '' });
  });

  it('passes systemd-analyze verify as a system unit', async () => {
    const printed = await service(['install', '--print', '--env', 'DATABASE_URL=postgresql://db']);
    expect(printed.code).toBe(0);
    const verified = await verifyUnit('protean-shop.service', printed.stdout, 'system');
    expect(verified).toMatchObject({ code: 0, stderr: '' });
  });
});

// Where systemd runs (a developer's machine), these would start real services: skipped, loudly.
const booted = existsSync('/run/systemd/system');
if (booted) console.warn('\n!!! SKIPPING the no-systemd service tests: systemd is running here\n');

describe.skipIf(booted)('protean server service without systemd', { timeout: 30_000 }, () => {
  it('start, stop and status exit 1 and say that systemd is not running, and what to do', async () => {
    for (const action of ['start', 'stop', 'status']) {
      const { code, stderr } = await service([action, '--user']);
      expect(code).toBe(1);
      expect(stderr).toContain('systemd is not running on this machine');
      expect(stderr).toContain('protean server --daemon');
    }
  });

  it('install --user writes the unit under XDG_CONFIG_HOME with a note; uninstall removes it', async () => {
    const unitFile = join(home, 'config/systemd/user/protean-shop.service');
    const installed = await service(['install', '--user']);
    expect(installed.code).toBe(0);
    expect(installed.stdout).toContain(`wrote ${unitFile}`);
    expect(installed.stderr).toContain('note: systemd is not running on this machine');
    expect(await readFile(unitFile, 'utf8')).toContain('\nRestart=on-failure\n');

    const removed = await service(['uninstall', '--user']);
    expect(removed.code).toBe(0);
    expect(removed.stdout).toContain(`removed ${unitFile}`);
    expect(existsSync(unitFile)).toBe(false);
  });
});
