import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { linePrompt } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { captureIo, domainModule, project, removeProjects } from './fixtures.js';

const BOOK = `
import { field } from '${new URL('../../src/index.ts', import.meta.url).href}';
export class Book extends domain.aggregate('Book', { title: field.string({ required: true }) }) {}
`;
const STORES = '(database: memory, event store: memory)';

let cwd: string;
beforeAll(async () => {
  cwd = await project({ 'domain.ts': domainModule({ domain: 'bookshelf' }, BOOK) });
});
afterAll(removeProjects);

/** Runs `protean db ...` in the fixture project, with no terminal unless `answer` is given. */
async function db(args: string[], answer?: string) {
  const { io, output } = captureIo({ cwd });
  if (answer !== undefined) {
    io.isTTY = true;
    io.prompt = (question) => {
      output.questions.push(question);
      return Promise.resolve(answer);
    };
  }
  return { code: await runCli(['db', ...args], io), ...output };
}

describe('protean db setup', () => {
  it('creates the schema and says what it did', async () => {
    // #region setup-output
    const { code, stdout } = await db(['setup']);
    expect(code).toBe(0);
    expect(stdout).toBe(`Set up the schema of domain "bookshelf" ${STORES}\n`);
    // #endregion setup-output
  });

  it('succeeds when run twice', async () => {
    expect((await db(['setup'])).code).toBe(0);
    expect((await db(['setup'])).code).toBe(0);
  });

  it('loads the domain named by --domain', async () => {
    const other = await project({ 'src/app.ts': domainModule({ lending: 'lending' }) });
    const { code, stdout } = await db(['setup', '--domain', `${other}/src/app.ts:lending`]);
    expect(code).toBe(0);
    expect(stdout).toContain('domain "lending"');
  });

  it('exits 1 with the message when the domain cannot be found', async () => {
    // #region missing-domain
    const { code, stderr } = await db(['setup', '--domain', 'missing.ts']);
    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^protean: cannot load the domain named by --domain "missing.ts": no file/,
    );
    // #endregion missing-domain
  });

  it('exits 1 with the configuration error when the domain cannot start', async () => {
    const broken = await project({
      'domain.ts': domainModule({ domain: 'broken' }),
      'domain.toml': '[databases.default]\nprovider = "nosuch"\n',
    });
    const { io, output } = captureIo({ cwd: broken });
    expect(await runCli(['db', 'setup'], io)).toBe(1);
    expect(output.stderr).toContain('protean: ');
    expect(output.stderr).toContain('nosuch');
  });

  it('exits 2 on an unknown flag', async () => {
    const { code, stderr } = await db(['setup', '--no-such-flag']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--no-such-flag'");
  });
});

describe.each(['drop', 'truncate'])('protean db %s', (action) => {
  const done = action === 'drop' ? 'Dropped' : 'Truncated';

  it('refuses without a terminal and without --yes, exit 2, before loading anything', async () => {
    // #region refuse-without-terminal
    const { code, stderr, stdout } = await db([action, '--domain', 'not-even-there.ts']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`refusing to ${action}: "protean db ${action}" destroys`);
    expect(stderr).toContain('pass --yes');
    // #endregion refuse-without-terminal
  });

  it('runs with --yes and says what it did', async () => {
    const { code, stdout } = await db([action, '--yes']);
    expect(code).toBe(0);
    expect(stdout).toBe(`${done} the schema of domain "bookshelf" ${STORES}\n`);
  });

  it('asks on a terminal and runs when the answer is y', async () => {
    // #region ask-on-terminal
    const { code, stdout, questions } = await db([action], 'y');
    expect(code).toBe(0);
    expect(questions).toHaveLength(1);
    expect(questions[0]).toMatch(/the schema of domain "bookshelf" .*destroys.*\[y\/N\] $/);
    expect(stdout).toContain(done);
    // #endregion ask-on-terminal
  });

  // Declining exits 1, like Python Protean's confirm(abort=True): scripts never take it for done.
  it('changes nothing and exits 1 when the answer is not yes', async () => {
    // #region decline
    for (const answer of ['n', '', 'maybe']) {
      const { code, stdout, stderr } = await db([action], answer);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toBe('protean: aborted: domain "bookshelf" was not changed\n');
    }
    // #endregion decline
  });
});

describe('protean db help and usage', () => {
  it('prints help for each subcommand, with --domain and --yes', async () => {
    for (const action of ['setup', 'truncate', 'drop']) {
      const { code, stdout } = await db([action, '--help']);
      expect(code).toBe(0);
      expect(stdout).toContain(`Usage: protean db ${action}`);
      expect(stdout).toMatch(/--domain <spec>[\s\S]*--yes/);
    }
  });

  it('lists the subcommands and exits 2 without one', async () => {
    const { code, stderr } = await db([]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/setup[\s\S]*truncate[\s\S]*drop/);
  });
});

describe('the terminal prompt', () => {
  it('writes the question and resolves with the line typed', async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    const answer = linePrompt(input, output)('Drop? [y/N] ');
    input.write('yes\n');
    expect(await answer).toBe('yes');
    expect(String(output.read())).toBe('Drop? [y/N] ');
  });

  it('answers no when the input ends', async () => {
    const input = new PassThrough();
    const answer = linePrompt(input, new PassThrough())('Drop? [y/N] ');
    input.end();
    expect(await answer).toBe('');
  });
});
