/**
 * The `go test -bench` parser and its findings, on output captured from real runs of
 * Go 1.26 and Go 1.23 (test/fixtures/bench/capture.sh). Expected names, counts and
 * custom metrics come from the Go sources and the capture flags; expected numbers
 * come from the raw text, never from constants copied out of it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { benchFindings, parseBenchOutput, parseBenchText } from '../../src/analyze/bench-findings.ts';
import { ROOT } from './support.ts';

const FIXTURES = join(ROOT, 'test/fixtures/bench');
const VERSIONS = ['go1.26.8', 'go1.23.5'] as const;
const fixture = (what: string, version: string) => join(FIXTURES, `${what}.${version}.txt`);

/** capture.sh runs the fixture program with -cpu=1,2 -count=2, the demo with -count=3. */
const PROGRAM_CPUS = ['', '-2'];
const PROGRAM_COUNT = 2;
const DEMO_COUNT = 3;

function moduleOf(dir: string): string {
  return /^module (\S+)$/m.exec(readFileSync(join(dir, 'go.mod'), 'utf8'))![1]!;
}

/** Benchmark functions declared in a Go test file (`func BenchmarkX(b *testing.B)`). */
function benchFunctionsIn(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^func (Benchmark\w+)\(b \*testing\.B\)/gm)].map((m) => m[1]!);
}

/** Every `<number> ns/op` in the raw text, in order: an independent reading of the file. */
function rawNsPerOp(text: string): number[] {
  return [...text.matchAll(/\s([\d.]+) ns\/op/g)].map((m) => Number(m[1]));
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe.each(VERSIONS)('bench output of the fixture program captured with %s', (version) => {
  const path = fixture('program', version);
  const text = readFileSync(path, 'utf8');
  const programDir = join(FIXTURES, 'program');

  it('reads every result line, chatty ones included, and the package header', async () => {
    const out = await parseBenchOutput(path);
    expect(out.header.pkg).toBe(moduleOf(programDir));
    expect(out.header.goos).toBeTruthy();
    expect(out.header.cpu).toBeTruthy();
    // Every ns/op figure in the file belongs to exactly one parsed run, in file order.
    expect(out.runs.map((r) => r.values['ns/op'])).toEqual(rawNsPerOp(text));
    expect(out.runs.every((r) => r.iterations === 100)).toBe(true); // -benchtime=100x
  });

  it('gives one finding per benchmark and GOMAXPROCS, averaged over -count, with custom metrics', async () => {
    const out = await parseBenchOutput(path);
    const findings = benchFindings(9, out);
    const benchmarks = findings.filter((f) => f.kind === 'benchmark');
    const passing = benchFunctionsIn(join(programDir, 'bench_test.go')).filter((f) => f !== 'BenchmarkBroken');
    const expectedNames = passing.flatMap((fn) => (fn === 'BenchmarkSum' ? [`${fn}/size=10`, `${fn}/size=1000`] : [fn]));
    expect(benchmarks.map((f) => f.title.split(':')[0]).sort()).toEqual(
      expectedNames.flatMap((n) => PROGRAM_CPUS.map((c) => n + c)).sort(),
    );
    for (const f of benchmarks) {
      const name = f.title.split(':')[0]!;
      expect(f.severity).toBe('info');
      expect(f.artifactIds).toEqual([9]);
      expect(f.metrics.runs).toBe(PROGRAM_COUNT);
      expect(f.location!.func).toBe(`${moduleOf(programDir)}.${name.split('/')[0]!.replace(/-2$/, '')}`);
      const mine = out.runs.filter((r) => r.name === name).map((r) => r.values['ns/op']!);
      expect(f.metrics.nsPerOp).toBeCloseTo(mean(mine), 1);
      expect(f.metrics.nsPerOpMin).toBe(Math.min(...mine));
      expect(f.metrics.nsPerOpMax).toBe(Math.max(...mine));
      expect(f.metrics.bytesPerOp).toBeGreaterThanOrEqual(0); // -benchmem
      expect(f.metrics.allocsPerOp).toBeGreaterThanOrEqual(0);
    }
    // b.ReportMetric(float64(size), "items/op") in BenchmarkSum.
    const sum1000 = benchmarks.find((f) => f.title.startsWith('BenchmarkSum/size=1000-2:'))!;
    expect(sum1000.metrics['items/op']).toBe(1000);
    // b.SetBytes → MB/s; strings.Join allocates its result.
    const join2 = benchmarks.find((f) => f.title.startsWith('BenchmarkJoin-2:'))!;
    expect(join2.metrics.mbPerSec).toBeGreaterThan(0);
    expect(join2.metrics.allocsPerOp).toBe(1);
  });

  it('reports the failing benchmark with what it printed, once per name', async () => {
    const findings = benchFindings(9, await parseBenchOutput(path));
    const failed = findings.filter((f) => f.kind === 'tool-failure');
    expect(failed.map((f) => f.title).sort()).toEqual(
      PROGRAM_CPUS.map((c) => `benchmark BenchmarkBroken${c} failed (${PROGRAM_COUNT} times)`).sort(),
    );
    for (const f of failed) {
      expect(f.detail).toMatch(/^bench_test\.go:\d+: broken on purpose at b\.N=\d+$/);
      expect(f.severity).toBe('medium');
    }
  });
});

describe.each(VERSIONS)('bench output of the demo service captured with %s', (version) => {
  const path = fixture('demo-service', version);
  const demoDir = join(ROOT, 'examples/demo-service');
  const payloadBytes = Number(
    /defaultChecksumN = ([\d_]+)/.exec(readFileSync(join(demoDir, 'checksum.go'), 'utf8'))![1]!.replace(/_/g, ''),
  );

  it('names the checksum benchmark and its throughput matches SetBytes(len(payload)) / ns/op', async () => {
    const out = await parseBenchOutput(path);
    expect(out.header.pkg).toBe(moduleOf(demoDir));
    const checksumRuns = out.runs.filter((r) => r.name.startsWith('BenchmarkSlowChecksum'));
    expect(checksumRuns).toHaveLength(DEMO_COUNT);
    for (const run of checksumRuns) {
      // testing prints MB/s as bytes*N/ns*1e3 with two decimals.
      expect(run.values['MB/s']).toBeCloseTo((payloadBytes * 1e3) / run.values['ns/op']!, 1);
    }
    const [checksum] = benchFindings(1, out).filter((f) => f.title.startsWith('BenchmarkSlowChecksum'));
    expect(checksum!.location!.func).toBe(`${moduleOf(demoDir)}.BenchmarkSlowChecksum`);
    expect(checksum!.metrics.runs).toBe(DEMO_COUNT);
    expect(checksum!.title).toMatch(/^BenchmarkSlowChecksum-\d+: [\d.]+ ms\/op, 0 B\/op, 0 allocs\/op \(mean of 3 runs\)$/);
    // makePayload allocates the payload once per call.
    const [payload] = benchFindings(1, out).filter((f) => f.title.startsWith('BenchmarkMakePayload'));
    expect(payload!.metrics.allocsPerOp).toBe(1);
    expect(payload!.metrics.bytesPerOp).toBeGreaterThanOrEqual(payloadBytes);
  });
});

describe('parseBenchText on output shapes no capture holds', () => {
  it('keeps runs of two packages apart and ignores lines that are not results', () => {
    const out = parseBenchText(
      [
        'pkg: example.com/a',
        'BenchmarkX-4   \t  10\t 200 ns/op',
        'PASS',
        'ok  \texample.com/a\t0.1s',
        'pkg: example.com/b',
        'BenchmarkX-4   \t  10\t 400 ns/op',
        'Benchmarking is fun',
        '',
      ].join('\r\n'),
    );
    const findings = benchFindings(1, out);
    expect(findings.map((f) => [f.location!.func, f.metrics.nsPerOp])).toEqual([
      ['example.com/a.BenchmarkX', 200],
      ['example.com/b.BenchmarkX', 400],
    ]);
  });

  it('gives no findings for output without results (a build failure)', () => {
    const out = parseBenchText('# example.com/a\n./a.go:3:1: syntax error\nFAIL\texample.com/a [build failed]\n');
    expect(out.runs).toEqual([]);
    expect(benchFindings(1, out)).toEqual([]);
  });
});
