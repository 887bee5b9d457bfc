/**
 * Redis faults under a running `protean server`: restarted empty, the consumer groups are
 * recreated, loudly, without a hot error loop, and processing resumes; paused, readiness degrades
 * and recovers and nothing is lost. The Redis server here is one of this file's own, on a free
 * port, so that the others are not disturbed.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { describeIntegration } from '../../../src/testing/index.js';
import { Scene, deposit, drained } from './harness.js';

const scene = new Scene();
let redis: ChildProcess | undefined;
let port = 0;

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port: free } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return free;
}

/** Starts an empty redis-server on `port` and resolves once it answers PING. */
async function startRedis(): Promise<ChildProcess> {
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const { Redis } = await import('ioredis');
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, retryStrategy: null });
    client.on('error', () => undefined); // refused until the server listens
    const answered = await client.connect().then(
      () => client.ping(),
      () => undefined,
    );
    client.disconnect();
    if (answered === 'PONG') return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`redis-server did not answer on port ${port}`);
}

/** Sends one command to the file's Redis server on a connection of its own. */
async function redisCommand(...args: string[]): Promise<void> {
  const { Redis } = await import('ioredis');
  const client = new Redis({ port, host: '127.0.0.1', retryStrategy: null });
  client.on('error', () => undefined); // the connection drops when the server goes
  await client.call(args[0]!, ...args.slice(1)).catch(() => undefined);
  client.disconnect();
}

/** SHUTDOWN NOSAVE: everything in it is gone. */
async function shutdownRedis(): Promise<void> {
  const exited = new Promise((resolve) => redis?.once('exit', resolve));
  await redisCommand('SHUTDOWN', 'NOSAVE');
  await exited;
}

async function readiness(url: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${url}/readyz`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  port = await freePort();
  redis = await startRedis();
});

afterEach(() => scene.close());

afterAll(() => {
  redis?.kill('SIGKILL');
});

describeIntegration('protean server when Redis fails', () => {
  it('turns unready while Redis is paused, recovers after, and loses nothing', async () => {
    const world = await scene.open({ REDIS_URL: `redis://127.0.0.1:${port}/0` });
    const server = scene.server();
    await server.started();
    const health = await server.waitForLine((line) => line['port'] !== undefined);
    const url = `http://127.0.0.1:${String(health['port'])}`;
    expect((await readiness(url)).status).toBe(200);
    const expected = await deposit(world, 20);
    expect(await drained(world, expected)).toEqual(expected);

    await redisCommand('CLIENT', 'PAUSE', '3000', 'ALL');
    const paused = await readiness(url);
    expect(paused.status).toBe(503);
    expect(paused.body).toMatchObject({ ready: false, checks: { broker: { ok: false } } });
    // Commands keep committing meanwhile: their events wait in the outbox.
    await deposit(world, 20, { first: 20, expected });

    expect(await drained(world, expected)).toEqual(expected);
    await expect.poll(async () => (await readiness(url)).status, { timeout: 10_000 }).toBe(200);
    server.signal('SIGTERM');
    expect((await server.exited).code).toBe(0);
  }, 60_000);

  it('recreates the consumer groups and resumes processing, without a hot loop', async () => {
    const world = await scene.open({ REDIS_URL: `redis://127.0.0.1:${port}/0` });
    const server = scene.server();
    await server.started();
    const expected = await deposit(world, 30);
    expect(await drained(world, expected)).toEqual(expected);

    await shutdownRedis();
    const downAt = server.lines.length;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    redis = await startRedis();

    await deposit(world, 30, { first: 30, expected });
    expect(await drained(world, expected)).toEqual(expected);
    const recreated = await server.waitForLine(
      (line) =>
        line['msg'] === 'consumer group is missing (did the broker restart empty?); recreating it',
    );
    expect(recreated).toMatchObject({ level: 'warn' });
    // Backoff, not a hot loop: a bounded number of complaints per subscription while it was down.
    const complaints = server.lines
      .slice(downAt)
      .filter((line) => line['level'] === 'warn' || line['level'] === 'error');
    expect(complaints.length).toBeGreaterThan(0);
    expect(complaints.length).toBeLessThan(30);

    server.signal('SIGTERM');
    expect((await server.exited).code).toBe(0);
  }, 60_000);
});
