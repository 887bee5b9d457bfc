/**
 * The docs command check: shell commands a tutorial page marks as runnable are run by a test from
 * the repository root, so a command printed on a page cannot break silently.
 *
 * A page marks a ```sh block by putting an HTML comment (invisible on the site) on the line before:
 *
 *   <!-- runnable -->            every command in the block must exit 0
 *   <!-- runnable exit=1 -->     ... must exit 1 (such as an exercise that is not done yet)
 *   <!-- not runnable: why -->   the block is shown, never run, and the reason says why
 *
 * Each line of a block is one command; a trailing `# comment` and blank lines are ignored.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const MARKER = /^<!--\s*(runnable(?:\s+exit=(\d+))?|not runnable:\s*\S.*?)\s*-->$/;
const SHELL_FENCE = /^ {0,3}(`{3,}|~{3,})\s*(sh|bash|shell|console)\b/;

/** One ```sh block of a page and how it is marked. */
export interface ShellBlock {
  /** 1-based line of the opening fence. */
  line: number;
  /** undefined when the line before the block is no marker. */
  marker: { runnable: true; exitCode: number } | { runnable: false; reason: string } | undefined;
  /** The commands, one a line, comments and blank lines dropped. */
  commands: string[];
}

/** A command to run, with the pages and lines that print it. */
export interface PageCommand {
  command: string;
  exitCode: number;
  shownAt: string[];
}

/** Drops a trailing ` # comment` (the tutorial's commands quote no `#`). */
export function stripComment(line: string): string {
  return line.replace(/(^|\s)#.*$/, '').trim();
}

/** Every shell block of a page, with its marker and commands. */
export function findShellBlocks(markdown: string): ShellBlock[] {
  const lines = markdown.split(/\r?\n/);
  const blocks: ShellBlock[] = [];
  for (let index = 0; index < lines.length; index++) {
    const fence = SHELL_FENCE.exec(lines[index]!)?.[1];
    if (fence === undefined) continue;
    const start = index;
    const body: string[] = [];
    for (index++; index < lines.length && lines[index]!.trim() !== fence; index++) {
      body.push(lines[index]!);
    }
    blocks.push({
      line: start + 1,
      marker: markerOf(previousLine(lines, start)),
      commands: body.map(stripComment).filter((command) => command !== ''),
    });
  }
  return blocks;
}

/** The nearest non-blank line before `index`. */
function previousLine(lines: string[], index: number): string {
  for (let i = index - 1; i >= 0; i--) if (lines[i]!.trim() !== '') return lines[i]!.trim();
  return '';
}

function markerOf(line: string): ShellBlock['marker'] {
  const match = MARKER.exec(line);
  if (!match) return undefined;
  const [, kind = '', exitCode] = match;
  if (kind.startsWith('runnable')) return { runnable: true, exitCode: Number(exitCode ?? 0) };
  return { runnable: false, reason: kind.replace(/^not runnable:\s*/, '') };
}

/** The markdown pages directly in `dir` (the tutorial is one flat folder). */
export function tutorialPages(dir: string): string[] {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => join(dir, name));
}

/**
 * The distinct commands runnable blocks print, each once (a command shown on several pages, or
 * twice on one, runs once), in the order they first appear.
 */
export function runnableCommands(pages: string[], label: (page: string) => string): PageCommand[] {
  const byCommand = new Map<string, PageCommand>();
  for (const page of pages) {
    for (const block of findShellBlocks(readFileSync(page, 'utf8'))) {
      if (!block.marker?.runnable) continue;
      for (const command of block.commands) {
        const key = `${block.marker.exitCode} ${command}`;
        const entry = byCommand.get(key) ?? {
          command,
          exitCode: block.marker.exitCode,
          shownAt: [],
        };
        entry.shownAt.push(`${label(page)}:${block.line}`);
        byCommand.set(key, entry);
      }
    }
  }
  return [...byCommand.values()];
}
