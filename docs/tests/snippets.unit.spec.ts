import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createMarkdownRenderer, disposeMdItInstance } from 'vitepress';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkDocs,
  checkImport,
  findImportLines,
  findRegion,
  formatProblem,
  importsOfPage,
  listPages,
  resolveImport,
} from './snippets.js';

const CODE = [
  "import { Domain } from 'protean-ts';",
  '',
  '// #region domain',
  "export const domain = new Domain({ name: 'bookshelf' });",
  '// #endregion domain',
  '',
  '// #region book',
  'export class Book {',
  '  onlyInBookRegion = 1;',
  '}',
  '// #endregion book',
  '',
  '// #region unfinished',
  'export const outsideEveryRegion = 2;',
  '',
].join('\n');

let root: string;
let docs: string;

function write(path: string, text: string): string {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** Writes a page holding `markdown` and returns the problems the checker finds in it. */
function problemsOf(name: string, markdown: string): string[] {
  const page = write(`docs/${name}`, markdown);
  return importsOfPage(page, docs).flatMap((entry) => checkImport(entry, docs) ?? []);
}

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'docs-snippets-'));
  docs = join(root, 'docs');
  write('code/domain.ts', CODE);
  write('code/output.txt', 'Book added\n');
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

describe('the snippet checker', () => {
  it('accepts an import of an existing file and region', () => {
    expect(problemsOf('good.md', '<<< @/../code/domain.ts#book\n')).toEqual([]);
  });

  it('accepts a language suffix, line highlights, attributes and a title', () => {
    const page = [
      '<<< @/../code/domain.ts#book{ts}',
      '<<< @/../code/domain.ts#book{2 ts}',
      '<<< @/../code/domain.ts#domain{1,3-4 ts:line-numbers}',
      '<<< @/../code/domain.ts#domain [domain.ts]',
      '<<< @/../code/output.txt{text}',
    ].join('\n');
    expect(problemsOf('suffixes.md', page)).toEqual([]);

    const regions = importsOfPage(join(docs, 'suffixes.md'), docs).map((entry) => entry.region);
    expect(regions).toEqual(['book', 'book', 'domain', 'domain', undefined]);
  });

  it('reports a missing file, naming the page, the line and the import', () => {
    const page = write(
      'docs/tutorial/missing.md',
      '# Missing\n\n<<< @/../code/nowhere.ts#book{ts}\n',
    );
    const { problems } = checkDocs(docs);
    const problem = problems.find((found) => found.page === page);

    expect(problem).toBeDefined();
    expect(formatProblem(problem!, docs)).toBe(
      'tutorial/missing.md:3: <<< @/../code/nowhere.ts#book{ts}\n  file not found: ../code/nowhere.ts',
    );
    rmSync(page);
  });

  it('reports a region name that is not in the file, listing the ones that are', () => {
    expect(problemsOf('typo.md', '<<< @/../code/domain.ts#bok{ts}\n')).toEqual([
      'region bok not found: no `// #region bok` marker in ../code/domain.ts ' +
        '(regions in that file: domain, book, unfinished); VitePress would embed the whole file',
    ]);
  });

  it('reports a region that is opened but never closed', () => {
    expect(problemsOf('unclosed.md', '<<< @/../code/domain.ts#unfinished\n')).toEqual([
      'region unfinished has no `// #endregion unfinished` marker in ../code/domain.ts; ' +
        'VitePress would embed the whole file',
    ]);
  });

  it('points out a region name VitePress cannot parse', () => {
    expect(problemsOf('dotted.md', '<<< @/../code/domain.ts#add.book\n')).toEqual([
      'file not found: ../code/domain.ts#add.book (region names may use only letters, digits, _ and -)',
    ]);
  });

  it('explains the __snapshots__ path Prettier rewrites to **snapshots**', () => {
    write('code/__snapshots__/out.txt', 'ok\n');
    expect(problemsOf('good-snapshot.md', '<<< @/../code/__snapshots__/out.txt{text}\n')).toEqual(
      [],
    );
    const [problem] = problemsOf('formatted.md', '<<< @/../code/**snapshots**/out.txt{text}\n');
    expect(problem).toMatch(/^file not found: \.\.\/code\/\*\*snapshots\*\*\/out\.txt \(Prettier/);
    expect(problem).toContain('<!-- prettier-ignore -->');
  });

  it('resolves paths without @ relative to the page', () => {
    const page = join(docs, 'guides/page.md');
    expect(resolveImport('<<< ../../code/domain.ts#book{ts}', page, docs)).toEqual({
      file: join(root, 'code/domain.ts'),
      region: 'book',
    });
    expect(problemsOf('guides/relative.md', '<<< ../../code/domain.ts#domain\n')).toEqual([]);
  });

  it('ignores <<< lines shown inside fenced code blocks', () => {
    const markdown = [
      'Write this in a page:',
      '',
      '````md',
      '```ts',
      '<<< @/nowhere.ts#nothing',
      '```',
      '````',
      '',
      '~~~',
      '<<< @/nowhere.ts',
      '~~~',
      '  <<< @/../code/domain.ts#book',
    ].join('\n');
    expect(findImportLines(markdown)).toEqual([{ line: 12, text: '<<< @/../code/domain.ts#book' }]);
  });

  it('finds regions with the markers VitePress understands', () => {
    expect(findRegion(CODE, 'book')).toBe('found');
    expect(findRegion('  //#region a\nx\n  //#endregion a', 'a')).toBe('found');
    expect(findRegion('# region sql\nselect 1;\n# endregion sql', 'sql')).toBe('found');
    expect(findRegion('// #region a\nx\n# endregion a', 'a')).toBe('no end marker');
    expect(findRegion('// #region ab\nx\n// #endregion ab', 'a')).toBe('no start marker');
  });

  it('scans every page but dependencies, build output and the VitePress cache', () => {
    write('docs/node_modules/pkg/readme.md', '<<< @/nowhere.ts\n');
    write('docs/.vitepress/cache/deps/x.md', '<<< @/nowhere.ts\n');
    write('docs/.vitepress/dist/x.md', '<<< @/nowhere.ts\n');
    write('docs/.vitepress/theme/notes.md', 'no imports\n');

    const pages = listPages(docs).map((page) => page.slice(docs.length + 1));
    expect(pages).toContain('.vitepress/theme/notes.md');
    expect(pages.filter((page) => page.includes('node_modules') || page.includes('cache'))).toEqual(
      [],
    );
    expect(pages.filter((page) => page.includes('dist'))).toEqual([]);
  });
});

describe('VitePress itself, on the same fixtures', () => {
  async function render(page: string, markdown: string): Promise<string> {
    const md = await createMarkdownRenderer(docs, {}, '/', { warn: () => undefined });
    return md.render(markdown, { path: write(`docs/${page}`, markdown) });
  }

  afterAll(() => {
    disposeMdItInstance();
  });

  it('embeds only the region when the name matches', async () => {
    const html = await render('vp-good.md', '<<< @/../code/domain.ts#book{ts}\n');
    expect(html).toContain('onlyInBookRegion');
    expect(html).not.toContain('outsideEveryRegion');
  });

  it('silently embeds the whole file when the region name is misspelt (why the checker exists)', async () => {
    const html = await render('vp-typo.md', '<<< @/../code/domain.ts#bok{ts}\n');
    expect(html).toContain('onlyInBookRegion');
    expect(html).toContain('outsideEveryRegion');
  });

  it('fails on a missing file', async () => {
    await expect(render('vp-missing.md', '<<< @/../code/nowhere.ts#book{ts}\n')).rejects.toThrow(
      /ENOENT/,
    );
  });
});
