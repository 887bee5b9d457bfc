/** A byte-for-byte picture of a folder, to prove that a failed run left it exactly as it was. */
import { lstat, readdir, readFile, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Every entry under `dir`: a file as its bytes (base64) and mode, a folder as `dir` and its mode,
 * a link as its target.
 */
export async function snapshotTree(dir: string, prefix = ''): Promise<Record<string, string>> {
  const picture: Record<string, string> = {};
  for (const name of (await readdir(join(dir, prefix))).sort()) {
    const path = prefix ? `${prefix}/${name}` : name;
    const stats = await lstat(join(dir, path));
    if (stats.isSymbolicLink()) {
      picture[path] = `link -> ${await readlink(join(dir, path))}`;
    } else if (stats.isDirectory()) {
      picture[path] = `dir ${stats.mode.toString(8)}`;
      Object.assign(picture, await snapshotTree(dir, path));
    } else {
      const bytes = await readFile(join(dir, path));
      picture[path] = `file ${stats.mode.toString(8)} ${bytes.toString('base64')}`;
    }
  }
  return picture;
}
