import { afterAll, describe, expect, it } from 'vitest';
import { DiscoveryError, discoverDomain } from '../../../src/cli/discovery.js';
import { PROTEAN, project, removeProjects } from '../fixtures.js';

const registry = `import { Domain } from '${PROTEAN}';\nexport const domain = new Domain({ name: 'shop' });\n`;
const order = [
  `import { field } from '${PROTEAN}';`,
  "import { domain } from './registry.js';",
  "export class Order extends domain.aggregate('Order', { name: field.string() }) {}",
  '',
].join('\n');

afterAll(removeProjects);

describe('a domain loaded without the aggregates its folder declares', () => {
  it('is an error naming the modules nobody imported, and what to do', async () => {
    const cwd = await project({
      'domain.ts': "export { domain } from './src/registry.js';\n",
      'src/registry.ts': registry,
      'src/order.ts': order,
    });

    const error = await discoverDomain({ cwd, env: {} }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(DiscoveryError);
    expect((error as Error).message).toMatch(
      /domain "shop" from domain.ts has no aggregates, but modules in its folder declare some: Order \(src\/order.ts\)/,
    );
    expect((error as Error).message).toMatch(/src\/index.ts imports them/);
  });

  it('loads when the module protean finds imports them', async () => {
    const cwd = await project({
      'domain.ts': "import './src/order.js';\nexport { domain } from './src/registry.js';\n",
      'src/registry.ts': registry,
      'src/order.ts': order,
    });

    const { domain } = await discoverDomain({ cwd, env: {} });

    expect(domain.name).toBe('shop');
  });

  it('loads a domain that has no aggregates when none is declared beside it', async () => {
    const cwd = await project({
      'domain.ts': registry,
      'tests/fixture.spec.ts': "domain.aggregate('Ignored', {});\n",
      'notes.ts': "// domain.aggregate('InAComment', {})\n",
    });

    const { domain } = await discoverDomain({ cwd, env: {} });

    expect(domain.name).toBe('shop');
  });
});
