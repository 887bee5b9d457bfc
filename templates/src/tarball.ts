/**
 * Reads the package.json inside an npm package tarball (`.tgz`): enough of the tar format to find
 * one file, so that a `--framework` tarball can be checked and named before anything is written.
 */
import { gunzipSync } from 'node:zlib';

const BLOCK = 512;

/** The fields of a package manifest create-domain looks at. */
export interface TarballManifest {
  readonly name: string;
  readonly version: string;
}

/**
 * The `name` and `version` of the package in `bytes` (a gzipped tar as `npm pack` writes it), or
 * a reason why there is none.
 *
 * @example
 * readTarballManifest(await readFile('protean-ts-0.1.0.tgz')); // { name: 'protean-ts', version: '0.1.0' }
 */
export function readTarballManifest(bytes: Uint8Array): TarballManifest | { problem: string } {
  let tar: Buffer;
  try {
    tar = gunzipSync(bytes);
  } catch {
    return { problem: 'it is not a gzip file (an npm package tarball is a .tgz)' };
  }
  const content = findEntry(tar, 'package.json');
  if (content === undefined) return { problem: 'it holds no package.json at its top level' };
  try {
    const manifest = JSON.parse(content.toString('utf8')) as Partial<TarballManifest>;
    if (typeof manifest.name === 'string' && typeof manifest.version === 'string') {
      return { name: manifest.name, version: manifest.version };
    }
    return { problem: 'its package.json has no name or no version' };
  } catch {
    return { problem: 'its package.json is not valid JSON' };
  }
}

/** The bytes of the first entry whose path, after the top folder (`package/`), is `path`. */
function findEntry(tar: Buffer, path: string): Buffer | undefined {
  for (let offset = 0; offset + BLOCK <= tar.length;) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((byte) => byte === 0)) return undefined;
    const size = parseInt(text(header, 124, 12).trim() || '0', 8);
    const type = String.fromCharCode(header[156] ?? 0);
    const prefix = text(header, 345, 155);
    const name = prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100);
    const body = offset + BLOCK;
    const regular = type === '0' || type === '\0';
    if (regular && name.split('/').slice(1).join('/') === path) {
      return tar.subarray(body, body + size);
    }
    offset = body + Math.ceil(size / BLOCK) * BLOCK;
  }
  return undefined;
}

function text(header: Buffer, start: number, length: number): string {
  const field = header.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end === -1 ? length : end).toString('utf8');
}
