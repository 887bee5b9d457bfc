import type { ServerOptions } from './server.js';

/**
 * The `protean server` arguments a child server (a worker, or the detached daemon) shares with
 * the command that starts it; each adds its own log directory and health port.
 */
export function sharedServerArguments(options: ServerOptions): string[] {
  const args = ['server'];
  if (options.domain !== undefined) args.push('--domain', options.domain);
  if (options.testMode) args.push('--test-mode');
  if (options.debug) args.push('--debug');
  if (options.logLevel !== undefined) args.push('--log-level', options.logLevel);
  if (options.logFormat !== undefined) args.push('--log-format', options.logFormat);
  return args;
}
