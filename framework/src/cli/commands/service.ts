/** `protean server service install | uninstall | start | stop | status`, declared: ../service.ts runs them. */
import type { ServiceAction } from '../service.js';
import { command, group } from '../define.js';
import { DOMAIN_OPTION } from '../options.js';

/** `--user`: every `service` command takes it. */
const USER_OPTION = {
  flags: '--user',
  description:
    'a user unit (systemctl --user, in $XDG_CONFIG_HOME/systemd/user) instead of a system one ' +
    '(in /etc/systemd/system, needs root)',
} as const;

/** `protean server service install`. */
export const serviceInstall = command({
  name: 'install',
  description: 'write a systemd unit that runs `protean server` for the domain, and load it',
  options: [
    USER_OPTION,
    DOMAIN_OPTION,
    {
      flags: '--log-dir <dir>',
      description:
        'the log folder of the service (default: PROTEAN_LOG_DIR, else ~/.protean/logs for ' +
        'a user unit, /var/log/protean for a system one)',
    },
    {
      flags: '--env <KEY=VALUE...>',
      description:
        'an environment variable of the service (repeatable); PROTEAN_ENV defaults to the ' +
        'current one, else production',
    },
    { flags: '--print', description: 'print the unit instead: write nothing, run nothing' },
  ],
  run: async ({ options, io }): Promise<void> =>
    (await import('../service.js')).runServiceInstall(options, io),
});

function serviceCommand(action: Exclude<ServiceAction, 'install'>, description: string) {
  return command({
    name: action,
    description,
    options: [USER_OPTION, DOMAIN_OPTION],
    run: async ({ options, io }): Promise<void> =>
      (await import('../service.js')).runServiceAction(action, options, io),
  });
}

/** `protean server service`: the domain's server as a systemd service. */
export const service = group({
  name: 'service',
  description: 'run the server as a systemd service: install, start, stop, status, uninstall',
  commands: [
    serviceInstall,
    serviceCommand('start', 'start the installed service (systemctl start)'),
    serviceCommand('stop', 'stop the service gracefully (systemctl stop)'),
    serviceCommand('status', "show the service's state and last lines (systemctl status)"),
    serviceCommand('uninstall', 'stop and disable the service, and remove its unit'),
  ],
  helpAfter: `
The unit is protean-<domain>.service, named after the domain. It restarts the server when it
fails (Restart=on-failure) and gives it [server] shutdown_timeout_seconds plus 10 s to stop.
A user unit starts at login; \`loginctl enable-linger <user>\` starts it at boot.
Where systemd is not running (most containers), run \`protean server\` under the container's
supervision, or \`protean server --daemon\`.
`,
});
