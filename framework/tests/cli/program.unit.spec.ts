import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.js';

function capture() {
  const io = { stdout: '', stderr: '' };
  return {
    io,
    sinks: {
      out: (text: string) => void (io.stdout += text),
      err: (text: string) => void (io.stderr += text),
    },
  };
}

const { version } = JSON.parse(
  readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
) as {
  version: string;
};

describe('the protean command', () => {
  it('prints the package version with --version and exits 0', async () => {
    const { io, sinks } = capture();
    expect(await runCli(['--version'], sinks)).toBe(0);
    expect(io.stdout.trim()).toBe(version);
  });

  it('prints usage with --help and exits 0', async () => {
    const { io, sinks } = capture();
    expect(await runCli(['--help'], sinks)).toBe(0);
    expect(io.stdout).toContain('Usage: protean');
    expect(io.stdout).toContain('--version');
  });

  it('prints usage when run without arguments', async () => {
    const { io, sinks } = capture();
    expect(await runCli([], sinks)).toBe(0);
    expect(io.stdout).toContain('Usage: protean');
  });

  it('rejects an unknown flag with exit code 2 and a hint', async () => {
    const { io, sinks } = capture();
    expect(await runCli(['--no-such-flag'], sinks)).toBe(2);
    expect(io.stderr).toContain("unknown option '--no-such-flag'");
    expect(io.stderr).toContain('protean --help');
  });
});
