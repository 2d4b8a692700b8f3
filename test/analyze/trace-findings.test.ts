/**
 * Execution traces → contention findings, through the real `go tool trace -pprof` on
 * traces captured from test/fixtures/go/contention with Go 1.26 and 1.23 (the installed,
 * newest go reads both). Expected functions and lines come from the Go source.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { delayFindings } from '../../src/analyze/trace-contention.ts';
import { traceFindings } from '../../src/analyze/trace-findings.ts';
import { extractTraceProfiles } from '../../src/analyze/trace-pprof.ts';
import { decodeProfileFile } from '../../src/analyze/profile.ts';
import { ToolError } from '../../src/core/errors.ts';
import { createRunner } from '../../src/exec/create-runner.ts';
import type { Runner } from '../../src/exec/runner.ts';
import { CAPTURED_VERSIONS, captured, sourceLine, tempDir } from './support.ts';

const dir = tempDir('gotriage-trace-');
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const runner = createRunner();

describe.each(CAPTURED_VERSIONS)('a %s trace of the contention program', (version) => {
  it('yields a sync finding for the mutex in main.updateTotals and the channel in main.consume', async () => {
    const findings = await traceFindings(7, captured('contention-trace', version, 'out'), { runner, outputDir: join(dir, version) });
    const sync = findings.filter((f) => / of sync blocking in the trace\)$/.test(f.title));
    const lock = sync.find((f) => f.location?.func === 'main.updateTotals');
    expect(lock?.title).toMatch(/^main\.updateTotals blocked \S+ on sync\.\(\*Mutex\)\.Lock/);
    expect(lock?.location?.line).toBe(sourceLine('contention', 'main.go', 'mu.Lock()'));
    expect(lock?.location?.file).toMatch(/contention\/main\.go$/);
    const chan = sync.find((f) => f.location?.func === 'main.consume');
    expect(chan?.title).toMatch(/on runtime\.chanrecv/);
    expect(chan?.location?.line).toBe(sourceLine('contention', 'main.go', 'for range ch'));
    for (const f of findings) {
      expect(f.kind).toBe('contention');
      expect(f.artifactIds).toEqual([7]);
      expect(f.metrics.delayNs).toBeGreaterThan(0);
      expect(f.metrics.delayNs).toBeLessThanOrEqual(f.metrics.totalDelayNs!);
    }
    // The scheduler latency summary and network waits of the loopback echo clients.
    expect(findings.some((f) => f.title.startsWith('scheduler latency:'))).toBe(true);
    expect(findings.some((f) => f.location?.func === 'main.echoClient' && /on the network/.test(f.title))).toBe(true);
  });

  it('charges the same delay as go tool pprof -top shows for the blocking call', async () => {
    const [sync] = await extractTraceProfiles(captured('contention-trace', version, 'out'), {
      runner,
      outputDir: join(dir, `${version}-top`),
      kinds: ['sync'],
    });
    const { execa } = await import('execa');
    // -unit=ns: exact integers to compare; the row is `flat flat% sum% cum cum% name`.
    const top = await execa('go', ['tool', 'pprof', '-top', '-unit=ns', '-focus=main\\.consume$', sync!.path]);
    const row = top.stdout.split('\n').find((l) => l.trim().endsWith(' main.consume'));
    const cumNs = Number(row!.trim().split(/\s+/)[3]!.replace('ns', ''));
    const finding = delayFindings(1, sync!.profile, 'sync').filter((f) => f.location?.func === 'main.consume');
    expect(finding.reduce((sum, f) => sum + f.metrics.delayNs!, 0)).toBe(cumNs);
  });
});

describe('traces gotriage cannot read', () => {
  it('a truncated trace is a ToolError naming the file and the go that read it', async () => {
    const whole = readFileSync(captured('contention-trace', 'go1.26.8', 'out'));
    const cut = join(dir, 'cut.trace');
    writeFileSync(cut, whole.subarray(0, 3000));
    const err = await traceFindings(1, cut, { runner, outputDir: join(dir, 'cut') }).catch((e) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect(err.message).toContain(`could not read ${cut}`);
    expect(err.hint).toMatch(/read with go1\.\d+/);
  });

  // A trace newer than the installed go cannot be produced on demand: the runner is faked
  // with the message Go 1.23's tool printed for a 1.26 trace (go-tools.md §5).
  it('a trace from a newer Go says traces are not forward-compatible', async () => {
    const out = join(dir, 'fake');
    const fake: Runner = {
      async run(argv, options) {
        const { mkdirSync } = await import('node:fs');
        mkdirSync(options.outputDir, { recursive: true });
        const file = (ext: string, text: string) => {
          const path = join(options.outputDir, `${options.name}.${ext}`);
          writeFileSync(path, text);
          return { path, sha256: '', size: text.length };
        };
        const isTrace = argv.join(' ').startsWith('go tool trace -pprof=sync ');
        const isVersion = argv.join(' ') === 'go env GOVERSION';
        if (!isTrace && !isVersion) throw new Error(`unexpected argv ${argv.join(' ')}`);
        return {
          argv: [...argv],
          exitCode: isTrace ? 1 : 0,
          signal: null,
          timedOut: false,
          cancelled: false,
          durationMs: 1,
          stdout: file('stdout', isVersion ? 'go1.26.8\n' : ''),
          stderr: file('stderr', isTrace ? 'failed to create trace reader: unknown or unsupported trace version go 1.27\n' : ''),
        };
      },
    };
    const err = await traceFindings(1, '/data/future.trace', { runner: fake, outputDir: out, kinds: ['sync'] }).catch((e) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect(err.message).toContain('unsupported trace version go 1.27');
    expect(err.hint).toMatch(/not forward-compatible.*newer Go than go1\.26\.8/);
  });
});

describe.each(CAPTURED_VERSIONS)('%s mutex and block profiles (the same delay model)', (version) => {
  it('mutex delay is charged to the function that unlocked, block delay to the one that waited', async () => {
    const mutex = delayFindings(1, await decodeProfileFile(captured('contention-mutex', version, 'pb.gz')), 'mutex');
    expect(mutex[0]?.title).toMatch(/^lock released in main\.updateTotals kept others waiting/);
    const block = delayFindings(2, await decodeProfileFile(captured('contention-block', version, 'pb.gz')), 'block');
    expect(block.map((f) => f.location?.func)).toEqual(expect.arrayContaining(['main.updateTotals', 'main.consume']));
    const pcts = block.map((f) => f.metrics.delayPct!);
    expect(pcts).toEqual([...pcts].sort((a, b) => b - a));
  });
});
