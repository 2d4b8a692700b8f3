import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ToolMissingError } from '../../src/core/errors.ts';
import { installHintFor } from '../../src/exec/install-hints.ts';
import { findExecutable, requireExecutable } from '../../src/exec/which.ts';
import { makeTempDir, removeTempDirs, writeExecutable } from './scripts.ts';

afterAll(removeTempDirs);

describe('findExecutable', () => {
  test('finds the real go on the current PATH, as the shell would', () => {
    const found = findExecutable('go');
    expect(found).toBeDefined();
    expect(path.basename(found ?? '')).toBe('go');
  });

  test('takes the first executable file in PATH order, skipping non-executables and directories', () => {
    const root = makeTempDir();
    const [a, b, c] = ['a', 'b', 'c'].map((name) => path.join(root, name)) as [string, string, string];
    for (const dir of [a, b, c]) mkdirSync(dir);
    writeFileSync(path.join(a, 'tool'), 'not executable', { mode: 0o644 });
    mkdirSync(path.join(b, 'tool')); // a directory with the tool's name
    const real = writeExecutable(c, 'tool', '#!/bin/sh\n');
    const second = writeExecutable(root, 'tool', '#!/bin/sh\n');

    expect(findExecutable('tool', [a, b, c, root].join(path.delimiter))).toBe(real);
    expect(findExecutable('tool', [root, c].join(path.delimiter))).toBe(second);
    expect(findExecutable('tool', [a, b].join(path.delimiter))).toBeUndefined();
  });

  test('follows symlinks (e.g. /usr/local/bin/go → /usr/local/go/bin/go)', () => {
    const root = makeTempDir();
    const target = writeExecutable(root, 'real-dot', '#!/bin/sh\n');
    const bin = path.join(root, 'bin');
    mkdirSync(bin);
    symlinkSync(target, path.join(bin, 'dot'));
    expect(findExecutable('dot', bin)).toBe(path.join(bin, 'dot'));
  });

  test('a name with a slash is a path, not a PATH search; empty PATH entries are not the cwd', () => {
    const root = makeTempDir();
    const tool = writeExecutable(root, 'mytool', '#!/bin/sh\n');
    expect(findExecutable(tool, '')).toBe(tool);
    expect(findExecutable(path.join(root, 'missing'), root)).toBeUndefined();
    expect(findExecutable('mytool', '')).toBeUndefined();
    expect(findExecutable('mytool', `${path.delimiter}`)).toBeUndefined();
  });
});

describe('requireExecutable', () => {
  test('throws ToolMissingError naming the tool, with how to install it', () => {
    const emptyPath = makeTempDir();
    const attempt = () => requireExecutable('dlv', emptyPath);
    expect(attempt).toThrow(ToolMissingError);
    expect(attempt).toThrow('dlv not found on PATH');
    try {
      attempt();
    } catch (error) {
      expect((error as ToolMissingError).hint).toContain('go install github.com/go-delve/delve/cmd/dlv@latest');
    }
  });
});

describe('installHintFor', () => {
  test.each([
    ['go', 'https://go.dev/dl'],
    ['/usr/local/go/bin/go', 'https://go.dev/dl'],
    ['dlv', 'go install github.com/go-delve/delve/cmd/dlv@latest'],
    ['dot', 'apt-get install graphviz'],
    ['git', 'OS package manager'],
    ['benchstat', 'install benchstat or put it on PATH'],
  ])('%s → %s', (tool, expected) => {
    expect(installHintFor(tool)).toContain(expected);
  });
});
