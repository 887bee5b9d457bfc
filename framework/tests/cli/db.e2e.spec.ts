import { execFile } from 'node:child_process';
import { mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { domainModule, project, removeProjects } from './fixtures.js';

const framework = fileURLToPath(new URL('../..', import.meta.url));
const bin = join(framework, 'bin/protean.js');
const { PROTEAN_DOMAIN: _ignored, ...env } = process.env;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs node with `args` (stdin is a pipe, never a terminal) and resolves however it exits. */
function node(args: string[], cwd = framework): Promise<Outcome> {
  return promisify(execFile)(process.execPath, args, { cwd, env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: Outcome) => error,
  );
}

const TS_DOMAIN = domainModule(
  {},
  "const name: string = 'bookshelf';\nexport const domain = new Domain({ name });",
);
let root: string;
beforeAll(async () => {
  root = await project({ 'domain.ts': TS_DOMAIN });
});
afterAll(removeProjects);

describe('the protean bin: db commands', () => {
  it('sets up the schema of a TypeScript domain twice in a row', async () => {
    for (let run = 0; run < 2; run += 1) {
      const { code, stdout } = await node([
        bin,
        'db',
        'setup',
        '--domain',
        join(root, 'domain.ts'),
      ]);
      expect(code).toBe(0);
      expect(stdout).toContain('Set up the schema of domain "bookshelf"');
    }
  });

  it('loads domain.ts of the current folder outside a "type": "module" package', async () => {
    const cjs = await project({ 'domain.ts': TS_DOMAIN }, { module: false });
    const { code, stdout } = await node([bin, 'db', 'setup'], cjs);
    expect(code).toBe(0);
    expect(stdout).toContain('domain "bookshelf"');
  });

  it('refuses db drop without --yes and without a terminal: exit 2, message on stderr', async () => {
    const { code, stdout, stderr } = await node([
      bin,
      'db',
      'drop',
      '--domain',
      join(root, 'domain.ts'),
    ]);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('refusing to drop');
    expect(stderr).toContain('pass --yes');
  });

  it('drops with --yes', async () => {
    const { code } = await node([bin, 'db', 'drop', '--yes', '--domain', join(root, 'domain.ts')]);
    expect(code).toBe(0);
  });

  it('exits 2 on an unknown flag of a db command', async () => {
    const { code, stderr } = await node([bin, 'db', 'setup', '--no-such-flag']);
    expect(code).toBe(2);
    expect(stderr).toContain("unknown option '--no-such-flag'");
  });

  it('exits 1 with one message when the domain is missing', async () => {
    const { code, stderr } = await node([bin, 'db', 'setup', '--domain', join(root, 'nope.ts')]);
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('cannot load the domain named by --domain');
  });
});

describe('discovery from compiled JavaScript', () => {
  // A stand-in for an installed package: src/ transpiled to plain JavaScript, run by plain node
  // with nothing registering tsx first. The fixture imports the repository's TypeScript source,
  // so discovery must register tsx itself, and the Domain it gets is from a second copy.
  it('registers TypeScript support itself and accepts a Domain of another copy', async () => {
    const compiled = await transpiledSource();
    const script = `
      const { discoverDomain } = await import(process.argv[1] + '/src/cli/discovery.js');
      const { Domain } = await import(process.argv[1] + '/src/index.js');
      const { domain, source } = await discoverDomain({ cwd: process.argv[2], env: {} });
      console.log(JSON.stringify({ name: domain.name, source, sameCopy: domain instanceof Domain }));
    `;
    const { code, stdout, stderr } = await node([
      '--input-type=module',
      '-e',
      script,
      compiled,
      root,
    ]);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      name: 'bookshelf',
      source: 'domain.ts:domain',
      sameCopy: false,
    });
  });
});

/**
 * framework/src transpiled file by file (no bundling, no type check) into a temp package that sees
 * the repository's node_modules. esbuild comes with tsx, a dependency of protean-ts; it is used
 * rather than TypeScript's transpileModule, which takes seconds for the whole tree.
 */
async function transpiledSource(): Promise<string> {
  const { transform } = await import('esbuild');
  const files = (await readdir(join(framework, 'src'), { recursive: true })).filter((file) =>
    file.endsWith('.ts'),
  );
  const target = await project({});
  await symlink(join(framework, '..', 'node_modules'), join(target, 'node_modules'));
  for (const file of files) {
    const source = await readFile(join(framework, 'src', file), 'utf8');
    const { code } = await transform(source, { loader: 'ts', format: 'esm', target: 'es2023' });
    await mkdir(dirname(join(target, 'src', file)), { recursive: true });
    await writeFile(join(target, 'src', file.replace(/\.ts$/, '.js')), code);
  }
  return target;
}
