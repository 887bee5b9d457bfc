import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const frameworkRoot = fileURLToPath(new URL('..', import.meta.url));
const FRAME = /(?:\(|\s)((?:file:\/\/)?\/[^\s():]+):\d+:\d+\)?$/;

/**
 * The directory of the module that called into the framework, found on the stack: where
 * `new Domain()` looks for domain.toml when no `root` is given.
 */
export function callerDirectory(): string | undefined {
  for (const line of (new Error().stack ?? '').split('\n').slice(1)) {
    const file = FRAME.exec(line.trim())?.[1];
    if (!file) continue;
    const path = file.startsWith('file://') ? fileURLToPath(file) : file;
    if (!path.startsWith(frameworkRoot) && !path.includes('/node_modules/')) return dirname(path);
  }
  return undefined;
}
