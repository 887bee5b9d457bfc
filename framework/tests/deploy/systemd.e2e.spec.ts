/**
 * The systemd unit the deployment guide shows passes `systemd-analyze verify`. The check needs
 * the ExecStart binary to exist: where node is not /usr/bin/node, this node stands in for it.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toolAvailable, verifyUnit } from './tools.js';

const UNIT = fileURLToPath(
  new URL('../../../deploy/systemd/protean-bookshelf.service', import.meta.url),
);

const analyze = toolAvailable('systemd-analyze', 'it comes with systemd');

describe.runIf(analyze)('deploy/systemd/protean-bookshelf.service', { timeout: 30_000 }, () => {
  it('passes systemd-analyze verify, without a warning', async () => {
    const unit = (await readFile(UNIT, 'utf8')).replace(
      'ExecStart=/usr/bin/node ',
      `ExecStart=${process.execPath} `,
    );
    const result = await verifyUnit('protean-bookshelf.service', unit, 'system');
    expect(result).toMatchObject({ code: 0, stderr: '' });
  });
});
