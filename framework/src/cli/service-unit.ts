/**
 * The systemd unit `protean server service install` writes (and `--print` shows): what it holds
 * and where it goes. Pure functions of their input, so a test can compare the unit the deployment
 * guide shows with what this renders.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A user unit (`systemctl --user`, runs while the user's manager does) or a system one. */
export type ServiceScope = 'user' | 'system';

/**
 * Seconds systemd waits beyond the server's own shutdown timeout before it sends SIGKILL: time
 * to close pools and brokers, flush the log, and the CLI's exit safety net.
 */
export const STOP_TIMEOUT_MARGIN_SECONDS = 10;

/** Everything a unit says. */
export interface UnitInput {
  /** The domain's name: the unit is `protean-<domain>.service`. */
  readonly domain: string;
  readonly scope: ServiceScope;
  /** Where the server runs: relative `--domain` paths and domain.toml are found from here. */
  readonly workingDirectory: string;
  /** Absolute path of the node binary. */
  readonly node: string;
  /** Absolute path of the `protean` bin script. */
  readonly bin: string;
  /** The `--domain` value, when the domain is not found from the working directory alone. */
  readonly domainOption?: string | undefined;
  /** Absolute path of the log directory (`--log-dir`). */
  readonly logDir: string;
  /** `PROTEAN_ENV`: the configuration overlay. */
  readonly proteanEnv: string;
  /** More environment variables (`--env KEY=VALUE`), in order. */
  readonly environment?: readonly (readonly [string, string])[];
  /** The domain's `[server] shutdown_timeout_seconds`. */
  readonly shutdownTimeoutSeconds: number;
  /** The account a system unit runs as; none: root. Ignored for user units. */
  readonly user?: string | undefined;
}

/** The system log directory `install` uses by default; systemd creates it (`LogsDirectory=`). */
export const SYSTEM_LOG_DIR = '/var/log/protean';

/** `protean-<domain>.service`, with characters systemd does not allow in a unit name as `-`. */
export function unitName(domain: string): string {
  return `protean-${domain.replace(/[^A-Za-z0-9:_.-]/g, '-')}.service`;
}

/**
 * Where the unit file goes: `$XDG_CONFIG_HOME/systemd/user/` (default `~/.config/...`) for a user
 * unit, `/etc/systemd/system/` for a system one.
 */
export function unitPath(
  domain: string,
  scope: ServiceScope,
  env: Readonly<Record<string, string | undefined>>,
): string {
  if (scope === 'system') return join('/etc/systemd/system', unitName(domain));
  const config = nonEmpty(env['XDG_CONFIG_HOME']) ?? join(homeOf(env), '.config');
  return join(config, 'systemd', 'user', unitName(domain));
}

/** The log directory when `--log-dir` is not given: `~/.protean/logs`, or `/var/log/protean`. */
export function defaultLogDir(
  scope: ServiceScope,
  env: Readonly<Record<string, string | undefined>>,
): string {
  return scope === 'system' ? SYSTEM_LOG_DIR : join(homeOf(env), '.protean', 'logs');
}

/** The seconds systemd gives the server to stop: its shutdown timeout and a margin. */
export function stopTimeoutSeconds(shutdownTimeoutSeconds: number): number {
  return Math.ceil(shutdownTimeoutSeconds) + STOP_TIMEOUT_MARGIN_SECONDS;
}

/** The text of the unit file. */
export function renderUnit(input: UnitInput): string {
  const command = [input.node, input.bin, 'server'];
  if (input.domainOption !== undefined) command.push('--domain', input.domainOption);
  command.push('--log-dir', input.logDir);
  const system = input.scope === 'system';
  const lines = [
    `# ${unitName(input.domain)}: written by \`protean server service install\`.`,
    '# Edit it and run `systemctl daemon-reload`, or install again to rewrite it.',
    '[Unit]',
    `Description=protean-ts server of the ${input.domain} domain`,
    'After=network-online.target',
    'Wants=network-online.target',
    '',
    '[Service]',
    'Type=simple',
    ...(system && input.user !== undefined ? [`User=${input.user}`] : []),
    `WorkingDirectory=${specifiers(input.workingDirectory)}`,
    environmentLine('PROTEAN_ENV', input.proteanEnv),
    ...(input.environment ?? []).map(([name, value]) => environmentLine(name, value)),
    `ExecStart=${command.map(execWord).join(' ')}`,
    ...(system && input.logDir === SYSTEM_LOG_DIR ? ['LogsDirectory=protean'] : []),
    '# The server shuts down gracefully on SIGTERM; only the main process gets it (it stops',
    '# its --workers itself), and SIGKILL comes only after the shutdown timeout and a margin.',
    'KillMode=mixed',
    `TimeoutStopSec=${stopTimeoutSeconds(input.shutdownTimeoutSeconds)}`,
    'Restart=on-failure',
    'RestartSec=5',
    '# Exit code 2 is bad usage: restarting would not help.',
    'RestartPreventExitStatus=2',
    '',
    '[Install]',
    `WantedBy=${system ? 'multi-user.target' : 'default.target'}`,
  ];
  return `${lines.join('\n')}\n`;
}

/** `Environment=NAME=value`, quoted when the value needs it. */
function environmentLine(name: string, value: string): string {
  const assignment = `${name}=${value}`;
  return `Environment=${needsQuotes(assignment) ? quote(specifiers(assignment)) : specifiers(assignment)}`;
}

/** One word of `ExecStart=`: `%` and `$` escaped (specifiers, variables), quoted if needed. */
function execWord(word: string): string {
  const escaped = specifiers(word).replaceAll('$', '$$$$');
  return needsQuotes(word) ? quote(escaped) : escaped;
}

/** `%` starts a specifier (`%h`) in most unit settings; `%%` is a literal one. */
function specifiers(text: string): string {
  return text.replaceAll('%', '%%');
}

function needsQuotes(text: string): boolean {
  return text === '' || /[\s"'\\;]/.test(text);
}

function quote(text: string): string {
  return `"${text.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`;
}

function homeOf(env: Readonly<Record<string, string | undefined>>): string {
  return nonEmpty(env['HOME']) ?? homedir();
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}
