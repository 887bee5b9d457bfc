import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { RetryPolicy } from '../../src/ports/outbox.js';
import { operatorProject, orderPlaced } from './dlq-fixtures.js';
import type { OperatorProjectOptions } from './dlq-fixtures.js';
import { captureIo, removeProjects } from './fixtures.js';

afterAll(removeProjects);

/** Gives up at the first failure. */
const GIVE_UP: RetryPolicy = { maxAttempts: 1, delaySeconds: () => 0, shouldAbandon: () => true };

/** A shop whose outbox holds `pending` rows and `abandoned` ones (each failed once: "broker down"). */
async function shopOutbox(pending: number, abandoned: number, options?: OperatorProjectOptions) {
  const shop = await operatorProject(options);
  const { outbox } = await shop.ports();
  const doomed = Array.from({ length: abandoned }, (_, n) => orderPlaced(`lost-${n}`));
  await outbox.enqueue(doomed);
  const claimed = await outbox.claim({ owner: 'relay', limit: abandoned || 1, leaseSeconds: 60 });
  for (const row of claimed) await outbox.markFailed(row.id, 'relay', 'broker down', GIVE_UP);
  await outbox.enqueue(Array.from({ length: pending }, (_, n) => orderPlaced(`new-${n}`)));
  const run = async (args: string[]) => {
    const { io, output } = captureIo({ cwd: shop.cwd });
    return { code: await runCli(['outbox', ...args], io), ...output };
  };
  return { outbox, run };
}

describe('protean outbox status', () => {
  it('prints the rows per status, then the abandoned ones with their last error', async () => {
    const { run } = await shopOutbox(2, 1);
    // #region outbox-status
    const { code, stdout, stderr } = await run(['status']);
    expect(code).toBe(0);
    const [counts, abandoned] = stdout.split('\n\n');
    expect(counts).toBe(
      [
        'STATUS      COUNT',
        'pending         2',
        'processing      0',
        'published       0',
        'failed          0',
        'abandoned       1',
      ].join('\n'),
    );
    const lines = abandoned!.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'Abandoned, oldest first; `protean outbox retry-abandoned` re-queues them:',
    );
    expect(lines[1]).toMatch(/^ID\s+TYPE\s+BROKER\s+ATTEMPTS\s+FAILED AT\s+LAST ERROR$/);
    expect(lines[2]).toMatch(/\s+Shop\.OrderPlaced\.v1\s+default\s+1\s+\S+Z\s+broker down$/);
    // #endregion outbox-status
    expect(stderr).toContain('the outbox is "memory", which lives inside each process');
  });

  it('prints one JSON document with --json', async () => {
    const { run } = await shopOutbox(1, 1);
    const report = JSON.parse((await run(['status', '--json'])).stdout) as Record<string, unknown>;
    expect(report).toMatchObject({
      domain: 'shop',
      enabled: true,
      counts: { pending: 1, processing: 0, published: 0, failed: 0, abandoned: 1 },
      abandoned: [
        { type: 'Shop.OrderPlaced.v1', broker: 'default', attempts: 1, lastError: 'broker down' },
      ],
    });
  });

  it('says when the outbox is off, and lists no abandoned rows when there are none', async () => {
    const { run } = await shopOutbox(0, 0, { enableOutbox: false });
    const { code, stdout } = await run(['status']);
    expect(code).toBe(0);
    expect(stdout.split('\n')[0]).toBe(
      'The outbox of domain "shop" is off (enable_outbox = false).',
    );
    expect(stdout).not.toContain('Abandoned');
  });
});

describe('protean outbox retry-abandoned', () => {
  it('puts the abandoned rows back to pending with 0 attempts', async () => {
    const { outbox, run } = await shopOutbox(1, 2);
    const { code, stdout } = await run(['retry-abandoned']);
    expect(code).toBe(0);
    expect(stdout).toBe(
      'Re-queued 2 abandoned outbox messages of domain "shop": the outbox processor publishes them again\n',
    );
    expect(await outbox.countByStatus()).toMatchObject({ pending: 3, abandoned: 0 });
    const again = await run(['retry-abandoned']);
    expect(again.stdout).toBe('Re-queued 0 abandoned outbox messages of domain "shop"\n');
  });

  it('documents both commands, with --domain', async () => {
    const { run } = await shopOutbox(0, 0);
    for (const name of ['status', 'retry-abandoned']) {
      const { code, stdout } = await run([name, '--help']);
      expect(code).toBe(0);
      expect(stdout).toContain(`Usage: protean outbox ${name}`);
      expect(stdout).toContain('--domain <spec>');
    }
    expect((await run(['status', '--no-such-flag'])).code).toBe(2);
  });
});
