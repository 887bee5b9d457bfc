// ESLint flat config for the whole monorepo.
//
// Three jobs: typescript-eslint's recommended rules (not type-checked, so lint stays fast), the
// framework's layering rules (the inner layers never reach adapters, the server, the CLI, drivers
// or the network; each rule's message says why), and a circular-import check that resolves
// `./x.js` to `./x.ts` the way NodeNext does.
import { fileURLToPath } from 'node:url';
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Absolute repo root, so the resolver finds the tsconfigs whatever the process's cwd is. */
const repoRoot = fileURLToPath(new URL('.', import.meta.url));

const TS_FILES = ['**/*.{ts,mts,cts}'];
const JS_FILES = ['**/*.{js,mjs,cjs}'];

// ---------------------------------------------------------------------------------------------
// Layering: what each folder of framework/src may not import.
//
// Flat config does not merge the options of one rule across blocks (the last matching block
// wins), so every folder below gets one complete `no-restricted-imports` option built from
// these pieces.
// ---------------------------------------------------------------------------------------------

const NETWORK_AND_PROCESS_MODULES = [
  'net',
  'http',
  'https',
  'http2',
  'tls',
  'dgram',
  'dns',
  'child_process',
  'cluster',
];

const INNER_LAYERS_WHY =
  'core/, domain/, ports/, config/, unit-of-work/ and internal/ are the pure inner layers: they ' +
  'must run with no network, no processes and no drivers installed.';

/** `pg` and `node:net` style names that the inner layers must not touch. */
function networkAndProcessPaths() {
  return NETWORK_AND_PROCESS_MODULES.flatMap((name) =>
    [name, `node:${name}`].map((spelling) => ({
      name: spelling,
      message:
        `${INNER_LAYERS_WHY} Networking and process spawning belong in adapters/ or server/; ` +
        'declare what you need as an interface in ports/ and let an adapter implement it. ' +
        '(node:fs, node:path and node:url are fine.)',
    })),
  );
}

const networkAndProcessSubpaths = {
  regex: `^(node:)?(${NETWORK_AND_PROCESS_MODULES.join('|')})/`,
  message: `${INNER_LAYERS_WHY} Networking and process spawning belong in adapters/ or server/.`,
};

const PG = {
  name: 'pg',
  message:
    'The PostgreSQL driver is optional and loads only in framework/src/adapters/postgres/ ' +
    '(and testing/), so the core entry point works without it installed. Depend on a port ' +
    '(DatabaseProvider, EventStore, OutboxStore) from ports/ instead.',
};

const IOREDIS = {
  name: 'ioredis',
  message:
    'The Redis driver is optional and loads only in framework/src/adapters/redis/ ' +
    '(and testing/), so the core entry point works without it installed. Depend on the ' +
    'Broker port from ports/ instead.',
};

/** Deep imports such as `pg/lib/...`: same rule as the driver itself. */
const driverSubpath = ({ name, message }) => ({ regex: `^${name}/`, message });

/**
 * Imports that climb out of the current folder into one of `folders` (`../server/engine.js`,
 * `../../adapters/memory/index.js`), or reach them through the package's own subpath exports
 * (`protean-ts/server`).
 */
function layerImports({ folders, subpaths }, message) {
  return [
    { regex: `^(\\.{1,2}/)*\\.\\./(${folders.join('|')})(/|$)`, message },
    { regex: `^protean-ts/(${subpaths.join('|')})(/|$)`, message },
  ];
}

const innerLayerBoundary = layerImports(
  {
    folders: ['adapters', 'server', 'cli', 'observatory'],
    subpaths: ['adapter', 'postgres', 'redis', 'server', 'observatory', 'cli'],
  },
  `${INNER_LAYERS_WHY} They must not depend on adapters/, server/, cli/ or observatory/: ` +
    'define an interface in ports/ (or take the dependency as a parameter) and let the outer ' +
    'layer pass the implementation in.',
);

const serverBoundary = layerImports(
  { folders: ['observatory'], subpaths: ['observatory'] },
  'observatory/ depends on server/, never the reverse (that would be a cycle between the two). ' +
    'Expose what the observatory needs from server/ (an event, a hook, a status getter) and ' +
    'let observatory/ read it.',
);

const restrict = ({ paths = [], patterns = [] }) => ({
  'no-restricted-imports': ['error', { paths, patterns }],
});

/**
 * Dynamic `import('pg')` slips past `no-restricted-imports`; the inner layers ban it too
 * (lazy loading is for adapters).
 */
const INNER_LAYERS_NO_DYNAMIC_IMPORT = {
  'no-restricted-syntax': [
    'error',
    {
      selector:
        `ImportExpression > Literal[value=/^(node:)?(${NETWORK_AND_PROCESS_MODULES.join('|')})(\\u002F|$)/], ` +
        'ImportExpression > Literal[value=/^(pg|ioredis)(\\u002F|$)/]',
      message:
        `${INNER_LAYERS_WHY} A dynamic import of a driver or a networking module belongs in ` +
        'an adapter; depend on a port instead.',
    },
  ],
};

// internal/ holds helpers the inner layers share with the outer ones (test-only failpoints), so it
// obeys the inner layers' rules.
const INNER_LAYERS = ['core', 'domain', 'ports', 'config', 'unit-of-work', 'internal'].map(
  (folder) => `framework/src/${folder}/**`,
);

const layering = [
  {
    name: 'layering/framework: drivers only in their adapter',
    files: ['framework/src/**/*.{ts,mts,cts,js}'],
    rules: restrict({
      paths: [PG, IOREDIS],
      patterns: [driverSubpath(PG), driverSubpath(IOREDIS)],
    }),
  },
  {
    name: 'layering/framework: adapters/postgres may use pg',
    files: ['framework/src/adapters/postgres/**'],
    rules: restrict({ paths: [IOREDIS], patterns: [driverSubpath(IOREDIS)] }),
  },
  {
    name: 'layering/framework: adapters/redis may use ioredis',
    files: ['framework/src/adapters/redis/**'],
    rules: restrict({ paths: [PG], patterns: [driverSubpath(PG)] }),
  },
  {
    name: 'layering/framework: testing may use both drivers',
    files: ['framework/src/testing/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    name: 'layering/framework: server never imports observatory',
    files: ['framework/src/server/**'],
    rules: restrict({
      paths: [PG, IOREDIS],
      patterns: [driverSubpath(PG), driverSubpath(IOREDIS), ...serverBoundary],
    }),
  },
  {
    name: 'layering/framework: pure inner layers',
    files: INNER_LAYERS,
    rules: {
      ...restrict({
        paths: [PG, IOREDIS, ...networkAndProcessPaths()],
        patterns: [
          driverSubpath(PG),
          driverSubpath(IOREDIS),
          networkAndProcessSubpaths,
          ...innerLayerBoundary,
        ],
      }),
      ...INNER_LAYERS_NO_DYNAMIC_IMPORT,
    },
  },
];

// ---------------------------------------------------------------------------------------------
// The config
// ---------------------------------------------------------------------------------------------

export default defineConfig([
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    '**/.tsbuild/',
    '**/coverage/',
    'docs/.vitepress/cache/',
    'docs/.vitepress/dist/',
    // Handlebars trees: not valid TypeScript until create-domain renders them.
    'templates/blueprints/',
  ]),

  {
    name: 'base: javascript',
    files: [...TS_FILES, ...JS_FILES],
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.node },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      'no-console': 'error',
    },
  },
  {
    name: 'base: commonjs',
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },

  {
    name: 'base: typescript',
    files: TS_FILES,
    extends: [tseslint.configs.recommended],
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          args: 'after-used',
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
    },
  },
  {
    name: 'base: javascript unused vars',
    files: JS_FILES,
    rules: {
      'no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
    },
  },

  {
    name: 'console: allowed where printing is the point',
    files: [
      '**/cli/**',
      '**/cli.ts',
      '**/bin/**',
      '**/main.ts',
      '**/scripts/**',
      '.ci/**',
      '**/tests/**',
      '**/*.spec.ts',
      '*.config.{ts,js}',
    ],
    rules: { 'no-console': 'off' },
  },

  {
    name: 'imports: circular-import check',
    files: [
      'framework/src/**/*.ts',
      'framework/tests/**/*.ts',
      'templates/src/**/*.ts',
      'bookshelf/src/**/*.ts',
      'chapters/*/src/**/*.ts',
    ],
    plugins: { 'import-x': importX },
    settings: {
      // Without these, import-x resolves `./b.js` to `b.ts` but then skips `b.ts` as an
      // unknown extension, and no-cycle silently finds nothing (the cycle test guards this).
      'import-x/extensions': ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.mts', '.cts'] },
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          // Each workspace's own tsconfig; `.js` specifiers map to `.ts` sources (NodeNext).
          project: [
            'framework/tsconfig.json',
            'templates/tsconfig.json',
            'bookshelf/tsconfig.json',
            'chapters/*/tsconfig.json',
          ].map((project) => `${repoRoot}${project}`),
          noWarnOnMultipleProjects: true,
          // Workspaces import each other from source (the "source" export condition).
          conditionNames: ['source', 'types', 'import', 'node', 'default'],
        }),
      ],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
    },
  },

  ...layering,
]);
