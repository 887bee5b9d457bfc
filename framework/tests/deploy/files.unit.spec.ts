/**
 * The files of deploy/ that the deployment guide shows, read and checked: the systemd unit is
 * what `protean server service install` renders; the Dockerfile's instructions build, in two
 * stages, as a non-root user, with node (not npx) as process 1; the compose service and the
 * Kubernetes Deployment probe the health endpoints and wait longer than the server's shutdown
 * timeout before killing it.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderUnit, stopTimeoutSeconds } from '../../src/cli/service-unit.js';
import { defaultConfig } from '../../src/config/defaults.js';
import { dockerfileProblems, execForm, parseDockerfile, stagesOf } from './dockerfile.js';
import { parseYaml } from './yaml.js';

const deploy = (path: string) => fileURLToPath(new URL(`../../../deploy/${path}`, import.meta.url));
const read = (path: string) => readFile(deploy(path), 'utf8');

const { shutdown_timeout_seconds: shutdownTimeout, health } = defaultConfig().server;

/** The lines between `#region name` and `#endregion name`, as the guide shows them. */
function region(text: string, name: string): string {
  const lines = text.split('\n');
  const start = lines.indexOf(`#region ${name}`);
  const end = lines.indexOf(`#endregion ${name}`);
  if (start < 0 || end < start) throw new Error(`no region ${name}`);
  return `${lines.slice(start + 1, end).join('\n')}\n`;
}

/** Seconds of a duration such as `20s`, `1m30s`. */
function seconds(duration: string): number {
  let total = 0;
  for (const [, amount, unit] of duration.matchAll(/(\d+)(h|m|s)/g)) {
    total += Number(amount) * { h: 3600, m: 60, s: 1 }[unit as 'h' | 'm' | 's'];
  }
  return total;
}

/** The exec-form command a container runs. */
function expectNodeAsProcessOne(command: unknown): void {
  expect(command).toEqual(['node', 'node_modules/.bin/protean', 'server']);
}

describe('deploy/systemd/protean-bookshelf.service', () => {
  it('is the unit protean server service install renders for the bookshelf domain', async () => {
    const shown = region(await read('systemd/protean-bookshelf.service'), 'unit');
    const rendered = renderUnit({
      domain: 'bookshelf',
      scope: 'system',
      workingDirectory: '/srv/bookshelf',
      node: '/usr/bin/node',
      bin: '/srv/bookshelf/node_modules/protean-ts/bin/protean.js',
      domainOption: 'src/domain.ts',
      logDir: '/var/log/protean',
      proteanEnv: 'production',
      environment: [
        ['DATABASE_URL', 'postgresql://bookshelf@db.internal/bookshelf'],
        ['REDIS_URL', 'redis://cache.internal:6379'],
      ],
      shutdownTimeoutSeconds: shutdownTimeout,
      user: 'bookshelf',
    });
    expect(shown).toBe(rendered);
    expect(shown).toContain(`\nTimeoutStopSec=${stopTimeoutSeconds(shutdownTimeout)}\n`);
  });
});

describe('deploy/docker/Dockerfile', () => {
  it('is made of instructions docker build accepts', async () => {
    const file = parseDockerfile(await read('docker/Dockerfile'));
    expect(file.directives).toEqual({ syntax: 'docker/dockerfile:1' });
    expect(dockerfileProblems(file)).toEqual([]);
  });

  it('installs dependencies in one stage and runs from another, as a user that is not root', async () => {
    const stages = stagesOf(parseDockerfile(await read('docker/Dockerfile')));
    expect(stages.map((stage) => stage.name)).toEqual(['dependencies', 'runtime']);
    const runtime = stages.at(-1)!;
    const users = runtime.instructions.filter((instruction) => instruction.keyword === 'USER');
    expect(users.at(-1)?.args).toBe('node');
    const copies = runtime.instructions.filter((instruction) => instruction.keyword === 'COPY');
    expect(copies.map((copy) => copy.args)).toContain(
      '--from=dependencies /app/node_modules ./node_modules',
    );
  });

  it('runs node as process 1, exposing the health port', async () => {
    const runtime = stagesOf(parseDockerfile(await read('docker/Dockerfile'))).at(-1)!;
    const last = (keyword: string) =>
      runtime.instructions.filter((instruction) => instruction.keyword === keyword).at(-1)?.args;
    expectNodeAsProcessOne(execForm(last('CMD') ?? ''));
    expect(last('ENTRYPOINT')).toBeUndefined();
    expect(last('EXPOSE')).toBe(String(health.port));
    expect(last('STOPSIGNAL')).toBe('SIGTERM');
  });

  it('comes with a .dockerignore that keeps node_modules and secrets out of the image', async () => {
    const ignored = (await read('docker/.dockerignore'))
      .split('\n')
      .filter((line) => line.trim() !== '' && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.env', '.git']));
  });
});

interface ComposeService {
  environment: Record<string, string>;
  depends_on: Record<string, { condition: string }>;
  restart: string;
  stop_grace_period: string;
  healthcheck: { test: string[] };
}

describe('deploy/docker/compose.yaml', () => {
  it('runs the server after its stores are healthy, restarting it on failure', async () => {
    const compose = (await parseYaml(await read('docker/compose.yaml'))) as {
      services: Record<string, ComposeService>;
    };
    expect(Object.keys(compose.services)).toEqual(['server', 'postgres', 'redis']);
    const server = compose.services['server']!;
    expect(server.environment).toMatchObject({ PROTEAN_ENV: 'production' });
    expect(server.depends_on).toEqual({
      postgres: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
    expect(server.restart).toBe('on-failure');
    expect(seconds(server.stop_grace_period)).toBeGreaterThan(shutdownTimeout);
    expect(server.healthcheck.test.join(' ')).toContain(`127.0.0.1:${health.port}/readyz`);
  });
});

interface Probe {
  httpGet: { path: string; port: string };
}

interface Container {
  command: string[];
  ports: { name: string; containerPort: number }[];
  startupProbe: Probe;
  livenessProbe: Probe;
  readinessProbe: Probe;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  securityContext: Record<string, unknown>;
}

describe('deploy/kubernetes/deployment.yaml', () => {
  async function deployment() {
    return (await parseYaml(await read('kubernetes/deployment.yaml'))) as {
      apiVersion: string;
      kind: string;
      spec: {
        template: {
          spec: {
            terminationGracePeriodSeconds: number;
            securityContext: Record<string, unknown>;
            containers: Container[];
          };
        };
      };
    };
  }

  it('is an apps/v1 Deployment of one container running node as process 1, not as root', async () => {
    const file = await deployment();
    expect(file).toMatchObject({ apiVersion: 'apps/v1', kind: 'Deployment' });
    const pod = file.spec.template.spec;
    expect(pod.containers).toHaveLength(1);
    expectNodeAsProcessOne(pod.containers[0]!.command);
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true });
    expect(pod.containers[0]!.securityContext).toMatchObject({ allowPrivilegeEscalation: false });
  });

  it('probes liveness on /livez and readiness on /readyz, on the health port', async () => {
    const container = (await deployment()).spec.template.spec.containers[0]!;
    expect(container.ports).toEqual([{ name: 'health', containerPort: health.port }]);
    expect(container.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'health' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'health' });
    expect(container.startupProbe.httpGet).toEqual({ path: '/livez', port: 'health' });
  });

  it('gives the server longer than its shutdown timeout, and bounds its resources', async () => {
    const pod = (await deployment()).spec.template.spec;
    expect(pod.terminationGracePeriodSeconds).toBeGreaterThanOrEqual(
      stopTimeoutSeconds(shutdownTimeout),
    );
    const { resources } = pod.containers[0]!;
    expect(Object.keys(resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(resources.limits).sort()).toEqual(['cpu', 'memory']);
  });
});
