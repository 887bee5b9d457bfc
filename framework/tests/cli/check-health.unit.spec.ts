import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { PROTEAN, captureIo, project, removeProjects } from './fixtures.js';

const HEALTHY = `import { Domain } from '${PROTEAN}';
export const domain = new Domain({ name: 'shop' });`;

// A Redis broker where nothing listens: the domain cannot start.
const NO_REDIS = `import { Domain } from '${PROTEAN}';
export const domain = new Domain({
  name: 'shop',
  config: { brokers: { default: { provider: 'redis', URI: 'redis://127.0.0.1:1/0', connect_timeout_ms: 200 } } },
});`;

let cwd: string;
beforeAll(async () => {
  cwd = await project({ 'domain.ts': HEALTHY, 'no-redis.ts': NO_REDIS });
});
afterAll(removeProjects);

async function checkHealth(args: string[] = []) {
  const { io, output } = captureIo({ cwd });
  return { code: await runCli(['check-health', ...args], io), ...output };
}

describe('protean check-health', () => {
  it('prints one line per check and exits 0 when everything answers', async () => {
    // #region check-health
    const { code, stdout, stderr } = await checkHealth();
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(
      /^ok {6}database \(\d+ ms\)\nok {6}event_store \(\d+ ms\)\nok {6}broker \(\d+ ms\)\n$/,
    );
    // #endregion check-health
  });

  it('prints the readiness report with --json', async () => {
    const { code, stdout } = await checkHealth(['--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      ready: true,
      shuttingDown: false,
      checks: { database: { ok: true }, event_store: { ok: true }, broker: { ok: true } },
    });
  });

  it('exits 1 with the reason when the domain cannot start its broker', async () => {
    const { code, stderr } = await checkHealth(['--domain', 'no-redis.ts']);
    expect(code).toBe(1);
    expect(stderr).toContain('redis://127.0.0.1:1/0');
  });

  it('rejects a bad --timeout-ms as bad usage', async () => {
    const { code, stderr } = await checkHealth(['--timeout-ms', '0']);
    expect(code).toBe(2);
    expect(stderr).toContain('expected a whole number > 0, received "0"');
  });
});
