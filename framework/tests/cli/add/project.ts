/**
 * A small project laid out as create-domain lays one out (src/domain.ts, src/index.ts importing
 * every element module, a Task slice, the smoke test listing the handlers), in a temporary folder
 * removed after each test; and a byte-for-byte picture of a folder.
 */
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach } from 'vitest';
import { runCli } from '../../../src/cli/program.js';

export const FILES: Readonly<Record<string, string>> = {
  'package.json': '{ "name": "shop", "type": "module" }\n',
  'src/domain.ts':
    "import { Domain } from 'protean-ts';\n\nexport const domain = new Domain({ name: 'shop' });\n",
  'src/index.ts': [
    '/** The whole shop domain. */',
    '// #region registrations',
    "import './task/task.js';",
    "import './task/events.js';",
    '',
    "export { domain } from './domain.js';",
    "export { Task } from './task/task.js';",
    "export { TaskAdded } from './task/events.js';",
    '// #endregion registrations',
    '',
  ].join('\n'),
  'src/task/task.ts': [
    "import { field } from 'protean-ts';",
    "import { domain } from '../domain.js';",
    '',
    "export class Task extends domain.aggregate('Task', {",
    '  title: field.string({ required: true, maxLength: 200 }),',
    "  status: field.choice(['open', 'done'], { default: 'open' }),",
    '}) {}',
    '',
  ].join('\n'),
  'src/task/events.ts': [
    "import { field } from 'protean-ts';",
    "import { domain } from '../domain.js';",
    '',
    'export const TaskAdded = domain.event(',
    "  'TaskAdded',",
    '  { taskId: field.identifier({ required: true }), title: field.string({ required: true }) },',
    "  { partOf: 'Task' },",
    ');',
    '',
  ].join('\n'),
  'tests/domain.unit.spec.ts': [
    "import { expect, it } from 'vitest';",
    "import { domain } from '../src/index.js';",
    '',
    "it('has every handler registered', () => {",
    '  const names = domain.handlers().map((handler) => handler.name);',
    '',
    "  expect(names.sort()).toEqual(['TaskSummaryProjector']);",
    '});',
    '',
  ].join('\n'),
};

/** Makes a fresh project per call (with `files` on top of {@link FILES}); removed after the test. */
export function useProjects(): (files?: Record<string, string>) => Promise<string> {
  const made: string[] = [];
  afterEach(async () => {
    await Promise.all(made.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async (files = {}) => {
    const root = await mkdtemp(join(tmpdir(), 'protean-add-'));
    made.push(root);
    for (const [path, text] of Object.entries({ ...FILES, ...files })) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), text);
    }
    return root;
  };
}

/** Every file and folder under `root`: a file as its text, a folder as `dir`. */
export async function snapshot(root: string, prefix = ''): Promise<Record<string, string>> {
  const picture: Record<string, string> = {};
  for (const entry of await readdir(join(root, prefix), { withFileTypes: true })) {
    const path = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      picture[path] = 'dir';
      Object.assign(picture, await snapshot(root, path));
    } else {
      picture[path] = await readFile(join(root, path), 'utf8');
    }
  }
  return picture;
}

/** Runs `protean add ...args` in `cwd` and returns the exit code and what it printed. */
export async function add(
  cwd: string,
  ...args: string[]
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['add', ...args], {
    out: (text) => void (out += text),
    err: (text) => void (err += text),
    cwd,
    env: {},
    isTTY: false,
  });
  return { code, out, err };
}
