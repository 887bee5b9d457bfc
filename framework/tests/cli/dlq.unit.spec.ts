import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';
import type { Broker } from '../../src/ports/broker.js';
import { deadLetter } from '../server/dead-letters-cases.js';
import { operatorProject } from './dlq-fixtures.js';
import type { OperatorProject } from './dlq-fixtures.js';
import { captureIo, removeProjects } from './fixtures.js';

const STREAM = 'shop::order';
const DLQ = 'shop::order:dlq';

let shop: OperatorProject;
let broker: Broker;
/** The ids of the dead letters seeded: Notifier 1, Mailer 2, Notifier 3. */
let ids: string[];

beforeEach(async () => {
  shop = await operatorProject();
  broker = (await shop.ports()).broker;
  ids = [];
  for (const [group, n] of [
    ['Notifier', 1],
    ['Mailer', 2],
    ['Notifier', 3],
  ] as const) {
    ids.push(`${DLQ}/${await broker.publish(DLQ, deadLetter(STREAM, group, n))}`);
  }
});
afterAll(removeProjects);

/** Runs `protean dlq ...` in the shop project, with no terminal unless `answer` is given. */
async function dlq(args: string[], answer?: string) {
  const { io, output } = captureIo({ cwd: shop.cwd });
  if (answer !== undefined) {
    io.isTTY = true;
    io.prompt = (question) => {
      output.questions.push(question);
      return Promise.resolve(answer);
    };
  }
  return { code: await runCli(['dlq', ...args], io), ...output };
}

/** The `n` of every dead letter left in the queue, oldest first. */
async function left(): Promise<unknown[]> {
  return (await broker.range(DLQ)).map((entry) => (entry.payload['payload'] as { n: number }).n);
}

describe('protean dlq list', () => {
  it('prints every dead letter of the domain as a table, with the ids to act on', async () => {
    // #region list-table
    const { code, stdout, stderr } = await dlq(['list']);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+GROUP\s+TYPE\s+ATTEMPTS\s+FAILED AT\s+ERROR$/);
    expect(lines.slice(1).map((line) => line.split(/\s+/).slice(0, 4))).toEqual([
      [ids[0], 'Notifier', 'Shop.OrderPlaced.v1', '3'],
      [ids[1], 'Mailer', 'Shop.OrderPlaced.v1', '3'],
      [ids[2], 'Notifier', 'Shop.OrderPlaced.v1', '3'],
    ]);
    expect(lines[1]).toContain('2024-01-01T00:00:00.000Z  [HANDLER_FAILED] boom 1');
    // #endregion list-table
    expect(stderr).toContain('the broker is "inline", which lives inside each process');
  });

  it("prints one subscription's dead letters as JSON, without their payloads", async () => {
    const { code, stdout } = await dlq(['list', '--subscription', 'Notifier', '--json']);
    expect(code).toBe(0);
    const listed = JSON.parse(stdout) as Record<string, unknown>[];
    expect(listed.map((entry) => entry['id'])).toEqual([ids[0], ids[2]]);
    expect(listed[0]).toEqual({
      id: ids[0],
      deadLetterStream: DLQ,
      entryId: ids[0]!.slice(DLQ.length + 1),
      deadLetter: true,
      originalId: '1700000000001-0',
      stream: STREAM,
      group: 'Notifier',
      consumer: 'Notifier-host-1',
      error: 'boom 1',
      errorCode: 'HANDLER_FAILED',
      failedAt: '2024-01-01T00:00:00.000Z',
      attempts: 3,
    });
  });

  it('shows at most --limit entries and says there are more', async () => {
    const { code, stdout } = await dlq(['list', '--limit', '2']);
    expect(code).toBe(0);
    expect(stdout.trimEnd().split('\n')).toHaveLength(4);
    expect(stdout).toContain('(only the first 2: raise --limit to see more)');
    expect((await dlq(['list', '--limit', '0'])).code).toBe(2);
  });

  it('says when there is nothing to show', async () => {
    await broker.remove(
      DLQ,
      ids.map((id) => id.slice(DLQ.length + 1)),
    );
    expect(await dlq(['list'])).toMatchObject({ code: 0, stdout: 'No dead letters.\n' });
    expect((await dlq(['list', '--json'])).stdout).toBe('[]\n');
  });

  it('exits 2 for a subscription that does not exist or has no queue', async () => {
    const unknown = await dlq(['list', '--subscription', 'Nobody']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain(
      "the domain has no subscription named 'Nobody'; its subscriptions: Notifier@shop::order",
    );
    const eventStore = await dlq(['list', '--subscription', 'Auditor']);
    expect(eventStore.code).toBe(2);
    expect(eventStore.stderr).toContain('Auditor@shop::order is an event_store subscription');
  });
});

describe('protean dlq inspect', () => {
  it('shows where a dead letter came from, why it failed, and its payload', async () => {
    const { code, stdout } = await dlq(['inspect', ids[1]!]);
    expect(code).toBe(0);
    expect(stdout).toContain(`id:         ${ids[1]}\n`);
    expect(stdout).toContain('stream:     shop::order (entry 1700000000002-0)\n');
    expect(stdout).toContain('group:      Mailer (consumer Mailer-host-1)\n');
    expect(stdout).toContain('error:      [HANDLER_FAILED] boom 2\n');
    expect(stdout).toContain('payload:\n{\n  "n": 2,\n  "type": "Shop.OrderPlaced.v1"\n}\n');
  });

  it('prints it as JSON with --json', async () => {
    const { stdout } = await dlq(['inspect', ids[1]!, '--json']);
    expect(JSON.parse(stdout)).toMatchObject({ id: ids[1], group: 'Mailer', payload: { n: 2 } });
  });

  it('exits 2 for a malformed id and 1 for an id with nothing behind it', async () => {
    const malformed = await dlq(['inspect', '1700000000002-0']);
    expect(malformed.code).toBe(2);
    expect(malformed.stderr).toContain("expected <stream>:dlq/<entry id>, e.g. 'bookshelf::book");
    const gone = await dlq(['inspect', `${DLQ}/1-0`]);
    expect(gone.code).toBe(1);
    expect(gone.stderr).toContain(`no dead letter '${DLQ}/1-0'`);
  });
});

describe('protean dlq replay', () => {
  it('publishes the payload to its stream again and removes the dead letter', async () => {
    await broker.ensureGroup(STREAM, 'Notifier');
    await broker.ensureGroup(STREAM, 'Mailer');
    // #region replay
    const { code, stdout, stderr } = await dlq(['replay', ids[1]!]);
    expect(code).toBe(0);
    const [republished] = await broker.range(STREAM);
    expect(stdout).toBe(
      `Replayed ${ids[1]} to ${STREAM} for Mailer (new entry ${republished!.id})\n`,
    );
    expect(republished!.payload).toEqual({ n: 2, type: 'Shop.OrderPlaced.v1' });
    expect(await left()).toEqual([1, 3]);
    // A raw payload (not an envelope) cannot be marked for Mailer alone.
    expect(stderr).toContain('the other groups of shop::order (Notifier) receive it again too');
    // #endregion replay
  });

  it('replays every dead letter of one subscription with replay-all, and only those', async () => {
    const { code, stdout } = await dlq(['replay-all', '--subscription', 'Notifier@shop::order']);
    expect(code).toBe(0);
    expect(stdout).toBe('Replayed 2 dead letters of Notifier@shop::order to shop::order\n');
    const republished = await broker.range(STREAM);
    expect(republished.map((entry) => entry.payload['n'])).toEqual([1, 3]);
    expect(await left()).toEqual([2]);
  });

  it('exits 2 when replay-all has no --subscription', async () => {
    const { code, stderr } = await dlq(['replay-all']);
    expect(code).toBe(2);
    expect(stderr).toContain("required option '--subscription <name>' not specified");
  });
});

describe('protean dlq purge', () => {
  it('refuses without --yes when it cannot ask, and deletes nothing', async () => {
    // #region purge-refuse
    const { code, stderr } = await dlq(['purge', '--subscription', 'Notifier']);
    expect(code).toBe(2);
    expect(stderr).toContain('pass --yes to go ahead');
    // #endregion purge-refuse
    expect(await left()).toEqual([1, 2, 3]);
  });

  it("deletes one subscription's dead letters with --yes, the others' stay", async () => {
    const { code, stdout } = await dlq(['purge', '--subscription', 'Notifier', '--yes']);
    expect(code).toBe(0);
    expect(stdout).toBe('Purged 2 dead letters of Notifier@shop::order from shop::order:dlq\n');
    expect(await left()).toEqual([2]);
  });

  it('asks first on a terminal: yes purges, anything else exits 1', async () => {
    const declined = await dlq(['purge', '--subscription', 'Mailer'], 'n');
    expect(declined.questions).toEqual([
      'Purge 1 dead letter of Mailer@shop::order from shop::order:dlq? They cannot be ' +
        'replayed afterwards. [y/N] ',
    ]);
    expect(declined.code).toBe(1);
    expect(await left()).toEqual([1, 2, 3]);
    expect((await dlq(['purge', '--subscription', 'Mailer'], 'yes')).code).toBe(0);
    expect(await left()).toEqual([1, 3]);
  });
});

describe('protean dlq --help', () => {
  it.each(['list', 'inspect', 'replay', 'replay-all', 'purge'])('documents %s', async (name) => {
    const { code, stdout } = await dlq([name, '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain(`Usage: protean dlq ${name}`);
    expect(stdout).toContain('--domain <spec>');
  });

  it('explains dead-letter ids and what a replay reaches', async () => {
    const { stdout } = await dlq(['--help']);
    expect(stdout).toContain('<stream>:dlq/<entry id>');
    expect(stdout).toContain('marked for the consumer');
    expect(stdout).toContain('reaches every consumer group of that stream');
  });
});
