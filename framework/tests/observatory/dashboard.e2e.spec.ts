/**
 * The dashboard as a person uses it: `protean observatory` beside `protean server` on the ledger
 * (PostgreSQL + Redis), opened in headless Chromium. Counts move as deposits are processed, a
 * poisoned deposit shows up under dead letters, and replaying it (after confirming) empties the
 * queue. The screenshot goes to coverage/observatory/dashboard.png (git-ignored).
 */
import { spawn } from 'node:child_process';
import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import type { Browser, Page } from 'playwright-core';
import { afterEach, expect, it } from 'vitest';
import { describeIntegration } from '../../src/testing/index.js';
import { LEDGER, Scene, deposit } from '../server/e2e/harness.js';
import type { LedgerEnv } from '../server/e2e/ledger.js';
import { eventually } from './helpers.js';

const CHROMIUM = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';
const bin = fileURLToPath(new URL('../../bin/protean.js', import.meta.url));
const screenshots = fileURLToPath(new URL('../../../coverage/observatory/', import.meta.url));

const scene = new Scene();
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close().catch(() => undefined);
  await scene.close();
});

/** `protean observatory --domain ledger.ts --port 0` as a user starts it; resolves its URL. */
async function startObservatory(env: LedgerEnv): Promise<string> {
  const environment: NodeJS.ProcessEnv = { ...process.env, ...env };
  for (const name of ['VITEST', 'NODE_ENV', 'PROTEAN_DOMAIN', 'LOG_LEVEL'])
    delete environment[name];
  const child: ChildProcessWithoutNullStreams = spawn(
    process.execPath,
    [bin, 'observatory', '--domain', LEDGER, '--port', '0'],
    { env: environment },
  );
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
  closers.push(async () => {
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
  const match = await eventually(() => /observatory for ledger: (http:\/\/\S+)/.exec(output), {
    what: `the observatory's URL (output so far: ${output})`,
  });
  return match[1]!;
}

async function openBrowser(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  closers.push(() => browser.close());
  return browser;
}

async function numberIn(page: Page, selector: string): Promise<number> {
  return Number((await page.locator(selector).innerText()).replace(/[^\d.]/g, '') || 0);
}

describeIntegration('the observatory dashboard in a browser', () => {
  it.skipIf(!existsSync(CHROMIUM))(
    'shows counts moving, a poisoned message under dead letters, and replays it',
    async () => {
      const world = await scene.open();
      const poisoned = scene.server({ LEDGER_POISON: '13' });
      const [url] = await Promise.all([startObservatory(world.env), poisoned.started()]);

      const page = await (await openBrowser()).newPage({ viewport: { width: 1440, height: 900 } });
      const elsewhere: string[] = [];
      page.on('request', (request) => {
        if (!request.url().startsWith(url)) elsewhere.push(request.url());
      });
      await page.goto(url);
      await page.locator('#live-text', { hasText: 'live' }).waitFor();

      // Deposits until the engine has noticed the observatory and the counts move.
      let sent = 0;
      await eventually(
        async () => {
          await deposit(world, 5, { accounts: 3, first: sent });
          sent += 5;
          return (await numberIn(page, '#kpi-processed .value')) > 0;
        },
        { what: 'handler runs on the dashboard', timeoutMs: 30_000 },
      );
      const before = await numberIn(page, '#kpi-processed .value');
      await deposit(world, 10, { accounts: 3, first: sent });
      await eventually(async () => (await numberIn(page, '#kpi-processed .value')) > before, {
        what: 'the processed count to move',
      });
      await page.locator('#handlers tbody tr', { hasText: 'Totals' }).waitFor();
      await page.locator('#traces tbody tr', { hasText: 'handler.completed' }).first().waitFor();

      // A poisoned deposit: Notifier gives up on it.
      const { Deposit } = world.ledger;
      await world.ledger.domain.process(new Deposit({ accountId: 'account-0', amount: 13 }));
      const letters = page.locator('.dlq-group[data-subscription="Notifier@ledger::account"]');
      await letters.locator('button.replay').waitFor({ timeout: 30_000 });
      await expect.poll(() => letters.innerText()).toContain('refuses amount 13');
      await expect.poll(() => numberIn(page, '#kpi-dlq .value')).toBe(1);
      mkdirSync(screenshots, { recursive: true });
      await page.screenshot({ path: `${screenshots}dashboard.png`, fullPage: true });

      // Fixed: a server without the poison; then the replay, confirmed.
      poisoned.signal('SIGTERM');
      expect((await poisoned.exited).code).toBe(0);
      await scene.server().started();
      const dialogs: string[] = [];
      page.once('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.accept();
      });
      await letters.locator('button.replay').click();
      await page.locator('#toast', { hasText: 'Replayed' }).waitFor();
      expect(dialogs[0]).toMatch(/^Replay dead letter ledger::account:dlq\//);
      await page
        .locator('#dead-letters', { hasText: 'No dead letters.' })
        .waitFor({ timeout: 30_000 });
      await expect.poll(() => numberIn(page, '#kpi-dlq .value')).toBe(0);
      await page.screenshot({ path: `${screenshots}dashboard-replayed.png`, fullPage: true });
      expect(elsewhere).toEqual([]);
    },
    90_000,
  );
});
