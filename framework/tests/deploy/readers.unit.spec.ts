/**
 * The readers the deployment files are checked with catch what they are there to catch: a
 * Dockerfile docker build would refuse, and YAML that does not parse.
 */
import { describe, expect, it } from 'vitest';
import { dockerfileProblems, parseDockerfile, stagesOf } from './dockerfile.js';
import { parseYaml, parseYamlDocuments } from './yaml.js';

describe('the Dockerfile reader', () => {
  it('joins continued lines, skips comments and reads stages', () => {
    const file = parseDockerfile(
      '# syntax=docker/dockerfile:1\nFROM node:20 AS build\n# a comment\nRUN npm ci \\\n  --omit=dev\n\nFROM node:20-slim\nCOPY --from=build /app /app\n',
    );
    expect(file.directives).toEqual({ syntax: 'docker/dockerfile:1' });
    expect(file.instructions[1]).toEqual({ keyword: 'RUN', args: 'npm ci --omit=dev', line: 4 });
    expect(stagesOf(file).map((stage) => [stage.name, stage.image])).toEqual([
      ['build', 'node:20'],
      [undefined, 'node:20-slim'],
    ]);
    expect(dockerfileProblems(file)).toEqual([]);
  });

  it('refuses an unknown instruction, naming its line', () => {
    expect(() => parseDockerfile('FROM node:20\nCOPPY . .\n')).toThrow(
      'line 2: unknown instruction "COPPY"',
    );
  });

  it('finds what docker build would refuse', () => {
    const file = parseDockerfile(
      'RUN echo first\nFROM node:20\nCOPY --from=deps /a /a\nCMD ["node", 1]\nEXPOSE http\n',
    );
    expect(dockerfileProblems(file)).toEqual([
      'the first instruction (after ARG) must be FROM',
      'line 3: COPY --from=deps names no earlier stage',
      'line 4: the exec form must be a JSON array of strings: ["node", 1]',
      'line 5: EXPOSE takes ports: http',
    ]);
  });
});

describe('the YAML reader', () => {
  it('reads mappings, sequences, scalars and several documents', async () => {
    expect(
      await parseYamlDocuments('a: 1\nb: [x, "y", true]\nc: |\n  text\n---\n- ~\n- 2.5\n'),
    ).toEqual([{ a: 1, b: ['x', 'y', true], c: 'text\n' }, [null, 2.5]]);
  });

  it('throws on YAML that does not parse', async () => {
    await expect(parseYaml('a: [1, 2\nb: 3\n')).rejects.toThrow();
  });
});
