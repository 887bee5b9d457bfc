/**
 * docs/reference/cli.md against the commands: its generated blocks are what the declarations
 * make now, and every line `--help` prints, for every command, is on the page.
 */
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { commandPath } from '../../src/cli/define.js';
import { createProgram, runCli } from '../../src/cli/program.js';
import { referencedCommands, updateReference } from '../../src/cli/reference.js';

const PAGE_FILE = new URL('../../../docs/reference/cli.md', import.meta.url);
const page = readFileSync(PAGE_FILE, 'utf8');
const UPDATE = 'run `npx tsx --conditions=source framework/scripts/cli-reference.ts`';

const silent = { out: () => undefined, err: () => undefined };

/** Every command of the program, itself included, depth first. */
function allCommands(command: Command): Command[] {
  return [command, ...command.commands.flatMap(allCommands)];
}

async function helpOf(path: string): Promise<string> {
  let stdout = '';
  const code = await runCli([...path.split(' ').slice(1), '--help'], {
    out: (text) => void (stdout += text),
    err: () => undefined,
  });
  expect(code).toBe(0);
  return stdout;
}

interface HelpItem {
  readonly term: string;
  readonly description: string;
}

/** What `--help` prints, in parts: usage, description, items per heading, and the text after. */
interface ParsedHelp {
  readonly usage: string;
  readonly description: string;
  readonly sections: Map<string, HelpItem[]>;
  readonly after: string[];
}

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

function parseHelp(text: string): ParsedHelp {
  const lines = text.split('\n');
  const usage = (lines.shift() ?? '').replace(/^Usage: /, '');
  const description: string[] = [];
  const sections = new Map<string, HelpItem[]>();
  const after: string[] = [];
  let items: HelpItem[] | undefined;
  let inDescription = true;
  for (const line of lines) {
    if (/^(Arguments|Options|Commands):$/.test(line)) {
      items = [];
      sections.set(line.slice(0, -1), items);
      inDescription = false;
    } else if (items && /^ {2}\S/.test(line)) {
      const [, term = '', rest = ''] = /^ {2}(\S+(?: \S+)*)(?: {2,}(.*))?$/.exec(line) ?? [];
      items.push({ term, description: rest });
    } else if (items && /^ {3,}\S/.test(line)) {
      const last = items.pop();
      if (last) items.push({ ...last, description: `${last.description} ${line.trim()}` });
    } else if (line === '') {
      if (items) items = undefined;
      else if (description.length > 0) inDescription = false;
    } else if (inDescription) {
      description.push(line);
    } else {
      after.push(line);
    }
  }
  return { usage, description: squash(description.join(' ')), sections, after };
}

/** The generated block of `path` on the page. */
function blockOf(path: string): string {
  const begin = `<!-- cli-reference ${path} -->\n`;
  const start = page.indexOf(begin);
  expect(start, `the page has a block for ${path}`).toBeGreaterThanOrEqual(0);
  return page.slice(start + begin.length, page.indexOf('<!-- /cli-reference -->', start));
}

const unescape = (cell: string) =>
  cell
    .replaceAll('\\|', '|')
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

/** The cells of each table row of `block`, unescaped, with no backticks around terms. */
function rowsOf(block: string): string[][] {
  return block
    .split('\n')
    .filter((line) => line.startsWith('| ') && !/^\| -+ \|/.test(line))
    .map((line) => {
      const cells = line
        .slice(2, -2)
        .split(/ \| /)
        .map((cell) => unescape(cell.trim()));
      const description = cells.pop() ?? '';
      return [...cells.map((cell) => cell.replaceAll('`', '')), description];
    });
}

/** The block that documents `command`: its own, or that of the top-level command it is under. */
function documentingBlock(command: Command): { path: string; relative: string } {
  const path = commandPath(command);
  const owner = referencedCommands(createProgram(silent))
    .filter((candidate) => path === candidate || path.startsWith(`${candidate} `))
    .at(-1);
  const ownerPath = owner ?? 'protean';
  return { path: ownerPath, relative: path.slice(ownerPath.length + 1) };
}

describe('the CLI reference page', () => {
  it('is what the command declarations generate', () => {
    expect(updateReference(page), `docs/reference/cli.md is out of date: ${UPDATE}`).toBe(page);
  });

  it('has a block for protean and for each of its commands', () => {
    expect(referencedCommands(createProgram(silent))).toEqual([
      'protean',
      'protean db',
      'protean server',
      'protean server service',
      'protean dlq',
      'protean outbox',
      'protean subscriptions',
      'protean observatory',
      'protean check-health',
      'protean add',
    ]);
    const withoutDb = page.replace('<!-- cli-reference protean db -->', '<!-- db -->');
    expect(() => updateReference(withoutDb)).toThrow('no <!-- cli-reference protean db --> block');
    const unknown = `${page}\n<!-- cli-reference protean nope -->\n<!-- /cli-reference -->\n`;
    expect(() => updateReference(unknown)).toThrow('a block for `protean nope`');
  });

  const commands = allCommands(createProgram(silent));
  const root = parseHelp(createProgram(silent).helpInformation());

  it.each(commands.map(commandPath))('says all that `%s --help` says', async (path) => {
    const help = parseHelp(await helpOf(path));
    const command = commands.find((candidate) => commandPath(candidate) === path)!;
    const { path: blockPath, relative } = documentingBlock(command);
    const block = blockOf(blockPath);
    const rows = rowsOf(block);
    const takes = (usedBy: string | undefined) =>
      usedBy === 'all' || (usedBy ?? '').split(', ').includes(relative);

    // The usage: the synopsis names the command and its arguments.
    expect(help.usage.startsWith(path)).toBe(true);
    if (command.parent) {
      const synopsis = block.split('\n').find((line) => line.startsWith(`${path} `)) ?? '';
      for (const argument of command.registeredArguments) {
        expect(synopsis, `the synopsis of ${path}`).toContain(`<${argument.name()}>`);
      }
    }
    // The description: in the table of its parent's block, or for protean on top of its own.
    const described = command.parent ? blockOf(documentingBlock(command.parent).path) : block;
    expect(squash(unescape(described))).toContain(help.description);

    for (const [heading, items] of help.sections) {
      for (const { term, description } of items) {
        const builtIn = term === '-h, --help' || term === 'help [command]';
        if (builtIn && command.parent) {
          // The same everywhere: documented once, in the block of protean.
          const rootItem = root.sections.get(heading)?.find((item) => item.term === term);
          expect(rootItem?.description).toBe(description);
          continue;
        }
        const found = rows.filter((row) => {
          const name = heading === 'Commands' ? row[0]?.split(' ')[0] : row[0];
          const wanted = heading === 'Commands' ? term.split(' ')[0] : term;
          const usedBy = row.length === 3 ? row[1] : undefined;
          const scope = heading === 'Commands' || row.length === 2 || takes(usedBy);
          return name === wanted && scope && row.at(-1) === squash(description);
        });
        expect(found, `${heading} "${term}: ${description}" of ${path}`).toHaveLength(1);
      }
    }
    for (const line of help.after.filter((text) => text.trim() !== '')) {
      expect(block, `the text after the help of ${path}`).toContain(line);
    }
  });

  it.each(referencedCommands(createProgram(silent)))(
    'lists in the block of `%s` nothing that --help does not say',
    async (path) => {
      const said = new Set<string>();
      for (const command of commands.filter((c) => documentingBlock(c).path === path)) {
        const help = parseHelp(await helpOf(commandPath(command)));
        for (const [heading, items] of help.sections) {
          for (const { term, description } of items) {
            const name = heading === 'Commands' ? term.split(' ')[0] : term;
            said.add(`${name}: ${squash(description)}`);
          }
        }
      }
      for (const row of rowsOf(blockOf(path)).filter((cells) => cells[0] !== 'Command')) {
        const [term = '', ...rest] = row;
        const name = row.length === 2 && !term.startsWith('-') ? term.split(' ')[0] : term;
        if (['Option', 'Argument'].includes(term)) continue;
        expect(said, `the row "${row.join(' | ')}" of ${path}`).toContain(
          `${name}: ${rest.at(-1) ?? ''}`,
        );
      }
    },
  );
});
