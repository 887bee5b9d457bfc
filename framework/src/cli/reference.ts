/**
 * The generated parts of the CLI reference page (docs/reference/cli.md). Between
 * `<!-- cli-reference protean db -->` and `<!-- /cli-reference -->` the page holds what
 * {@link renderBlock} makes of that command: its synopsis and tables of its subcommands,
 * arguments and options, with the very texts `--help` prints (commander's own `Help` formats
 * both). The rest of the page is prose, written by hand.
 */
import type { Argument, Command, Help, Option } from 'commander';
import { protean } from './commands/index.js';
import { commandPath, isGroup } from './define.js';
import type { Spec } from './define.js';
import { createProgram } from './program.js';

const BLOCK = /(<!-- cli-reference (.+?) -->\n)[\s\S]*?(<!-- \/cli-reference -->)/g;

/** Where synopsis lines wrap, to fit the docs' code blocks. */
const SYNOPSIS_WIDTH = 80;

/**
 * `page` with every generated block rewritten from the commands as declared now.
 *
 * @throws Error naming the commands that have no block on the page, or the blocks that name no
 *   command.
 */
export function updateReference(page: string): string {
  const program = createProgram({ out: () => undefined, err: () => undefined });
  const wanted = new Set(referencedCommands(program));
  const unknown: string[] = [];
  const updated = page.replace(BLOCK, (block, begin: string, path: string, end: string) => {
    const command = findCommand(program, path);
    if (!command) unknown.push(path);
    wanted.delete(path);
    return command ? `${begin}\n${renderBlock(command)}\n\n${end}` : block;
  });
  const problems = [
    ...[...wanted].map((path) => `no <!-- cli-reference ${path} --> block for \`${path}\``),
    ...unknown.map((path) => `a block for \`${path}\`, which is not a command`),
  ];
  if (problems.length > 0) throw new Error(`the CLI reference page has ${problems.join('; ')}`);
  return updated;
}

/** The commands that have a block of their own: `protean` and each of its commands. */
export function referencedCommands(program: Command): string[] {
  const nested = (command: Command) => (runs(command) ? command.commands : []);
  return [program, ...program.commands.flatMap((command) => [command, ...nested(command)])].map(
    commandPath,
  );
}

/** The command a path such as `protean dlq list` names. */
export function findCommand(program: Command, path: string): Command | undefined {
  const [root, ...names] = path.split(' ');
  let command: Command | undefined = root === program.name() ? program : undefined;
  for (const name of names) command = command?.commands.find((child) => child.name() === name);
  return command;
}

/**
 * The markdown of one command's block: for `protean`, its commands and options; for a group,
 * the synopsis of each command, their descriptions, then their options and arguments (with the
 * commands that take each); for a command, its synopsis, arguments and options. The help
 * option and the `help` command, the same everywhere, are in the block of `protean` only.
 */
export function renderBlock(command: Command): string {
  const help = command.createHelp();
  if (!command.parent) return renderRoot(command, help);
  const leaves = leavesOf(command);
  const grouped = leaves.length !== 1 || leaves[0] !== command;
  const relative = (leaf: Command) => commandPath(leaf).slice(commandPath(command).length + 1);
  const parts = [fence('sh', synopsis(leaves))];
  if (grouped || command.commands.length > 0) {
    parts.push(table(['Command', 'Description'], commandRows(command, help, false)));
  }
  const argumentRows = merge(leaves, relative, (leaf) =>
    help.visibleArguments(leaf).map((argument) => argumentCells(argument, help)),
  );
  const optionRows = merge(leaves, relative, (leaf) =>
    ownOptions(leaf, help).map((option) => optionCells(option, help)),
  );
  const several = leaves.length > 1;
  const usedBy = several ? ['Used by'] : [];
  if (argumentRows.length > 0) {
    parts.push(table(['Argument', ...usedBy, 'Description'], argumentRows.map(cells(several))));
  }
  if (optionRows.length > 0) {
    parts.push(table(['Option', ...usedBy, 'Description'], optionRows.map(cells(several))));
  }
  const after = helpAfter(command);
  if (after !== undefined) {
    const title = `More from \`${commandPath(command)} --help\``;
    parts.push(`::: details ${title}\n\n${fence('text', after.trim())}\n\n:::`);
  }
  return parts.join('\n\n');
}

function renderRoot(program: Command, help: Help): string {
  const options = help.visibleOptions(program).map((option) => optionCells(option, help));
  return [
    `> ${escapeCell(help.commandDescription(program))}`,
    table(['Command', 'Description'], commandRows(program, help, true)),
    table(['Option', 'Description'], options),
  ].join('\n\n');
}

function commandRows(command: Command, help: Help, withHelp: boolean): string[][] {
  const builtIn = help
    .visibleCommands(command)
    .filter((child) => !command.commands.includes(child));
  const children = withHelp ? [...command.commands, ...builtIn] : command.commands;
  return children.map((child) => [
    code(help.subcommandTerm(child).replace(' [options]', '')),
    escapeCell(help.subcommandDescription(child)),
  ]);
}

/** The commands that run something, under `command` (itself when it is one). */
function leavesOf(command: Command): Command[] {
  // A command that runs keeps its subcommands for a block of their own (`protean server service`).
  if (command.commands.length === 0 || runs(command)) return [command];
  return command.commands.flatMap(leavesOf);
}

/** The options a command declares: what `--help` lists, less the help option. */
function ownOptions(command: Command, help: Help): Option[] {
  return help.visibleOptions(command).filter((option) => command.options.includes(option));
}

function optionCells(option: Option, help: Help): [string, string] {
  const term = help.optionTerm(option).split(', ').map(code).join(', ');
  return [term, escapeCell(help.optionDescription(option))];
}

function argumentCells(argument: Argument, help: Help): [string, string] {
  return [code(help.argumentTerm(argument)), escapeCell(help.argumentDescription(argument))];
}

interface MergedRow {
  readonly cells: readonly [string, string];
  readonly usedBy: string[];
}

/** One row per distinct term and description, with the commands that have it. */
function merge(
  leaves: readonly Command[],
  relative: (leaf: Command) => string,
  rowsOf: (leaf: Command) => [string, string][],
): MergedRow[] {
  const merged = new Map<string, MergedRow>();
  for (const leaf of leaves) {
    for (const cells of rowsOf(leaf)) {
      const key = cells.join('\n');
      const row = merged.get(key) ?? { cells, usedBy: [] };
      row.usedBy.push(relative(leaf));
      merged.set(key, row);
    }
  }
  const all = leaves.length;
  return [...merged.values()].map((row) => ({
    cells: row.cells,
    usedBy: row.usedBy.length === all ? ['all'] : row.usedBy.map(code),
  }));
}

const cells =
  (several: boolean) =>
  ({ cells: [term, description], usedBy }: MergedRow): string[] =>
    several ? [term, usedBy.join(', '), description] : [term, description];

/** One line per command: its path, arguments and options, wrapped under the first option. */
function synopsis(leaves: readonly Command[]): string {
  const width = Math.max(...leaves.map((leaf) => commandPath(leaf).length));
  return leaves
    .map((leaf) => {
      const head = commandPath(leaf).padEnd(width);
      const words = [
        ...leaf.registeredArguments.map(argumentWord),
        ...leaf.options.map(optionWord),
      ];
      return wrap(head, words, SYNOPSIS_WIDTH);
    })
    .join('\n');
}

function argumentWord(argument: Argument): string {
  const name = `${argument.name()}${argument.variadic ? '...' : ''}`;
  return argument.required ? `<${name}>` : `[${name}]`;
}

function optionWord(option: Option): string {
  const long = option.long ?? option.flags;
  const word = option.flags.slice(option.flags.indexOf(long));
  return option.mandatory ? word : `[${word}]`;
}

/** `head` and `words`, a new line (indented past `head`) before a word that would pass `width`. */
function wrap(head: string, words: readonly string[], width: number): string {
  const lines = [head];
  const indent = ' '.repeat(head.length);
  for (const word of words) {
    const line = lines.pop() ?? '';
    const full = line.length + 1 + word.length > width && line.length > head.length;
    lines.push(...(full ? [line, `${indent} ${word}`] : [`${line} ${word}`]));
  }
  return lines.join('\n');
}

/** A markdown table, its columns padded as Prettier pads them. */
function table(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, n) =>
    Math.max(3, header.length, ...rows.map((row) => (row[n] ?? '').length)),
  );
  const line = (row: readonly string[]) =>
    `| ${widths.map((width, n) => (row[n] ?? '').padEnd(width)).join(' | ')} |`;
  return [line(headers), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join(
    '\n',
  );
}

function fence(language: string, text: string): string {
  return `\`\`\`${language}\n${text}\n\`\`\``;
}

function code(text: string): string {
  return `\`${text}\``;
}

/**
 * Help text as a table cell: `<` and `>` as entities (VitePress would take `<stream>` for a
 * component), `|` escaped (it would end the cell).
 */
export function escapeCell(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('|', '\\|');
}

/** What a command's declaration adds after its help (`helpAfter`), if anything. */
function helpAfter(command: Command): string | undefined {
  return specOf(command)?.helpAfter;
}

/** Whether `command` does something itself, besides holding subcommands. */
function runs(command: Command): boolean {
  const spec = specOf(command);
  return spec !== undefined && !isGroup(spec);
}

/** The declaration of `command`. */
function specOf(command: Command): Spec | undefined {
  let spec: Spec | undefined = protean;
  for (const name of commandPath(command).split(' ').slice(1)) {
    spec = spec?.commands?.find((child) => child.name === name);
  }
  return spec;
}
