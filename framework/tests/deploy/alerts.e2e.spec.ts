/**
 * The Prometheus alert rules, checked by Prometheus's own tool: `promtool check rules` (syntax,
 * PromQL, templates) and `promtool test rules` (each alert fires, or not, on given series).
 * promtool comes with Debian's `prometheus` package; CI installs it and fails without it.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run, toolAvailable } from './tools.js';

const dir = fileURLToPath(new URL('../../../deploy/prometheus/', import.meta.url));

const promtool = toolAvailable('promtool', 'apt-get install prometheus', true);

describe.runIf(promtool)('the Prometheus alert rules, with promtool', { timeout: 60_000 }, () => {
  it('pass promtool check rules', async () => {
    const result = await run('promtool', ['check', 'rules', `${dir}protean-alerts.yml`]);
    expect(result, result.stdout + result.stderr).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('SUCCESS: 7 rules found');
  });

  it('pass their unit tests: promtool test rules', async () => {
    const result = await run('promtool', ['test', 'rules', `${dir}protean-alerts.test.yml`]);
    expect(result, result.stdout + result.stderr).toMatchObject({ code: 0 });
    expect(result.stdout).toContain('SUCCESS');
  });
});
