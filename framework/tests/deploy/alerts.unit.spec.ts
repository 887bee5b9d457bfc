/**
 * deploy/prometheus/protean-alerts.yml against what it relies on: the metrics the observatory
 * defines (names and labels), and its unit tests (each alert has a case where it fires and one
 * where it does not). alerts.e2e.spec.ts runs those tests with promtool.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseYaml } from './yaml.js';

const RULES = fileURLToPath(
  new URL('../../../deploy/prometheus/protean-alerts.yml', import.meta.url),
);
const TESTS = fileURLToPath(
  new URL('../../../deploy/prometheus/protean-alerts.test.yml', import.meta.url),
);

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

interface AlertTest {
  alertname: string;
  exp_alerts: unknown[];
}

async function rules(): Promise<Rule[]> {
  const file = (await parseYaml(await readFile(RULES, 'utf8'))) as { groups: { rules: Rule[] }[] };
  return file.groups.flatMap((group) => group.rules);
}

async function alertTests(): Promise<AlertTest[]> {
  const file = (await parseYaml(await readFile(TESTS, 'utf8'))) as {
    tests: { alert_rule_test: AlertTest[] }[];
  };
  return file.tests.flatMap((test) => test.alert_rule_test);
}

/**
 * The observatory's metrics by name, with their labels. Fails loudly while the observatory's
 * metric definitions do not exist: the rules would watch metrics nobody exposes.
 */
async function observatoryMetrics(): Promise<Map<string, readonly string[]>> {
  const module = '../../src/observatory/metrics.js';
  let metrics: readonly { name: string; labels: readonly string[] }[];
  try {
    ({ METRICS: metrics } = (await import(/* @vite-ignore */ module)) as {
      METRICS: typeof metrics;
    });
  } catch (error) {
    throw new Error(
      `the alert rules use the observatory's metrics, but framework/src/observatory/metrics.ts ` +
        `(METRICS) cannot be loaded yet: ${String(error)}`,
      { cause: error },
    );
  }
  return new Map(metrics.map((metric) => [metric.name, metric.labels]));
}

/** The `protean_*` metric names an expression reads. */
function metricsOf(expr: string): string[] {
  return [...new Set(expr.match(/\bprotean_[a-z_]+\b/g) ?? [])];
}

/** The label names an expression and its annotations use: selectors, by/on, $labels. */
function labelsOf(rule: Rule): string[] {
  const fromExpr = [
    ...[...rule.expr.matchAll(/\{([^}]*)\}/g)].flatMap(([, inner]) =>
      [...(inner ?? '').matchAll(/(\w+)\s*(=|!=|=~|!~)/g)].map(([, name]) => name ?? ''),
    ),
    ...[...rule.expr.matchAll(/\b(?:by|on|without|ignoring)\s*\(([^)]*)\)/g)].flatMap(([, names]) =>
      (names ?? '').split(',').map((name) => name.trim()),
    ),
  ];
  const fromTemplates = Object.values(rule.annotations).flatMap((text) =>
    [...text.matchAll(/\$labels\.(\w+)/g)].map(([, name]) => name ?? ''),
  );
  return [...new Set([...fromExpr, ...fromTemplates])].filter((name) => name !== '');
}

describe('the Prometheus alert rules', () => {
  it('alert on a broken broker or database, dead letters, lag, the outbox, crashes and idle streams', async () => {
    expect((await rules()).map((rule) => rule.alert)).toEqual([
      'ProteanBrokerDown',
      'ProteanDatabaseDown',
      'ProteanDeadLetters',
      'ProteanSubscriptionLagGrowing',
      'ProteanOutboxAbandoned',
      'ProteanSupervisorRestarts',
      'ProteanStreamNotConsumed',
    ]);
  });

  it('each have a severity, a summary and a description', async () => {
    for (const rule of await rules()) {
      expect(['warning', 'critical'], rule.alert).toContain(rule.labels['severity']);
      expect(Object.keys(rule.annotations).sort(), rule.alert).toEqual(['description', 'summary']);
    }
  });

  it('each have a unit test where they fire and one where they stay quiet', async () => {
    const tests = await alertTests();
    for (const { alert } of await rules()) {
      const cases = tests.filter((test) => test.alertname === alert);
      expect(
        cases.some((test) => test.exp_alerts.length > 0),
        `${alert} fires in a test`,
      ).toBe(true);
      expect(
        cases.some((test) => test.exp_alerts.length === 0),
        `${alert} stays quiet in a test`,
      ).toBe(true);
    }
  });

  it('use only metrics the observatory defines, with their labels', async () => {
    const defined = await observatoryMetrics();
    for (const rule of await rules()) {
      const metrics = metricsOf(rule.expr);
      expect(metrics.length, `${rule.alert} reads a protean_ metric`).toBeGreaterThan(0);
      for (const metric of metrics) {
        expect(
          defined.has(metric),
          `${rule.alert} uses ${metric}, which the observatory does not define ` +
            '(framework/src/observatory/metrics.ts)',
        ).toBe(true);
      }
      const labels = new Set(metrics.flatMap((metric) => defined.get(metric) ?? []));
      for (const label of labelsOf(rule)) {
        expect(labels.has(label), `${rule.alert} uses the label ${label}`).toBe(true);
      }
    }
  });
});
