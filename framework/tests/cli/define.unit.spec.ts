/**
 * Declaring a command: the commander command built from it, and the types its `run` receives.
 * The example is the `protean add` a later chapter brings: one more declaration.
 */
import { randomUUID } from 'node:crypto';
import { Command } from 'commander';
import { afterEach, describe, expect, expectTypeOf, it } from 'vitest';
import { addCommand, command, group } from '../../src/cli/define.js';
import type { ArgumentsOf, OptionsOf } from '../../src/cli/define.js';
import { completeIo } from '../../src/cli/io.js';
import { parsePositiveInteger } from '../../src/cli/options.js';

const ENV = `PROTEAN_TEST_${randomUUID().replaceAll('-', '_').toUpperCase()}`;
afterEach(() => void delete process.env[ENV]);

const calls: unknown[] = [];
const squash = (text: string) => text.replace(/\s+/g, ' ');

const add = command({
  name: 'add',
  description: 'add an element to the domain',
  arguments: [
    { name: '<kind>', description: 'what to add', choices: ['aggregate', 'command', 'event'] },
    { name: '<name>', description: 'its name, in PascalCase' },
    { name: '[fields...]', description: 'its fields, as name:type' },
  ],
  options: [
    { flags: '--aggregate <name>', description: 'the aggregate it belongs to' },
    { flags: '--dry-run', description: 'print the files instead of writing them' },
    {
      flags: '--indent <n>',
      description: 'spaces per level',
      parse: parsePositiveInteger,
      default: 2,
      env: ENV,
    },
    { flags: '--style <style>', description: 'code style', choices: ['class', 'function'] },
    { flags: '--into <dir>', description: 'where to write', required: true },
  ],
  run: async ({ args, options }) => void calls.push({ args, options }),
});

/** A program holding `protean domain add`, and what it printed on stdout and stderr. */
function program(): { root: Command; printed: { out: string; err: string } } {
  const printed = { out: '', err: '' };
  const root = new Command('protean').exitOverride().configureOutput({
    writeOut: (text) => void (printed.out += text),
    writeErr: (text) => void (printed.err += text),
  });
  const domain = group({ name: 'domain', description: 'grow it', commands: [add] });
  addCommand(root, domain, completeIo());
  return { root, printed };
}

async function run(...args: string[]): Promise<unknown> {
  calls.length = 0;
  await program().root.parseAsync(args, { from: 'user' });
  return calls[0];
}

describe('a declared command', () => {
  it('types its options and arguments from the declaration', () => {
    expectTypeOf<OptionsOf<typeof add>>().toEqualTypeOf<{
      indent: number;
      into: string;
      aggregate?: string | undefined;
      dryRun?: boolean | undefined;
      style?: 'class' | 'function' | undefined;
    }>();
    expectTypeOf<ArgumentsOf<typeof add>>().toEqualTypeOf<
      readonly ['aggregate' | 'command' | 'event', string, string[]]
    >();
  });

  it('runs with the parsed arguments and options, defaults included', async () => {
    const parsed = await run(
      'domain',
      'add',
      'event',
      'BookAdded',
      'title:string',
      '--into',
      'src',
    );
    expect(parsed).toEqual({
      args: ['event', 'BookAdded', ['title:string']],
      options: { into: 'src', indent: 2 },
    });
    const all = ['--aggregate', 'Book', '--dry-run', '--indent', '4', '--style', 'class'];
    expect(await run('domain', 'add', 'command', 'AddBook', '--into', 'src', ...all)).toEqual({
      args: ['command', 'AddBook', []],
      options: { into: 'src', aggregate: 'Book', dryRun: true, indent: 4, style: 'class' },
    });
  });

  it('takes a value from its environment variable when the option is not given', async () => {
    process.env[ENV] = '8';
    expect(await run('domain', 'add', 'event', 'BookAdded', '--into', 'src')).toMatchObject({
      options: { indent: 8 },
    });
  });

  it('rejects a bad value, a missing required option and an unknown choice', async () => {
    const rejects = (...args: string[]) => expect(run('domain', 'add', ...args)).rejects;
    await rejects('event', 'E', '--into', 'src', '--indent', '0').toThrow(
      'expected a whole number > 0, received "0".',
    );
    await rejects('event', 'E').toThrow("required option '--into <dir>' not specified");
    await rejects('query', 'Q', '--into', 'src').toThrow("value 'query' is invalid");
    await rejects('event', 'E', '--into', 'src', '--style', 'x').toThrow('Allowed choices');
  });

  it('says in --help what the declaration says, and where to look after a mistake', async () => {
    const { root, printed } = program();
    const parse = (...args: string[]) => root.parseAsync(args, { from: 'user' });
    await expect(parse('domain', 'add', '--help')).rejects.toMatchObject({ exitCode: 0 });
    expect(printed.out).toContain('Usage: protean domain add [options] <kind> <name> [fields...]');
    expect(printed.out).toContain('(choices: "aggregate", "command", "event")');
    const indent = `--indent <n> spaces per level (default: 2, env: ${ENV})`;
    expect(squash(printed.out)).toContain(indent);
    await expect(parse('domain', 'add', '--nope')).rejects.toMatchObject({ exitCode: 1 });
    expect(printed.err).toContain('(run `protean domain add --help` to see its options)');
    await expect(parse('domain', 'nope')).rejects.toMatchObject({ exitCode: 1 });
    expect(printed.err).toContain('(run `protean domain --help` to see its commands)');
  });
});
