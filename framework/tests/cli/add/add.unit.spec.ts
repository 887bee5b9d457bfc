import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileWriter } from '../../../src/cli/add/apply.js';
import type { Writer } from '../../../src/cli/add/apply.js';
import { unifiedDiff } from '../../../src/cli/add/diff.js';
import { runAdd } from '../../../src/cli/add/run.js';
import { CommandFailure } from '../../../src/cli/exit.js';
import { completeIo } from '../../../src/cli/io.js';
import { add, snapshot, useProjects } from './project.js';

const project = useProjects();

/** The diff of every file that differs between two pictures, one chunk per file, sorted. */
function treeDiff(before: Record<string, string>, after: Record<string, string>): string[] {
  return Object.keys(after)
    .filter((path) => after[path] !== 'dir' && after[path] !== before[path])
    .map((path) => unifiedDiff(path, before[path], after[path]!))
    .sort();
}

function chunks(patch: string): string[] {
  return patch
    .split(/^(?=--- )/m)
    .filter((chunk) => chunk.startsWith('--- '))
    .sort();
}

describe('protean add, in a project', () => {
  it('adds an aggregate slice: its modules, its tests, and their registration', async () => {
    const root = await project();

    const { code, out } = await add(root, 'aggregate', 'order-item');

    expect(code).toBe(0);
    expect(out).toContain('Added the aggregate OrderItem:');
    const tree = await snapshot(root);
    expect(Object.keys(tree).filter((path) => path.startsWith('src/order-item/'))).toEqual(
      expect.arrayContaining([
        'src/order-item/order-item.ts',
        'src/order-item/events.ts',
        'src/order-item/commands.ts',
        'src/order-item/handlers.ts',
        'src/order-item/order-item-summary.ts',
      ]),
    );
    expect(tree['tests/order-item-flow.unit.spec.ts']).toContain('given(domain)');
    expect(tree['src/order-item/order-item.ts']).toContain(
      'static create(name: string): OrderItem',
    );
    expect(tree['src/index.ts']).toContain("import './order-item/handlers.js';");
    expect(tree['tests/domain.unit.spec.ts']).toContain(
      "[\n    'CreateOrderItemHandler',\n    'OrderItemSummaryProjector',\n    'TaskSummaryProjector',\n  ]",
    );
  });

  it.each([
    [
      ['command', 'ShipTask', '-a', 'task'],
      ['src/task/ship-task.ts', 'src/task/ship-task-handler.ts'],
    ],
    [['event', 'TaskStarted', '-a', 'task'], ['src/task/task-started.ts']],
    [['event-handler', 'TaskNotifier', '-a', 'task'], ['src/task/task-notifier.ts']],
    [['projection', 'TaskBoard', '-a', 'task'], ['src/task/task-board-projector.ts']],
    [
      ['subscriber', 'Payments'],
      ['src/subscribers/payments.ts', 'tests/payments.unit.spec.ts'],
    ],
    [['subscriber', 'Payments', '-a', 'task'], ['src/task/payments.ts']],
  ])('adds %j with its test, registered in src/index.ts', async (args, paths) => {
    const root = await project();
    const before = await snapshot(root);

    const { code } = await add(root, ...args);

    expect(code).toBe(0);
    const after = await snapshot(root);
    for (const path of paths) expect(before[path]).toBeUndefined();
    for (const path of paths) expect(after[path]).toBeDefined();
    expect(Object.keys(after).some((p) => p.startsWith('tests/') && !before[p])).toBe(true);
    expect(after['src/index.ts']).not.toBe(before['src/index.ts']);
  });

  it('adds the handler of a command declared by hand, and the projector of a projection', async () => {
    const root = await project({
      'src/task/archive-task.ts':
        "import { field } from 'protean-ts';\nimport { domain } from '../domain.js';\n\n" +
        "export const ArchiveTask = domain.command('ArchiveTask', { taskId: field.identifier({ required: true }) }, { partOf: 'Task' });\n",
      'src/task/task-list.ts':
        "import { field } from 'protean-ts';\nimport { domain } from '../domain.js';\n\n" +
        "export const TaskList = domain.projection('TaskList', { taskId: field.identifier({ identifier: true }), title: field.string() });\n",
    });

    expect((await add(root, 'command-handler', 'ArchiveTask', '-a', 'Task')).code).toBe(0);
    expect((await add(root, 'projector', 'TaskListProjector', '-a', 'Task')).code).toBe(0);

    const tree = await snapshot(root);
    expect(tree['src/task/archive-task-handler.ts']).toContain('domain.handle(ArchiveTask');
    expect(tree['src/task/task-list-projector.ts']).toContain(
      'new TaskList({ taskId: event.taskId, title: event.title })',
    );
    expect(tree['tests/archive-task-handler.unit.spec.ts']).toContain(
      "new Task({ title: 'A title' })",
    );
    expect(tree['src/index.ts']).toContain("export { ArchiveTask } from './task/archive-task.js';");
  });

  it('prints with --dry-run exactly the diff it then writes, and writes nothing', async () => {
    const root = await project();
    const before = await snapshot(root);

    const dry = await add(root, 'projection', 'TaskBoard', '--aggregate', 'Task', '--dry-run');

    expect(dry.code).toBe(0);
    expect(await snapshot(root)).toEqual(before);
    const patch = dry.out.slice(dry.out.indexOf('\n--- ') + 1);
    await add(root, 'projection', 'TaskBoard', '--aggregate', 'Task');
    expect(chunks(patch)).toEqual(treeDiff(before, await snapshot(root)));
  });

  it('changes nothing on a second identical run, and says so', async () => {
    const root = await project();
    await add(root, 'aggregate', 'Order');
    const after = await snapshot(root);

    const again = await add(root, 'aggregate', 'order');

    expect(again).toMatchObject({ code: 0 });
    expect(again.out).toMatch(/^Nothing to do: the aggregate Order is already in the project/);
    expect(await snapshot(root)).toEqual(after);
  });
});

describe('protean add refuses, leaving the project byte for byte as it was', () => {
  it.each([
    [['widget', 'Order'], /value 'widget' is invalid for argument 'kind'/],
    [['aggregate', 'order item'], /cannot be the name of the aggregate/],
    [['command', 'ShipTask'], /needs --aggregate <Aggregate>/],
    [
      ['command', 'ShipTask', '--aggregate', 'Basket'],
      /no aggregate Basket \(its aggregates: Task\)/,
    ],
    [['aggregate', 'Task'], /Task is already declared in src\/task\/task.ts/],
    [['command-handler', 'ShipTask', '-a', 'Task'], /no command ShipTask; add it with its handler/],
  ])('exits 2 for add %j', async (args, message) => {
    const root = await project();
    const before = await snapshot(root);

    const { code, err } = await add(root, ...args);

    expect(code).toBe(2);
    expect(err).toMatch(message);
    expect(await snapshot(root)).toEqual(before);
  });

  it('exits 2 outside a project, saying where it looked', async () => {
    const root = await project({ 'package.json': '{}' });

    const { code, err } = await add(join(root, 'src'), 'aggregate', 'Order');
    const outside = await add('/', 'aggregate', 'Order');

    expect(code).toBe(0);
    expect(err).toBe('');
    expect(outside.code).toBe(2);
    expect(outside.err).toMatch(/found no package.json in \/ or the folders above it/);
  });

  it('refuses a planned folder that is a file, before writing anything', async () => {
    const root = await project({ 'src/order': 'not a folder\n' });
    const before = await snapshot(root);

    const { code, err } = await add(root, 'aggregate', 'Order');

    expect(code).toBe(2);
    expect(err).toMatch(/src\/order is a file, where a folder is needed/);
    expect(await snapshot(root)).toEqual(before);
  });

  it('never overwrites a file of the same path with other content', async () => {
    const root = await project({ 'src/task/task-started.ts': '// mine\n' });
    const before = await snapshot(root);

    const { code, err } = await add(root, 'event', 'TaskStarted', '-a', 'Task');

    expect(code).toBe(2);
    expect(err).toMatch(/src\/task\/task-started.ts already exists.*never overwrites/);
    expect(await snapshot(root)).toEqual(before);
  });

  it('undoes every write when one fails half-way, and exits 1', async () => {
    const root = await project();
    const before = await snapshot(root);
    let writes = 0;
    const failing: Writer = {
      ...fileWriter,
      create: async (path, content) => {
        if (++writes === 4) throw new Error('ENOSPC: no space left on device');
        await fileWriter.create(path, content);
      },
    };

    const error = await runAdd('aggregate', 'Order', {}, completeIo({ cwd: root }), failing).catch(
      (caught: unknown) => caught,
    );

    expect(error).toBeInstanceOf(CommandFailure);
    expect(error).toMatchObject({ exitCode: 1 });
    expect((error as Error).message).toMatch(/ENOSPC.*the project is as it was/);
    expect(await snapshot(root)).toEqual(before);
  });
});
