/** Small pieces of generated text shared by the templates. */
import type { ElementName } from '../names.js';

/** The tier of the generated tests that run the domain: unit in memory, or integration. */
export type Tier = 'unit' | 'int';

/** `OrderItem` -> `order item`: how comments and test titles say a name. */
export function phrase(name: ElementName): string {
  return name.kebab.replace(/-/g, ' ');
}

/** `an order item`, `a task`. */
export function withArticle(name: ElementName): string {
  const said = phrase(name);
  return `${/^[aeiou]/.test(said) ? 'an' : 'a'} ${said}`;
}

/** Joins lines into a module's text, ending with one newline. */
export function lines(...parts: (string | false | undefined)[]): string {
  return `${parts.filter((part) => part !== false && part !== undefined).join('\n')}\n`;
}

/** The `protean-ts/testing` (and integration) imports of a suite that runs the domain. */
export function suiteImports(tier: Tier, testingImports: string[]): string[] {
  const testing = [...(tier === 'int' ? ['describeIntegration'] : []), ...testingImports].sort();
  return [
    ...(testing.length > 0 ? [`import { ${testing.join(', ')} } from 'protean-ts/testing';`] : []),
    ...(tier === 'int' ? ["import { useDomainOnOwnServices } from './integration.js';"] : []),
  ];
}

/** The opening of a suite that runs the domain: on its own services, or initialised in memory. */
export function domainSuite(tier: Tier, title: string): string[] {
  if (tier === 'int') {
    return ['', `describeIntegration(${quote(title)}, () => {`, '  useDomainOnOwnServices();'];
  }
  return [
    '',
    `describe(${quote(title)}, () => {`,
    '  beforeEach(async () => {',
    '    await domain.init();',
    '  });',
    '',
    '  afterEach(async () => {',
    '    await domain.close();',
    '  });',
  ];
}

/** The `vitest` import of a suite that runs the domain, with `extra` names (`expect`, `it`). */
export function vitestImport(tier: Tier, extra: string[]): string {
  const names = tier === 'int' ? extra : ['afterEach', 'beforeEach', 'describe', ...extra];
  return `import { ${[...new Set(names)].sort().join(', ')} } from 'vitest';`;
}

/** `import { A, B } from '../src/index.js';` with the names sorted, case-insensitively. */
export function indexImport(names: string[]): string {
  const sorted = [...new Set(names)].sort((a, b) => a.localeCompare(b, 'en'));
  return `import { ${sorted.join(', ')} } from '../src/index.js';`;
}

/** A single-quoted string literal. */
export function quote(text: string): string {
  return `'${text.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
