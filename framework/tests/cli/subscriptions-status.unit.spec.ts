import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import { deadLetter } from '../server/dead-letters-cases.js';
import { operatorProject, orderPlaced } from './dlq-fixtures.js';
import type { OperatorProject } from './dlq-fixtures.js';
import { captureIo, removeProjects } from './fixtures.js';

afterAll(removeProjects);

async function status(shop: OperatorProject, args: string[] = []) {
  const { io, output } = captureIo({ cwd: shop.cwd });
  return { code: await runCli(['subscriptions', 'status', ...args], io), ...output };
}

/**
 * Three orders in the event store and on `shop::order`; Notifier has read one (unacknowledged)
 * and dead-lettered one; Mailer's group does not exist yet; Auditor reads the event store.
 */
async function busyShop(): Promise<OperatorProject> {
  const shop = await operatorProject();
  const { broker, event_store } = await shop.ports();
  for (const id of ['o-1', 'o-2', 'o-3']) {
    const event = orderPlaced(id);
    await event_store.append(event.stream, [event]);
    await broker.publish('shop::order', event);
  }
  await broker.ensureGroup('shop::order', 'Notifier');
  await broker.readGroup('shop::order', 'Notifier', 'Notifier-host-1', { count: 1 });
  await broker.publish('shop::order:dlq', deadLetter('shop::order', 'Notifier', 0));
  return shop;
}

describe('protean subscriptions status', () => {
  it('prints name, type, stream, lag, pending and DLQ depth per subscription', async () => {
    // #region status-table
    const { code, stdout, stderr } = await status(await busyShop());
    expect(code).toBe(0);
    expect(stdout).toBe(
      [
        'NAME                  TYPE         STREAM       LAG  PENDING  DLQ',
        'Notifier@shop::order  stream       shop::order    2        1    1',
        'Mailer@shop::order    stream       shop::order    3        0    0',
        'Auditor@shop::order   event_store  shop::order    3        -    -',
        'WebOrders@orders-in   broker       orders-in      0        0    0',
        '',
      ].join('\n'),
    );
    // #endregion status-table
    expect(stderr).toContain('the broker is "inline"');
  });

  it('prints the reports as a JSON array with --json', async () => {
    const { code, stdout } = await status(await busyShop(), ['--json']);
    expect(code).toBe(0);
    const reports = JSON.parse(stdout) as Record<string, unknown>[];
    expect(reports.map((report) => report['name'])).toEqual([
      'Notifier@shop::order',
      'Mailer@shop::order',
      'Auditor@shop::order',
      'WebOrders@orders-in',
    ]);
    expect(reports[2]).toEqual({
      name: 'Auditor@shop::order',
      handler: 'Auditor',
      type: 'event_store',
      stream: 'shop::order',
      lag: 3,
      lagCapped: false,
      pending: null,
      dlqDepth: null,
    });
  });

  it('says so when the domain has nothing to subscribe', async () => {
    const { code, stdout } = await status(await operatorProject({ empty: true }));
    expect(code).toBe(0);
    expect(stdout).toBe(
      'No subscriptions: the domain has no handlers, projectors or subscribers.\n',
    );
  });

  it('documents itself and exits 2 on bad usage', async () => {
    const shop = await operatorProject({ empty: true });
    const help = await status(shop, ['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: protean subscriptions status');
    expect(help.stdout).toContain('--json');
    expect((await status(shop, ['--jsn'])).code).toBe(2);
  });

  it('exits 1 with the message when the domain cannot be found', async () => {
    const { io, output } = captureIo({ cwd: (await operatorProject()).cwd });
    const code = await runCli(['subscriptions', 'status', '--domain', 'missing.ts'], io);
    expect(code).toBe(1);
    expect(output.stderr).toContain('cannot load the domain named by --domain "missing.ts"');
  });
});
