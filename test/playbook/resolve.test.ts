import type * as Resolve from '../../src/playbook/resolve.ts';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import { builtinPlaybooksDir, listBuiltinPlaybooks, resolvePlaybookPath } from '../../src/playbook/resolve.ts';

const root = resolve(__dirname, '../..');
const tmp = mkdtempSync(join(tmpdir(), 'gotriage-resolve-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('builtinPlaybooksDir', () => {
  it('is the package playbooks/ directory when run from source', () => {
    expect(builtinPlaybooksDir()).toBe(join(root, 'playbooks') + '/');
  });

  it('is the package playbooks/ directory when run from dist/playbook (the built layout)', async () => {
    // Build the two modules resolve.js needs into <pkg>/dist, as tsc would, and run them there.
    const pkg = join(tmp, 'pkg');
    for (const [from, to] of [
      ['src/playbook/resolve.ts', 'dist/playbook/resolve.js'],
      ['src/core/errors.ts', 'dist/core/errors.js'],
    ] as const) {
      const output = ts.transpileModule(readFileSync(join(root, from), 'utf8'), {
        compilerOptions: { module: ts.ModuleKind.ES2022, target: ts.ScriptTarget.ES2022 },
      }).outputText;
      mkdirSync(join(pkg, to, '..'), { recursive: true });
      writeFileSync(join(pkg, to), output);
    }
    writeFileSync(join(pkg, 'package.json'), '{"type":"module"}');
    mkdirSync(join(pkg, 'playbooks'));
    writeFileSync(join(pkg, 'playbooks', 'shipped.yaml'), 'apiVersion: gotriage/v1\n');
    const built = (await import(pathToFileURL(join(pkg, 'dist/playbook/resolve.js')).href)) as typeof Resolve;
    expect(built.listBuiltinPlaybooks()).toEqual([{ name: 'shipped', path: join(pkg, 'playbooks', 'shipped.yaml') }]);
    expect(built.resolvePlaybookPath('shipped')).toBe(join(pkg, 'playbooks', 'shipped.yaml'));
  });
});

describe('resolvePlaybookPath', () => {
  it('finds a built-in playbook by name', () => {
    expect(resolvePlaybookPath('go-service')).toBe(join(root, 'playbooks', 'go-service.yaml'));
  });

  it('returns an existing file path as an absolute path', () => {
    expect(resolvePlaybookPath('test/fixtures/playbooks/valid.yaml')).toBe(join(root, 'test/fixtures/playbooks/valid.yaml'));
  });

  it('prefers an existing file over a built-in of the same name', () => {
    const dir = join(tmp, 'cwd');
    mkdirSync(dir);
    writeFileSync(join(dir, 'go-service'), 'apiVersion: gotriage/v1\n');
    const before = process.cwd();
    process.chdir(dir);
    try {
      expect(resolvePlaybookPath('go-service')).toBe(join(dir, 'go-service'));
    } finally {
      process.chdir(before);
    }
  });

  it('an unknown name is a usage error that lists the built-in playbooks', () => {
    try {
      resolvePlaybookPath('go-servise');
      expect.unreachable('go-servise resolved');
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      expect((error as UsageError).message).toContain("no built-in playbook named 'go-servise'");
      expect((error as UsageError).hint).toContain('go-service');
    }
  });

  it('a missing file path says the file was not found', () => {
    expect(() => resolvePlaybookPath('./nope/triage.yaml')).toThrow(`playbook file ${resolve('nope/triage.yaml')} not found`);
  });

  it('never treats a path-like name as a built-in (no ../ out of playbooks/)', () => {
    expect(() => resolvePlaybookPath('../playbooks/go-service')).toThrow(UsageError);
  });
});

describe('listBuiltinPlaybooks', () => {
  it('lists the YAML files in playbooks/ by name, sorted', () => {
    const list = listBuiltinPlaybooks();
    expect(list.map((entry) => entry.name)).toContain('go-service');
    expect(list.map((entry) => entry.name)).toEqual([...list.map((entry) => entry.name)].sort());
  });
});
