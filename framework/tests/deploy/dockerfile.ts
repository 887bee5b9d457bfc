/**
 * A small Dockerfile reader, for checking the Dockerfile the deployment guide shows without a
 * Docker engine: parser directives, comments, line continuations and instructions, then the rules
 * `docker build` would enforce on them (known instructions, FROM first, stage names, exec-form
 * JSON, `COPY --from` naming an earlier stage). Heredocs are refused rather than misread.
 */

/** One instruction: its keyword (upper case), its arguments as written, the line it starts on. */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

/** A Dockerfile, read. */
export interface Dockerfile {
  /** `# syntax=...` and `# escape=...` at the top. */
  readonly directives: Readonly<Record<string, string>>;
  readonly instructions: readonly Instruction[];
}

const KEYWORDS = new Set([
  'ADD',
  'ARG',
  'CMD',
  'COPY',
  'ENTRYPOINT',
  'ENV',
  'EXPOSE',
  'FROM',
  'HEALTHCHECK',
  'LABEL',
  'MAINTAINER',
  'ONBUILD',
  'RUN',
  'SHELL',
  'STOPSIGNAL',
  'USER',
  'VOLUME',
  'WORKDIR',
]);

/**
 * Splits a Dockerfile into directives and instructions.
 *
 * @throws Error naming the line of an unknown instruction, a heredoc or a dangling continuation.
 */
export function parseDockerfile(text: string): Dockerfile {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const directives: Record<string, string> = {};
  let at = 0;
  for (; at < lines.length; at += 1) {
    const directive = /^#\s*([a-z]+)\s*=\s*(\S+)\s*$/i.exec(lines[at] ?? '');
    if (!directive) break;
    directives[(directive[1] ?? '').toLowerCase()] = directive[2] ?? '';
  }
  const instructions: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  for (; at < lines.length; at += 1) {
    const raw = lines[at] ?? '';
    if (/^\s*#/.test(raw)) continue;
    if (pending === undefined && raw.trim() === '') continue;
    const continued = /\\\s*$/.test(raw);
    const part = continued ? raw.replace(/\\\s*$/, '') : raw;
    pending = pending
      ? { ...pending, text: `${pending.text.trimEnd()} ${part.trim()}` }
      : { text: part, line: at + 1 };
    if (continued) continue;
    instructions.push(instruction(pending.text, pending.line));
    pending = undefined;
  }
  if (pending) throw new Error(`line ${pending.line}: the instruction continues past the end`);
  return { directives, instructions };
}

function instruction(text: string, line: number): Instruction {
  const match = /^\s*([A-Za-z]+)(?:\s+(.*))?$/.exec(text);
  const keyword = (match?.[1] ?? '').toUpperCase();
  if (!match || !KEYWORDS.has(keyword)) {
    throw new Error(`line ${line}: unknown instruction "${text.trim().split(/\s/)[0] ?? ''}"`);
  }
  const args = (match[2] ?? '').trim();
  if (/<<-?\s*["']?\w+/.test(args) && keyword !== 'HEALTHCHECK') {
    throw new Error(`line ${line}: heredocs are not supported by this reader`);
  }
  return { keyword, args, line };
}

/** One build stage: its FROM and the instructions after it. */
export interface Stage {
  readonly name: string | undefined;
  readonly image: string;
  readonly instructions: readonly Instruction[];
}

/** The stages of a Dockerfile, in order. */
export function stagesOf(file: Dockerfile): Stage[] {
  const stages: { name: string | undefined; image: string; instructions: Instruction[] }[] = [];
  for (const instruction of file.instructions) {
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args
        .split(/\s+/)
        .filter((word) => !word.startsWith('--'));
      stages.push({ name: as?.toUpperCase() === 'AS' ? name : undefined, image, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  return stages;
}

/** The exec (JSON) form of CMD, ENTRYPOINT or SHELL arguments, or undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((word) => typeof word === 'string')) {
    throw new Error(`the exec form must be a JSON array of strings: ${args}`);
  }
  return parsed;
}

/** What `docker build` would refuse in `file`, one line each (none: fine). */
export function dockerfileProblems(file: Dockerfile): string[] {
  const problems: string[] = [];
  const first = file.instructions.find((instruction) => instruction.keyword !== 'ARG');
  if (first?.keyword !== 'FROM') problems.push('the first instruction (after ARG) must be FROM');
  const seen: string[] = [];
  for (const stage of stagesOf(file)) {
    if (stage.image === '') problems.push('a FROM without an image');
    for (const instruction of stage.instructions) {
      const from = /--from=(\S+)/.exec(instruction.args)?.[1];
      if (instruction.keyword === 'COPY' && from !== undefined && !seen.includes(from)) {
        problems.push(`line ${instruction.line}: COPY --from=${from} names no earlier stage`);
      }
      if (['CMD', 'ENTRYPOINT', 'SHELL'].includes(instruction.keyword)) {
        try {
          execForm(instruction.args);
        } catch (error) {
          problems.push(`line ${instruction.line}: ${(error as Error).message}`);
        }
      }
      if (instruction.keyword === 'EXPOSE' && !/^(\d+(\/(tcp|udp))?\s*)+$/.test(instruction.args)) {
        problems.push(`line ${instruction.line}: EXPOSE takes ports: ${instruction.args}`);
      }
      if (instruction.keyword === 'ENV' && !/^(\S+=("[^"]*"|\S*)\s*)+$/.test(instruction.args)) {
        problems.push(`line ${instruction.line}: ENV takes name=value pairs: ${instruction.args}`);
      }
    }
    if (stage.name !== undefined) {
      if (seen.includes(stage.name)) problems.push(`two stages are named ${stage.name}`);
      seen.push(stage.name);
    }
  }
  return problems;
}
