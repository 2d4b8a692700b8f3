/**
 * runEscapeAnalysis live: the real go toolchain through the real Runner, on
 * test/fixtures/go/escapes; fakes only for what a real run cannot give on demand.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runEscapeAnalysis } from '../../src/analyze/escape-run.ts';
import { ToolError, UsageError } from '../../src/core/errors.ts';
import { createRunner } from '../../src/exec/create-runner.ts';
import type { Runner } from '../../src/exec/runner.ts';
import { ESCAPES_DIR, marker } from './escape-support.ts';
import { tempDir } from './support.ts';

describe('runEscapeAnalysis', () => {
  it('finds each category in the module and keeps the compiler output', async () => {
    const result = await runEscapeAnalysis({ dir: ESCAPES_DIR, runner: createRunner(), outputDir: tempDir('escape-run') });
    expect(result.modulePath).toBe('example.com/escapes');
    const at = (name: string) => {
      const m = marker(name);
      return result.findings.filter((f) => f.location?.file === m.file && f.location.line === m.line).map((f) => f.title);
    };
    expect(at('returned').join()).toContain('main.newPoint: p moved to heap');
    expect(at('closure').join()).toContain('captured by a closure');
    expect(at('global').join()).toContain('stored in a global: sink = q');
    expect(at('channel').join()).toContain('sent on a channel: ch <- r');
    expect(at('large').join()).toContain('too large for the stack');
    expect(at('interface').join()).toContain('stored in an interface: argument to fmt.Sprint');
    expect(at('stored').join()).toContain('example.com/escapes/store.(*Store).Put');
    // The diagnostics file is what the artifact keeps: the same sites, import-path-qualified.
    const kept = readFileSync(result.artifactPaths[0]!, 'utf8');
    expect(kept).toContain(`example.com/escapes/${marker('channel').file}:${marker('channel').line}:`);
    expect(result.findings.every((f) => f.artifactIds.length === 0)).toBe(true);
  });

  it('maps paths module-relative when run from a package directory below the root', async () => {
    const result = await runEscapeAnalysis({
      dir: join(ESCAPES_DIR, 'store'),
      runner: createRunner(),
      outputDir: tempDir('escape-run'),
      level: 1,
    });
    expect(new Set(result.findings.map((f) => f.location?.file))).toEqual(new Set(['store/store.go']));
    expect(result.entries.some((e) => e.kind === 'can-inline' && e.subject === '(*Store).Put')).toBe(true);
  });

  it('throws ToolError pointing at the compiler output when the package does not compile', async () => {
    const dir = tempDir('escape-broken');
    writeFileSync(join(dir, 'go.mod'), 'module example.com/broken\n\ngo 1.23\n');
    mkdirSync(join(dir, 'b'));
    writeFileSync(join(dir, 'b', 'b.go'), 'package b\n\nfunc F() int { return "x" }\n');
    const err = await runEscapeAnalysis({ dir, runner: createRunner(), outputDir: tempDir('escape-run') }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as ToolError).message).toBe('go build -gcflags=-m exited 1');
    expect(readFileSync((err as ToolError).artifactPath!, 'utf8')).toContain('b.go:3:');
  });

  it('refuses a package pattern that go would read as a flag, before running anything', async () => {
    const runner: Runner = { run: () => Promise.reject(new Error('nothing may run')) };
    await expect(
      runEscapeAnalysis({ dir: ESCAPES_DIR, packages: ['-toolexec=/tmp/x'], runner, outputDir: tempDir('escape-run') }),
    ).rejects.toBeInstanceOf(UsageError);
  });
});
