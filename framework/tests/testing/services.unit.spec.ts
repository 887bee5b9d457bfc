import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setup, type SetupProject } from '../../src/testing/global-setup.js';
import {
  IntegrationServicesUnavailableError,
  dockerEndpoint,
  explainSkip,
  maskUrl,
  probeDocker,
  quoteIdentifier,
  deleteRedisKeys,
  resolveIntegrationTier,
  resolveServices,
  type ServiceResolution,
} from '../../src/testing/index.js';

// Nothing listens on ports 1-3 of the loopback: connections are refused at once, no network needed.
const UNREACHABLE = {
  postgres: 'postgresql://postgres@127.0.0.1:1/x',
  redis: 'redis://127.0.0.1:1',
};
const UNREACHABLE_LOCAL = {
  postgres: 'postgresql://postgres@127.0.0.1:2/postgres',
  redis: 'redis://127.0.0.1:3',
};
const NO_DOCKER = `unix://${join(tmpdir(), `no-docker-${randomUUID()}.sock`)}`;

/** A Docker engine as far as `GET /_ping` goes, on a unix socket of its own. */
async function startFakeDockerEngine(
  answer: 'ok' | 'never',
): Promise<{ host: string; close(): Promise<void> }> {
  const socketPath = join(tmpdir(), `fake-docker-${randomUUID()}.sock`);
  const server: Server = createServer((req, res) => {
    if (answer === 'never') return;
    res.writeHead(req.url === '/_ping' ? 200 : 404).end('OK');
  });
  await new Promise<void>((resolve) => server.listen(socketPath, resolve));
  const close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return { host: `unix://${socketPath}`, close };
}

function skipped(resolution: ServiceResolution): Extract<ServiceResolution, { status: 'skipped' }> {
  if (resolution.status !== 'skipped')
    throw new Error(`expected a skipped resolution, got ${resolution.status}`);
  return resolution;
}

describe('resolveServices', () => {
  let docker: Awaited<ReturnType<typeof startFakeDockerEngine>>;
  beforeAll(async () => (docker = await startFakeDockerEngine('ok')));
  afterAll(() => docker.close());

  it('uses DATABASE_URL and REDIS_URL instead of the local defaults when they are set', async () => {
    const env = {
      DATABASE_URL: UNREACHABLE.postgres,
      REDIS_URL: UNREACHABLE.redis,
      DOCKER_HOST: NO_DOCKER,
    };
    const { resolution } = await resolveServices({ env, localUrls: UNREACHABLE_LOCAL });

    const tried = skipped(resolution).attempts.map((attempt) => attempt.tried);
    expect(tried).toEqual([
      `DATABASE_URL=${UNREACHABLE.postgres}`,
      `REDIS_URL=${UNREACHABLE.redis}`,
    ]);
  });

  it('never replaces an unreachable explicit URL by a container, even when Docker answers', async () => {
    const env = { DATABASE_URL: UNREACHABLE.postgres, DOCKER_HOST: docker.host };
    const { resolution } = await resolveServices({ env, localUrls: UNREACHABLE_LOCAL });

    const result = skipped(resolution);
    expect(result.reason).toContain('DATABASE_URL is set but unreachable');
    expect(result.attempts.map((attempt) => attempt.service)).not.toContain('docker');
  });

  it('names the unreachable URL and the driver error in the reason', async () => {
    const env = { DATABASE_URL: UNREACHABLE.postgres, REDIS_URL: UNREACHABLE.redis };
    const { resolution } = await resolveServices({ env });

    const line = explainSkip(skipped(resolution));
    expect(line).toContain(
      'postgres at DATABASE_URL=postgresql://postgres@127.0.0.1:1/x -> connect ECONNREFUSED 127.0.0.1:1',
    );
    expect(line).toContain(
      'redis at REDIS_URL=redis://127.0.0.1:1 -> connect ECONNREFUSED 127.0.0.1:1',
    );
  });

  it('falls back to the local defaults, then to Docker, when no env var is set', async () => {
    const { resolution } = await resolveServices({
      env: { DOCKER_HOST: NO_DOCKER },
      localUrls: UNREACHABLE_LOCAL,
    });

    const result = skipped(resolution);
    expect(result.attempts.map((attempt) => attempt.tried)).toEqual([
      UNREACHABLE_LOCAL.postgres,
      UNREACHABLE_LOCAL.redis,
      `GET /_ping on ${NO_DOCKER.slice('unix://'.length)}`,
    ]);
    expect(result.reason).toBe(
      'PostgreSQL and Redis not reachable, and no Docker engine answered.',
    );
  });

  it('says Docker answered but testcontainers must be installed when the package cannot be loaded', async () => {
    const env = { DOCKER_HOST: docker.host };
    const { resolution } = await resolveServices({
      env,
      localUrls: UNREACHABLE_LOCAL,
      testcontainersModule: 'protean-ts-no-such-testcontainers',
    });

    const { reason } = skipped(resolution);
    expect(reason).toContain(
      'A Docker engine answered, but "protean-ts-no-such-testcontainers" could not be loaded',
    );
    expect(reason).toContain('`npm i -D testcontainers`');
  });

  it('masks passwords in what it reports', async () => {
    const env = {
      DATABASE_URL: 'postgresql://app:s3cret@127.0.0.1:1/app',
      REDIS_URL: UNREACHABLE.redis,
    };
    const line = explainSkip(skipped((await resolveServices({ env })).resolution));

    expect(line).not.toContain('s3cret');
    expect(line).toContain('DATABASE_URL=postgresql://app:***@127.0.0.1:1/app');
    expect(maskUrl('redis://:pa55@cache:6379/0')).toBe('redis://:***@cache:6379/0');
  });
});

describe('resolveIntegrationTier', () => {
  const env = { DATABASE_URL: UNREACHABLE.postgres, REDIS_URL: UNREACHABLE.redis };

  it('fails under CI=true with the explanation of what was tried and how to fix it', async () => {
    const lines: string[] = [];
    const attempt = resolveIntegrationTier({
      env: { ...env, CI: 'true' },
      log: (line) => lines.push(line),
    });

    await expect(attempt).rejects.toThrow(IntegrationServicesUnavailableError);
    await expect(attempt).rejects.toThrow(
      /FAILED \(CI=true\): DATABASE_URL is set but unreachable.*ECONNREFUSED.*docker compose up -d --wait/,
    );
    expect(lines).toEqual([]);
  });

  it('skips outside CI with one line saying why and how to provide the services', async () => {
    const lines: string[] = [];
    const { resolution } = await resolveIntegrationTier({ env, log: (line) => lines.push(line) });

    expect(resolution.status).toBe('skipped');
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain('\n');
    expect(lines[0]).toMatch(
      /^\[protean-ts\] Integration tier \(\*\.int\.spec\.ts\) SKIPPED: .*ECONNREFUSED.*set DATABASE_URL and REDIS_URL/,
    );
  });
});

describe('the vitest global setup', () => {
  function project(
    name: string,
    files: string[],
    queued?: string[],
  ): SetupProject & { provided: unknown[] } {
    const provided: unknown[] = [];
    return {
      name,
      provided,
      provide: (_key, value) => void provided.push(value),
      globTestFiles: async () => ({ testFiles: files, typecheckTestFiles: [] }),
      ...(queued && { vitest: { state: { getPaths: () => queued } } }),
    };
  }
  // Probing these under CI=true would throw, so a setup that returns proves nothing was probed.
  const failingInCi = {
    DATABASE_URL: UNREACHABLE.postgres,
    REDIS_URL: UNREACHABLE.redis,
    CI: 'true',
  };
  const noLog = () => expect.unreachable('nothing should be logged');

  it('resolves and prints the skip line once per run, however many projects set up', async () => {
    const env = {
      DATABASE_URL: `postgresql://postgres@127.0.0.1:1/${randomUUID()}`,
      REDIS_URL: UNREACHABLE.redis,
    };
    const lines: string[] = [];
    const projects = ['a', 'b', 'c'].map((name) => project(name, [`/repo/${name}/x.int.spec.ts`]));

    for (const each of projects) await setup(each, { env, log: (line) => lines.push(line) });

    expect(lines).toHaveLength(1);
    expect(projects.map((each) => (each.provided[0] as ServiceResolution).status)).toEqual([
      'skipped',
      'skipped',
      'skipped',
    ]);
  });

  it('resolves nothing for a project without integration or e2e files, even under CI=true', async () => {
    const unitOnly = project('docs', ['/repo/docs/a.unit.spec.ts']);

    await setup(unitOnly, { env: failingInCi, log: noLog });

    expect(unitOnly.provided).toEqual([
      {
        status: 'skipped',
        reason: expect.stringContaining('project "docs" runs no *.int.spec.ts'),
        attempts: [],
      },
    ]);
  });

  it('resolves nothing when the run queues only the unit files of a project, even under CI=true', async () => {
    const files = ['/repo/framework/a.unit.spec.ts', '/repo/framework/b.int.spec.ts'];
    const unitRun = project('framework', files, ['/repo/framework/a.unit.spec.ts']);

    await setup(unitRun, { env: failingInCi, log: noLog });

    expect((unitRun.provided[0] as ServiceResolution).status).toBe('skipped');
  });

  it('fails under CI=true when the run queues an integration file and the services are unreachable', async () => {
    const files = ['/repo/framework/a.unit.spec.ts', '/repo/framework/b.int.spec.ts'];
    const intRun = project('framework', files, files);

    await expect(setup(intRun, { env: failingInCi, log: noLog })).rejects.toThrow(
      IntegrationServicesUnavailableError,
    );
  });
});

describe('Docker engine detection', () => {
  it('detects an engine that answers GET /_ping on the socket named by DOCKER_HOST', async () => {
    const engine = await startFakeDockerEngine('ok');
    try {
      expect(await probeDocker(dockerEndpoint(engine.host), 500)).toEqual({ ok: true });
    } finally {
      await engine.close();
    }
  });

  it('gives up on an engine that does not answer within the timeout', async () => {
    const engine = await startFakeDockerEngine('never');
    try {
      expect(await probeDocker(dockerEndpoint(engine.host), 200)).toEqual({
        ok: false,
        reason: 'no answer to GET /_ping within 200 ms',
      });
    } finally {
      await engine.close();
    }
  });

  it('reads unix and tcp DOCKER_HOST values and defaults to /var/run/docker.sock', () => {
    expect(dockerEndpoint(undefined)).toEqual({ socketPath: '/var/run/docker.sock' });
    expect(dockerEndpoint('unix:///run/user/1000/docker.sock')).toEqual({
      socketPath: '/run/user/1000/docker.sock',
    });
    expect(dockerEndpoint('tcp://10.0.0.5:2376')).toEqual({ host: '10.0.0.5', port: 2376 });
  });
});

describe('isolation helpers', () => {
  it('refuses identifiers that are not plain lower-case names', () => {
    expect(quoteIdentifier('protean_test_1a2b')).toBe('"protean_test_1a2b"');
    expect(() => quoteIdentifier('x"; DROP DATABASE postgres; --')).toThrow(
      /Invalid identifier "x\\"; DROP/,
    );
    expect(() => quoteIdentifier('a'.repeat(64))).toThrow(/1 to 63 lower-case letters/);
  });

  it('refuses to delete Redis keys under an empty prefix', async () => {
    await expect(deleteRedisKeys(UNREACHABLE.redis, '')).rejects.toThrow(
      /empty prefix, which would match every key/,
    );
  });
});
