/** `protean add`, declared: ../add/run.ts runs it. */
import { KINDS } from '../add/kinds.js';
import { command } from '../define.js';

/** `protean add <kind> <name>`: new elements in a project, written from the project's layout. */
export const add = command({
  name: 'add',
  description:
    'add an element to the project in the current folder: new files with a passing test, ' +
    'registered in src/index.ts; never overwrites',
  arguments: [
    { name: '<kind>', description: 'what to add', choices: KINDS },
    {
      name: '<name>',
      description: 'its name: OrderItem, orderItem and order-item are the same',
    },
  ],
  options: [
    {
      flags: '-a, --aggregate <aggregate>',
      description:
        'the aggregate it belongs to (needed by every kind but aggregate and subscriber)',
    },
    {
      flags: '--dry-run',
      description: 'print the files and edits it would make, as a diff, and write nothing',
    },
  ],
  helpAfter: [
    '',
    'Examples:',
    '  protean add aggregate Order',
    '  protean add command ShipOrder --aggregate Order',
    '  protean add projection OrderList --aggregate Order --dry-run',
    '',
    'A second identical run changes nothing; a failed run leaves the project as it was.',
  ].join('\n'),
  run: async ({ args: [kind, name], options, io }): Promise<void> =>
    (await import('../add/run.js')).runAdd(kind, name, options, io),
});
