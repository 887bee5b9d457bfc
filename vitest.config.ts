import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defaultServerConditions } from 'vite';
import { defineConfig } from 'vitest/config';

/** Workspaces run from TypeScript source: the `source` export condition points at `src/`. */
const conditions = ['source', ...defaultServerConditions];

/** The repository root: `npm test -w <workspace>` runs vitest from the workspace's folder. */
const repoRoot = fileURLToPath(new URL('.', import.meta.url));

/** Every chapter folder is a workspace of its own; its package name names its vitest project. */
function chapterWorkspaces(): { name: string; root: string }[] {
  return readdirSync(`${repoRoot}chapters`, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const root = `chapters/${entry.name}`;
      const packageJson = readFileSync(`${repoRoot}${root}/package.json`, 'utf8');
      const { name } = JSON.parse(packageJson) as { name: string };
      return { name, root };
    });
}

/**
 * Resolves PostgreSQL and Redis once per run for the integration tier (or says loudly why it is
 * skipped; fails under CI=true). Absolute, because each project resolves paths from its own root.
 */
const globalSetup = fileURLToPath(
  new URL('./framework/src/testing/global-setup.ts', import.meta.url),
);

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
      resolve: { conditions },
      ssr: { resolve: { conditions } },
      test: {
        name,
        root: `${repoRoot}${root}`,
        include: ['**/*.{unit,int,e2e}.spec.ts'],
        exclude: ['**/node_modules/**', '**/dist/**', '**/.tsbuild/**'],
        globalSetup: [globalSetup],
        // Sized for a busy laptop: e2e tests start processes, and a loaded machine is slow.
        testTimeout: 30_000,
        hookTimeout: 60_000,
      },
    })),
  },
});
