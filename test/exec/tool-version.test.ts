import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ToolMissingError } from '../../src/core/errors.ts';
import { createRunner } from '../../src/exec/create-runner.ts';
import { parseToolVersion, readToolVersion } from '../../src/exec/tool-version.ts';
import { makeTempDir, removeTempDirs } from './scripts.ts';
import { hasTool } from '../helpers/tools.ts';

afterAll(removeTempDirs);

const fixtures = path.join(import.meta.dirname, '..', 'fixtures', 'tool-version');
const fixture = (name: string) => readFileSync(path.join(fixtures, name), 'utf8');

describe('parseToolVersion on captured output (see test/fixtures/tool-version/README.md)', () => {
  test.each([
    ['go', 'go1.26-go-version.stdout', 'go1.26.8'],
    ['go', 'go1.23-go-version.stdout', 'go1.23.5'],
    ['dlv', 'dlv-version.stdout', '1.27.2'],
    ['dot', 'dot-V.stderr', '2.43.0'],
    ['git', 'git-version.stdout', '2.39.5'],
  ])('%s from %s → %s', (tool, file, version) => {
    expect(parseToolVersion(tool, fixture(file))).toBe(version);
  });

  test('an unknown tool falls back to "version X" and then to the first line', () => {
    expect(parseToolVersion('benchstat', 'benchstat version v0.0.0-2024\n')).toBe('0.0.0-2024');
    expect(parseToolVersion('oddtool', '\n  oddtool 7 (build 9)\n')).toBe('oddtool 7 (build 9)');
    expect(parseToolVersion('oddtool', '')).toBeUndefined();
  });
});

describe('readToolVersion against the installed tools', () => {
  const runner = createRunner();

  test('go reports the same version as `go env GOVERSION`', async () => {
    const expected = execFileSync('go', ['env', 'GOVERSION'], { encoding: 'utf8' }).trim();
    expect(await readToolVersion('go', { runner, outputDir: makeTempDir() })).toBe(expected);
  });

  test('GOTOOLCHAIN in env selects another Go and the version follows it', async () => {
    const version = await readToolVersion('go', { runner, outputDir: makeTempDir(), env: { GOTOOLCHAIN: 'go1.23.5' }, timeoutMs: 120_000 });
    expect(version).toBe('go1.23.5');
  });

  test.skipIf(!hasTool('dot', ['-V']))('dot prints its version on stderr and is still found', async () => {
    expect(await readToolVersion('dot', { runner, outputDir: makeTempDir() })).toMatch(/^\d+\.\d+(\.\d+)?$/);
  });

  test('a missing tool rejects with ToolMissingError', async () => {
    const attempt = readToolVersion('dlv', { runner, outputDir: makeTempDir(), env: { PATH: makeTempDir() } });
    await expect(attempt).rejects.toBeInstanceOf(ToolMissingError);
  });
});
