/**
 * Run in a fresh Node process by side-effects.unit.spec.ts: imports the entry points given as
 * arguments (`protean-ts`, `protean-ts/server`, ...) and prints, as JSON on stdout, what changed in
 * the process meanwhile. Only dynamic imports, so that nothing of protean-ts loads before the
 * "before" picture is taken.
 */
import type { Logger } from '../../src/ports/logger.js';

const PORTS = ['database', 'event_store', 'broker', 'outbox', 'idempotency'] as const;
const EVENTS = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'uncaughtException', 'warning'];

function picture(): { globals: string[]; listeners: Record<string, number>; env: string } {
  return {
    globals: Reflect.ownKeys(globalThis).map(String).sort(),
    listeners: Object.fromEntries(EVENTS.map((event) => [event, process.listenerCount(event)])),
    env: JSON.stringify(Object.entries(process.env).sort()),
  };
}

// The logger module is the one the entries share (same file); a default set before the imports
// must still be the default after them.
const { defaultLogger, setDefaultLogger } = await import('../../src/ports/logger.js');
const sentinel: Logger = { debug() {}, info() {}, warn() {}, error() {} };
setDefaultLogger(sentinel);

const before = picture();
for (const entry of process.argv.slice(2)) await import(entry);
const after = picture();

const { registeredProviders } = await import('../../src/ports/registry.js');
const result = {
  globalsAdded: after.globals.filter((key) => !before.globals.includes(key)),
  listenersAdded: EVENTS.filter((event) => after.listeners[event] !== before.listeners[event]),
  envChanged: after.env !== before.env,
  registered: PORTS.flatMap((port) => registeredProviders(port).map((name) => `${port}:${name}`)),
  defaultLoggerReplaced: defaultLogger() !== sentinel,
};
process.stdout.write(JSON.stringify(result));
