import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  checkRelative,
  listBlueprint,
  outputPath,
  planFiles,
  renderTemplate,
  type PlannedFile,
} from '../src/render.js';
import { useTempDirs } from './helpers.js';

const tempDir = useTempDirs();

/** Every byte value, so a copy that decodes or re-encodes anything would show. */
const BINARY = Uint8Array.from({ length: 256 }, (_, index) => index);

async function fixtureBlueprint(): Promise<string> {
  const root = await tempDir();
  const files: Record<string, string | Uint8Array> = {
    'README.md.hbs': '# {{name}}\n',
    'notes.txt': 'Kept as is: {{name}} and {{{raw}}} are not rendered.\r\n',
    'logo.bin': BINARY,
    _gitignore: 'node_modules/\n',
    'src/__example__/__example__.ts.hbs': 'export const owner = {{json name}};\n',
    'src/plain.ts': "export const x = '{{x}}';\n",
  };
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(root, path, '..'), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return root;
}

const byPath = (files: PlannedFile[]) =>
  Object.fromEntries(files.map((file) => [file.path, file.content]));
const text = (bytes: Uint8Array | undefined) => new TextDecoder().decode(bytes);

describe('outputPath()', () => {
  it('drops the .hbs suffix of templates only', () => {
    expect(outputPath('package.json.hbs', {})).toBe('package.json');
    expect(outputPath('src/domain.ts', {})).toBe('src/domain.ts');
  });

  it('renames _gitignore to .gitignore, wherever it is', () => {
    expect(outputPath('_gitignore', {})).toBe('.gitignore');
    expect(outputPath('sub/_gitignore', {})).toBe('sub/.gitignore');
    expect(outputPath('my_gitignore', {})).toBe('my_gitignore');
  });

  it('fills __key__ segments from the path variables', () => {
    expect(outputPath('src/__example__/__example__.ts.hbs', { example: 'task' })).toBe(
      'src/task/task.ts',
    );
  });

  it('leaves out a file whose path variable is unset', () => {
    expect(outputPath('tests/__example__.unit.spec.ts.hbs', { example: undefined })).toBeNull();
    expect(outputPath('tests/__other__.ts', {})).toBeNull();
  });

  it('refuses a path variable that would climb out of the target', () => {
    expect(() => outputPath('src/__example__/x.ts', { example: '../../etc' })).toThrow(
      expect.objectContaining({ code: 'PATH_ESCAPES_TARGET' }),
    );
  });
});

describe('checkRelative()', () => {
  it('normalises paths that stay inside', () => {
    expect(checkRelative('src/./domain.ts')).toBe('src/domain.ts');
    expect(checkRelative('src/../README.md')).toBe('README.md');
  });

  it.each(['../outside.txt', 'src/../../outside.txt', '/etc/passwd', 'C:\\Windows\\x', '.', '..'])(
    'refuses %j with PATH_ESCAPES_TARGET',
    (path) => {
      expect(() => checkRelative(path)).toThrow(
        expect.objectContaining({ code: 'PATH_ESCAPES_TARGET' }),
      );
    },
  );
});

describe('renderTemplate()', () => {
  it('renders without HTML escaping, since the output is code', () => {
    expect(renderTemplate("a < b && '{{v}}'", { v: '<x>' })).toBe("a < b && '<x>'");
  });

  it('has a json helper and an envRef helper for domain.toml', () => {
    expect(renderTemplate('{{json v}}', { v: 'say "hi"' })).toBe('"say \\"hi\\""');
    expect(renderTemplate('{{envRef "DATABASE_URL" url}}', { url: 'postgresql://h/db' })).toBe(
      '${DATABASE_URL|postgresql://h/db}',
    );
  });

  it('fails loudly, naming the file, on a variable the context lacks', () => {
    expect(() => renderTemplate('{{nope}}', {}, 'README.md.hbs')).toThrow(
      /Could not render the blueprint file README\.md\.hbs: .*"nope" not defined/,
    );
  });
});

describe('planFiles()', () => {
  it('lists a blueprint as sorted relative paths', async () => {
    expect(await listBlueprint(await fixtureBlueprint())).toEqual([
      'README.md.hbs',
      '_gitignore',
      'logo.bin',
      'notes.txt',
      'src/__example__/__example__.ts.hbs',
      'src/plain.ts',
    ]);
  });

  it('renders only *.hbs files and copies every other file byte for byte', async () => {
    const files = byPath(
      await planFiles(await fixtureBlueprint(), { name: 'shop', raw: 'r' }, { example: 'task' }),
    );

    expect(Object.keys(files).sort()).toEqual([
      '.gitignore',
      'README.md',
      'logo.bin',
      'notes.txt',
      'src/plain.ts',
      'src/task/task.ts',
    ]);
    expect(text(files['README.md'])).toBe('# shop\n');
    expect(text(files['src/task/task.ts'])).toBe('export const owner = "shop";\n');
    expect(text(files['notes.txt'])).toBe(
      'Kept as is: {{name}} and {{{raw}}} are not rendered.\r\n',
    );
    expect(text(files['src/plain.ts'])).toBe("export const x = '{{x}}';\n");
    expect(files['logo.bin']).toEqual(BINARY);
    expect(text(files['.gitignore'])).toBe('node_modules/\n');
  });

  it('leaves the example files out when the example is off', async () => {
    const files = await planFiles(
      await fixtureBlueprint(),
      { name: 'shop' },
      { example: undefined },
    );

    expect(files.map((file) => file.path)).not.toContain('src/task/task.ts');
    expect(files).toHaveLength(5);
  });

  it('refuses two blueprint files that would write the same path', async () => {
    const root = await tempDir();
    await writeFile(join(root, 'a.txt'), 'plain');
    await writeFile(join(root, 'a.txt.hbs'), 'template');

    await expect(planFiles(root, {}, {})).rejects.toThrow(
      'Blueprint files a.txt and a.txt.hbs would both write a.txt; remove one.',
    );
  });
});
