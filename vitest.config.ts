import { readdirSync, readFileSync } from 'node:fs';
import { defineConfig } from 'vitest/config';

/** Every chapter folder is a workspace of its own; its package name names its vitest project. */
function chapterWorkspaces(): { name: string; root: string }[] {
  return readdirSync('chapters', { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const root = `chapters/${entry.name}`;
      const { name } = JSON.parse(readFileSync(`${root}/package.json`, 'utf8')) as { name: string };
      return { name, root };
    });
}

const workspaces = [
  { name: 'framework', root: 'framework' },
  { name: 'create-domain', root: 'templates' },
  { name: '@bookshelf/app', root: 'bookshelf' },
  ...chapterWorkspaces(),
  { name: 'docs', root: 'docs' },
];

export default defineConfig({
  test: {
    projects: workspaces.map(({ name, root }) => ({
      resolve: { conditions: ['source'] },
      test: {
        name,
        root,
        include: ['**/*.{unit,int,e2e}.spec.ts'],
        exclude: ['**/node_modules/**', '**/dist/**', '**/.tsbuild/**'],
      },
    })),
  },
});
