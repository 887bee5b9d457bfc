import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitepress';
import { whatChangedPlugin } from '../scripts/chapter-diff.js';

/** The tutorial's chapter packages, compared by the `<!--@what-changed: ...-->` sections. */
const chaptersDir = fileURLToPath(new URL('../../chapters', import.meta.url));

/**
 * The protean-ts docs site.
 *
 * Pages import code from tested files with `<<< @/../chapters/...#region{ts}` (`@` is this
 * folder, docs/): the chapter packages for the tutorial, the framework's tests and their Bookshelf
 * fixture for the guides. `tests/imports.unit.spec.ts` checks every such import, because
 * VitePress 1.x embeds the whole file when a region name is wrong.
 *
 * Tutorial pages also write `<!--@what-changed: 01-first-aggregate 02-fields-and-value-objects-->`:
 * `whatChangedPlugin` replaces it with the files and diffs between the two chapter folders.
 */
export default defineConfig({
  title: 'protean-ts',
  description:
    'Learn and practise domain-driven, event-driven design in TypeScript: a compact framework, ' +
    'a chapter-by-chapter tutorial and a scaffolder for your own domains.',
  lang: 'en-GB',
  cleanUrls: true,
  // A broken link must fail `vitepress build`, never ship.
  ignoreDeadLinks: false,
  // Notes for contributors and the checker's own tests are not pages of the site.
  srcExclude: ['**/README.md', 'tests/**', 'scripts/**'],

  markdown: {
    config: (md) => whatChangedPlugin(md, chaptersDir),
  },

  themeConfig: {
    nav: [
      { text: 'Tutorial', link: '/tutorial/', activeMatch: '^/tutorial/' },
      { text: 'Guides', link: '/guides/getting-started', activeMatch: '^/guides/' },
      { text: 'Reference', link: '/reference/', activeMatch: '^/reference/' },
    ],

    sidebar: {
      '/tutorial/': [
        {
          text: 'The Bookshelf tutorial',
          items: [
            { text: 'About the tutorial', link: '/tutorial/' },
            { text: '1. Your first aggregate', link: '/tutorial/01-first-aggregate' },
            {
              text: '2. Fields and value objects',
              link: '/tutorial/02-fields-and-value-objects',
            },
            {
              text: '3. Entities and associations',
              link: '/tutorial/03-entities-and-associations',
            },
            { text: '4. Business rules', link: '/tutorial/04-business-rules' },
            { text: '5. Commands', link: '/tutorial/05-commands' },
            { text: '6. Events and handlers', link: '/tutorial/06-events-and-handlers' },
            { text: '7. Projections', link: '/tutorial/07-projections' },
          ],
        },
      ],
      '/guides/': [
        {
          text: 'Guides',
          items: [
            { text: 'Getting started', link: '/guides/getting-started' },
            { text: 'Scaffolding a domain', link: '/guides/scaffolding' },
            { text: 'The domain model', link: '/guides/domain-model' },
            { text: 'Processing', link: '/guides/processing' },
            { text: 'Running the server', link: '/guides/server' },
            { text: 'Deploying the server', link: '/guides/deployment' },
            { text: 'Testing', link: '/guides/testing' },
            { text: 'PostgreSQL', link: '/guides/postgresql' },
            { text: 'The outbox', link: '/guides/outbox' },
            { text: 'Observability', link: '/guides/observability' },
          ],
        },
      ],
      '/reference/': [
        {
          text: 'Reference',
          items: [
            { text: 'Overview', link: '/reference/' },
            { text: 'Configuration', link: '/reference/configuration' },
            { text: 'Errors', link: '/reference/errors' },
            { text: 'The protean command', link: '/reference/cli' },
          ],
        },
      ],
    },

    outline: [2, 3],
    search: { provider: 'local' },
    footer: { message: 'Released under the MIT License.' },
  },
});
