import { describe, expect, it } from 'vitest';
import { expectHandlers, registerInIndex } from '../../../src/cli/add/registry.js';
import { loadTypeScript } from '../../../src/cli/add/typescript.js';

const ts = await loadTypeScript(process.cwd());

const order = [{ specifier: './order/order.js', exports: ['Order'] }];

describe('registering in src/index.ts, on the syntax tree', () => {
  it('adds the import after the last module import and the export after the last re-export', () => {
    const index = [
      '// #region registrations',
      "import './task/task.js';",
      '',
      "export { domain } from './domain.js';",
      "export { Task } from './task/task.js';",
      '// #endregion registrations',
      '',
    ].join('\n');

    expect(registerInIndex(ts, index, order)).toBe(
      [
        '// #region registrations',
        "import './task/task.js';",
        "import './order/order.js';",
        '',
        "export { domain } from './domain.js';",
        "export { Task } from './task/task.js';",
        "export { Order } from './order/order.js';",
        '// #endregion registrations',
        '',
      ].join('\n'),
    );
  });

  it("keeps the file's own style: double quotes, no semicolons, no extension, CRLF", () => {
    const index = 'import "./task/task"\r\n\r\nexport { Task } from "./task/task"\r\n';

    expect(registerInIndex(ts, index, order)).toBe(
      'import "./task/task"\r\nimport "./order/order"\r\n\r\n' +
        'export { Task } from "./task/task"\r\nexport { Order } from "./order/order"\r\n',
    );
  });

  it('adds a name to the re-export of its module, and changes nothing already there', () => {
    const index = "import './order/order.js';\nexport { Order } from './order/order.js';\n";
    const entries = [{ specifier: './order/order.js', exports: ['Order', 'OrderLine'] }];

    const once = registerInIndex(ts, index, entries);

    expect(once).toBe(
      "import './order/order.js';\nexport { Order, OrderLine } from './order/order.js';\n",
    );
    expect(registerInIndex(ts, once, entries)).toBe(once);
  });

  it('registers in an index with no imports yet, before its first statement', () => {
    const index = '/** The domain. */\nexport { domain } from "./domain.js";\n';

    expect(registerInIndex(ts, index, order)).toBe(
      '/** The domain. */\nimport "./order/order.js";\n\n' +
        'export { domain } from "./domain.js";\nexport { Order } from "./order/order.js";\n',
    );
  });
});

describe("keeping the smoke test's list of handlers", () => {
  const test = (list: string) =>
    `it('lists', () => {\n  const names = domain.handlers().map((h) => h.name);\n  expect(names.sort()).toEqual(${list});\n});\n`;

  it('inserts each name in its sorted place, in the list as written', () => {
    const edited = expectHandlers(ts, test("['AHandler', 'CHandler']"), ['BHandler', 'DHandler']);

    expect(edited).toBe(test("['AHandler', 'BHandler', 'CHandler', 'DHandler']"));
  });

  it('keeps a list written one name a line that way', () => {
    const list = "[\n    'AHandler',\n    'CHandler',\n  ]";

    expect(expectHandlers(ts, test(list), ['BHandler'])).toBe(
      test("[\n    'AHandler',\n    'BHandler',\n    'CHandler',\n  ]"),
    );
  });

  it('fills an empty list, and wraps a list that grows past 100 columns', () => {
    expect(expectHandlers(ts, test('[]'), ['OrderProjector'])).toBe(test("['OrderProjector']"));

    const long = ['AVeryLongCommandHandler', 'AnotherLongCommandHandler', 'YetAnotherHandler'];
    expect(expectHandlers(ts, test("['A']"), long)).toBe(
      test(
        "[\n    'A',\n    'AVeryLongCommandHandler',\n    'AnotherLongCommandHandler',\n    'YetAnotherHandler',\n  ]",
      ),
    );
  });

  it('leaves a test without such a list as it is', () => {
    const other = "it('works', () => {\n  expect(1).toEqual(1);\n});\n";

    expect(expectHandlers(ts, other, ['OrderProjector'])).toBe(other);
  });
});
