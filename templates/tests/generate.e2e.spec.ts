/**
 * The promise of create-domain: a generated project typechecks and its tests pass, against the
 * protean-ts of this repository (built and packed here, never fetched from the registry). The
 * other dependencies (typescript, vitest, tsx, @types/node) come from the npm registry.
 *
 * Set PROTEAN_TS_TARBALL to a packed protean-ts .tgz to skip the build and pack.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const bin = fileURLToPath(new URL('../bin/create-domain.js', import.meta.url));
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

interface Ran {
  code: number;
  stdout: string;
  /** stdout, then stderr. */
  output: string;
}

/**
 * The environment for commands run in the generated project: without the `npm_*` variables of
 * the workspace run that started vitest (a `npm_config_workspace` would send `npm install` looking
 * for workspaces), and without colour, so output can be matched.
 */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.toLowerCase().startsWith('npm_')),
  );
  delete env['FORCE_COLOR'];
  return { ...env, NO_COLOR: '1' };
}

function run(command: string, args: string[], cwd: string): Promise<Ran> {
  return new Promise((done) => {
    execFile(
      command,
      args,
      { cwd, env: cleanEnv(), maxBuffer: 64 * 1024 * 1024, shell: process.platform === 'win32' },
      (error, stdout, stderr) =>
        done({ code: error ? Number(error.code ?? 1) : 0, stdout, output: `${stdout}\n${stderr}` }),
    );
  });
}

/** Runs a step and fails with its output when it does not exit 0. */
async function step(what: string, command: string, args: string[], cwd: string): Promise<Ran> {
  const ran = await run(command, args, cwd);
  if (ran.code !== 0) {
    throw new Error(
      `${what} failed with exit code ${ran.code} (in ${cwd}):\n${ran.output.slice(-4000)}`,
    );
  }
  return ran;
}

/** Builds protean-ts from this repository and packs it into `dir`; resolves with the tarball. */
async function packFramework(dir: string): Promise<string> {
  const given = process.env['PROTEAN_TS_TARBALL'];
  if (given) return resolve(given);
  await step(
    'Building protean-ts (npm run build -w protean-ts)',
    npm,
    ['run', 'build', '-w', 'protean-ts'],
    repoRoot,
  );
  const packed = await step(
    'Packing protean-ts',
    npm,
    ['pack', '--json', '--pack-destination', dir],
    join(repoRoot, 'framework'),
  );
  const [{ filename }] = JSON.parse(packed.stdout) as [{ filename: string }];
  return join(dir, filename);
}

/** Points the generated project's protean-ts dependency at the tarball. */
async function useTarball(project: string, tarball: string): Promise<void> {
  const path = join(project, 'package.json');
  const manifest = JSON.parse(await readFile(path, 'utf8')) as {
    dependencies: Record<string, string>;
  };
  manifest.dependencies['protean-ts'] = `file:${tarball}`;
  await writeFile(path, `${JSON.stringify(manifest, null, 2)}\n`);
}

let workDir = '';
let tarball = '';

beforeAll(async () => {
  workDir = await mkdtemp(join(tmpdir(), 'create-domain-e2e-'));
  tarball = await packFramework(workDir);
}, 240_000);

afterAll(async () => {
  if (workDir) await rm(workDir, { recursive: true, force: true });
});

describe.each([
  {
    variant: 'with the example',
    flags: [],
    tests: 7,
    says: 'task "Write the first use case" is done',
  },
  {
    variant: 'without the example',
    flags: ['--no-example'],
    tests: 1,
    says: 'add its first aggregate',
  },
])('a project generated $variant', ({ variant, flags, tests, says }) => {
  const name = variant === 'with the example' ? 'my-shop' : 'bare-shop';
  let project = '';

  beforeAll(async () => {
    project = join(workDir, name);
    await step(
      'Generating the project',
      process.execPath,
      [bin, project, '--yes', '--no-install', '--no-git', ...flags],
      workDir,
    );
    await useTarball(project, tarball);
    await step('npm install', npm, ['install', '--no-audit', '--no-fund'], project);
  }, 240_000);

  it('typechecks with tsc --noEmit', async () => {
    await step('npm run typecheck', npm, ['run', 'typecheck'], project);
  }, 120_000);

  it('passes its own tests', async () => {
    const { output } = await step('npm test', npm, ['test'], project);

    expect(output).toMatch(new RegExp(`Tests\\s+${tests} passed \\(${tests}\\)`));
    expect(output).not.toMatch(/\bfailed\b/);
  }, 120_000);

  it('runs src/main.ts with npm start', async () => {
    const { output } = await step('npm start', npm, ['start'], project);

    expect(output).toContain(`Domain "${name.replace('-', '_')}" is running`);
    expect(output).toContain(says);
  }, 120_000);

  it('writes a domain.toml that parses as TOML, with the in-memory providers', async () => {
    // smol-toml is protean-ts's TOML parser, installed with it.
    const script =
      "import { parse } from 'smol-toml'; import { readFileSync } from 'node:fs';" +
      "console.log(JSON.stringify(parse(readFileSync('domain.toml', 'utf8'))));";
    const { stdout } = await step(
      'Parsing domain.toml',
      process.execPath,
      ['--input-type=module', '-e', script],
      project,
    );
    const config = JSON.parse(stdout) as Record<string, unknown>;

    expect(config).toMatchObject({
      event_processing: 'sync',
      command_processing: 'sync',
      enable_outbox: false,
      databases: { default: { provider: 'memory' } },
      event_store: { provider: 'memory' },
      brokers: { default: { provider: 'inline' } },
      test: { message_processing: 'sync' },
      production: { logging: { format: 'json' } },
    });
  });
});
