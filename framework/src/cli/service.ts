/**
 * `protean server service ...`: the domain's server as a systemd service. `install` writes the unit
 * (service-unit.ts renders it) and loads it; the others hand over to `systemctl`, and say what to
 * do instead where systemd is not running (most containers).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Domain } from '../domain/domain.js';
import type { serviceInstall } from './commands/service.js';
import type { OptionsOf, ParsedOptions } from './define.js';
import { discoverDomain } from './discovery.js';
import { CommandFailure, ExitCode, describeError } from './exit.js';
import type { CliIo } from './io.js';
import { withDomain } from './operator.js';
import type { DOMAIN_OPTION } from './options.js';
import { defaultLogDir, renderUnit, unitName, unitPath } from './service-unit.js';
import type { ServiceScope, UnitInput } from './service-unit.js';

/** What `protean server service` can do. */
export type ServiceAction = 'install' | 'uninstall' | 'start' | 'stop' | 'status';

/** Options of `protean server service install`: `user`, `domain`, `logDir`, `env`, `print`. */
export type ServiceInstallOptions = OptionsOf<typeof serviceInstall>;

/** Options of the other `service` commands: `user` and `domain`. */
export type ServiceOptions = ParsedOptions<readonly [typeof DOMAIN_OPTION]> & { user?: boolean };

/** How a `systemctl` run ended. */
export interface SystemctlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** What the service commands need of systemd, so tests can stand in for it. */
export interface Systemd {
  /** Whether systemd is the init system here (as `sd_booted()` tells). */
  booted(): boolean;
  /** Runs `systemctl [--user] ...args`; a missing `systemctl` is code 127. */
  systemctl(scope: ServiceScope, args: readonly string[]): Promise<SystemctlResult>;
}

/** The `protean` bin script the unit runs. */
const BIN = fileURLToPath(new URL('../../bin/protean.js', import.meta.url));

/** The machine's systemd: `/run/systemd/system` exists when it booted the machine. */
export const hostSystemd: Systemd = {
  booted: () => existsSync('/run/systemd/system'),
  systemctl: (scope, args) =>
    new Promise((done) => {
      const argv = scope === 'user' ? ['--user', ...args] : [...args];
      execFile('systemctl', argv, { timeout: 60_000 }, (error, stdout, stderr) => {
        const code = (error as { code?: unknown } | null)?.code;
        done({
          code: error === null ? 0 : typeof code === 'number' ? code : 127,
          stdout,
          stderr: stderr || (error && typeof code !== 'number' ? error.message : ''),
        });
      });
    }),
};

/**
 * Runs `protean server service install`: loads the domain (for its name and shutdown timeout),
 * renders the unit and prints it (`--print`), or writes it, then `daemon-reload` and `enable`.
 * Where systemd is not running the unit is written all the same, with a note.
 *
 * @throws CommandFailure: exit 2 for an `--env` without `=`; exit 1 when the domain does not
 *   load or the file cannot be written.
 */
export async function runServiceInstall(
  options: ServiceInstallOptions,
  io: CliIo,
  systemd: Systemd = hostSystemd,
): Promise<void> {
  const scope = scopeOf(options);
  const environment = parseEnvironment(options.env ?? []);
  const input = await withDomain(options, io, (domain) =>
    Promise.resolve(unitInput(options, io, scope, environment, domain)),
  );
  const text = renderUnit(input);
  if (options.print) {
    io.out(text);
    return;
  }
  const name = unitName(input.domain);
  const path = unitPath(input.domain, scope, io.env);
  const existed = existsSync(path);
  await writeUnit(path, text, scope);
  io.out(`${existed ? 'rewrote' : 'wrote'} ${path}\n`);
  if (!systemd.booted()) {
    io.err(`protean: note: ${notBooted('load it')}\n`);
    return;
  }
  await systemctl(systemd, scope, ['daemon-reload']);
  await systemctl(systemd, scope, ['enable', name]);
  io.out(
    `enabled ${name}; start it with \`protean server service start${flag(scope)}\`` +
      (scope === 'user' ? ' (`loginctl enable-linger` starts it at boot)' : '') +
      '\n',
  );
}

/**
 * Runs `protean server service start | stop | status | uninstall`: finds the domain (for the
 * unit's name) and calls `systemctl`. `status` prints systemctl's report and exits 1 unless the
 * service is running.
 *
 * @throws CommandFailure (exit 1) when systemd is not running, systemctl fails, or there is no
 *   unit to uninstall.
 */
export async function runServiceAction(
  action: Exclude<ServiceAction, 'install'>,
  options: ServiceOptions,
  io: CliIo,
  systemd: Systemd = hostSystemd,
): Promise<void> {
  const scope = scopeOf(options);
  const { domain } = await discoverDomain({ domain: options.domain, cwd: io.cwd, env: io.env });
  const name = unitName(domain.name);
  if (action === 'uninstall') return uninstall(domain.name, scope, io, systemd);
  if (!systemd.booted()) throw new CommandFailure(notBooted(`${action} ${name}`));
  if (action === 'status') return status(name, scope, io, systemd);
  await systemctl(systemd, scope, [action, name]);
  io.out(
    action === 'start'
      ? `started ${name}; \`protean server service status${flag(scope)}\` shows how it is doing\n`
      : `stopped ${name}\n`,
  );
}

/** What the unit of `domain` says, from the options, the environment and its configuration. */
function unitInput(
  options: ServiceInstallOptions,
  io: CliIo,
  scope: ServiceScope,
  environment: readonly (readonly [string, string])[],
  domain: Domain,
): UnitInput {
  const proteanEnv = environment.find(([name]) => name === 'PROTEAN_ENV')?.[1];
  const logDir =
    nonEmpty(options.logDir) ?? nonEmpty(io.env['PROTEAN_LOG_DIR']) ?? defaultLogDir(scope, io.env);
  const sudoUser = nonEmpty(io.env['SUDO_USER']);
  return {
    domain: domain.name,
    scope,
    workingDirectory: io.cwd,
    node: process.execPath,
    bin: BIN,
    // The domain as this command found it; the current folder needs nothing (WorkingDirectory).
    domainOption: nonEmpty(io.env['PROTEAN_DOMAIN']) ?? nonEmpty(options.domain),
    logDir: resolve(io.cwd, logDir),
    proteanEnv: proteanEnv ?? nonEmpty(io.env['PROTEAN_ENV']) ?? 'production',
    environment: environment.filter(([name]) => name !== 'PROTEAN_ENV'),
    shutdownTimeoutSeconds: domain.config.server.shutdown_timeout_seconds,
    // Installed with sudo: the service runs as the user who asked, not as root.
    user: sudoUser === 'root' ? undefined : sudoUser,
  };
}

/**
 * `--env` values as `[name, value]` pairs.
 *
 * @throws CommandFailure (exit 2) for one without `=` or with a name that is not a variable name.
 */
export function parseEnvironment(pairs: readonly string[]): [string, string][] {
  return pairs.map((pair) => {
    const at = pair.indexOf('=');
    const name = at < 0 ? pair : pair.slice(0, at);
    if (at < 0 || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
      throw new CommandFailure(
        `--env expects KEY=VALUE with KEY a variable name (letters, digits, _), received ` +
          `"${pair}"; for example --env DATABASE_URL=postgresql://db/shop`,
        ExitCode.usage,
      );
    }
    return [name, pair.slice(at + 1)];
  });
}

function scopeOf(options: { user?: boolean | undefined }): ServiceScope {
  return options.user ? 'user' : 'system';
}

async function writeUnit(path: string, text: string, scope: ServiceScope): Promise<void> {
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, text);
  } catch (error) {
    const fix =
      scope === 'system'
        ? 'a system unit needs root: run it with sudo, or pass --user for a user unit'
        : 'check that this user may write there ($XDG_CONFIG_HOME, else ~/.config)';
    throw new CommandFailure(`cannot write ${path} (${describeError(error)}): ${fix}`, 1, {
      cause: error,
    });
  }
}

async function uninstall(
  domain: string,
  scope: ServiceScope,
  io: CliIo,
  systemd: Systemd,
): Promise<void> {
  const name = unitName(domain);
  const path = unitPath(domain, scope, io.env);
  if (!existsSync(path)) {
    const other = scope === 'user' ? 'without --user' : 'with --user';
    throw new CommandFailure(`${name} is not installed: there is no ${path} (try ${other}?)`);
  }
  const booted = systemd.booted();
  if (booted) await systemctl(systemd, scope, ['disable', '--now', name]);
  await rm(path);
  io.out(`${booted ? 'stopped and disabled ' + name + ', ' : ''}removed ${path}\n`);
  if (booted) await systemctl(systemd, scope, ['daemon-reload']);
  else io.err(`protean: note: ${notBooted('stop or unload it')}\n`);
}

async function status(
  name: string,
  scope: ServiceScope,
  io: CliIo,
  systemd: Systemd,
): Promise<void> {
  const result = await systemd.systemctl(scope, ['status', '--no-pager', name]);
  io.out(result.stdout);
  if (result.code === 0) return;
  unavailable(result, scope);
  // systemctl status: 3 inactive or failed, 4 no such unit.
  throw new CommandFailure(
    result.code === 4
      ? `${name} is not installed: run \`protean server service install${flag(scope)}\` first`
      : `${name} is not running${result.stderr ? `: ${result.stderr.trim()}` : ''}`,
  );
}

/** Runs systemctl; a failure ends the command with what systemctl said. */
async function systemctl(
  systemd: Systemd,
  scope: ServiceScope,
  args: readonly string[],
): Promise<void> {
  const result = await systemd.systemctl(scope, args);
  if (result.code === 0) return;
  unavailable(result, scope);
  const said = result.stderr.trim() || result.stdout.trim() || `exit code ${result.code}`;
  throw new CommandFailure(`systemctl${flag(scope)} ${args.join(' ')} failed: ${said}`);
}

/** Throws the explanation when systemctl could not reach systemd at all. */
function unavailable(result: SystemctlResult, scope: ServiceScope): void {
  if (result.code === 127) {
    throw new CommandFailure(`systemctl was not found: ${notBooted('do it')}`);
  }
  if (scope === 'user' && /Failed to connect to (user scope )?bus/i.test(result.stderr)) {
    throw new CommandFailure(
      `the systemd user manager of this user is not reachable (${result.stderr.trim()}): run ` +
        'it from a login session of that user (not su or sudo), or use a system unit (no --user)',
    );
  }
}

/** The explanation, when systemd is not the init system, for what could not be done. */
function notBooted(what: string): string {
  return (
    `systemd is not running on this machine (it is not process 1, as in most containers), ` +
    `so nothing can ${what}. Here, run \`protean server\` under the container's own ` +
    'supervision (see the deployment guide), or detach it with `protean server --daemon ' +
    '--log-dir <dir>`.'
  );
}

function flag(scope: ServiceScope): string {
  return scope === 'user' ? ' --user' : '';
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
