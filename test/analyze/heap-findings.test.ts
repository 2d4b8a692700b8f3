/**
 * heap-growth findings from two heap samples of test/fixtures/go/heapgrow: captured with
 * two Go versions (test/fixtures/heap-growth/capture.sh), and live. The expected growth
 * comes from `go tool pprof -diff_base` on the same files, never from constants.
 */
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { heapGrowthFindings, HEAP_GROWTH_MIN_BYTES } from '../../src/analyze/heap-findings.ts';
import { decodeProfileFile } from '../../src/analyze/profile.ts';
import { fetchPprof } from '../../src/collect/pprof-http.ts';

const GO = process.env.GO ?? '/usr/local/go/bin/go';
const CAPTURED = resolve(import.meta.dirname, '../fixtures/heap-growth');
const SOURCE_DIR = resolve(import.meta.dirname, '../fixtures/go/heapgrow');
const VERSIONS = ['go1.26.8', 'go1.23.5'];
const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** The line of heapgrow/main.go where retainReports allocates what it keeps. */
function retainLine(): number {
  const lines = readFileSync(join(SOURCE_DIR, 'main.go'), 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith('func retainReports('));
  return start + 1 + lines.slice(start).findIndex((l) => l.includes('make([]byte, chunk)'));
}

/** `go tool pprof -top -diff_base` flat for `func`, in bytes (pprof prints MB = 2^20 bytes). */
async function pprofDiffFlat(before: string, after: string, func: string): Promise<number> {
  const { stdout } = await promisify(execFile)(GO, ['tool', 'pprof', '-top', '-sample_index=inuse_space', `-diff_base=${before}`, after]);
  const row = stdout.split('\n').find((l) => l.trim().split(/\s+/)[5] === func);
  const m = /^\s*(-?[\d.]+)(B|kB|MB|GB)\s/.exec(row ?? '');
  if (!m) throw new Error(`no ${func} row in go tool pprof output:\n${stdout}`);
  return Number(m[1]) * { B: 1, kB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 }[m[2] as 'B'];
}

async function findingsFor(before: string, after: string) {
  return heapGrowthFindings([
    { artifactId: 1, profile: await decodeProfileFile(before) },
    { artifactId: 2, profile: await decodeProfileFile(after) },
  ]);
}

describe.each(VERSIONS)('heap growth between two samples captured with %s', (version) => {
  const before = join(CAPTURED, `heap-before.${version}.pb.gz`);
  const after = join(CAPTURED, `heap-after.${version}.pb.gz`);

  it('names the function that keeps the new memory, with the growth go tool pprof -diff_base shows', async () => {
    const findings = await findingsFor(before, after);
    // loadConfig holds memory in both samples (no growth); renderScratch's memory died.
    expect(findings.map((f) => f.location?.func)).toEqual(['main.retainReports']);
    const [growth] = findings;
    expect(growth!.kind).toBe('heap-growth');
    expect(growth!.location?.file).toMatch(/heapgrow\/main\.go$/);
    expect(growth!.location?.line).toBe(retainLine());
    expect(growth!.artifactIds).toEqual([1, 2]);
    const expected = await pprofDiffFlat(before, after, 'main.retainReports');
    // pprof rounds to two decimals of its unit.
    expect(Math.abs(growth!.metrics.growthBytes! - expected)).toBeLessThan(0.01 * 1024 * 1024);
    expect(growth!.metrics.afterBytes! - growth!.metrics.beforeBytes!).toBe(growth!.metrics.growthBytes);
    expect(growth!.title).toMatch(/^Heap growth: main\.retainReports holds [\d.]+ MiB more in use \([\d.]+ MiB → [\d.]+ MiB\) over \d+ s$/);
  });

  it('finds no growth between a sample and itself, nor with a single sample', async () => {
    expect(await findingsFor(before, before)).toEqual([]);
    expect(heapGrowthFindings([{ artifactId: 1, profile: await decodeProfileFile(after) }])).toEqual([]);
  });

  it('finds no growth when the heap shrank (samples in the other order)', async () => {
    expect(await findingsFor(after, before)).toEqual([]);
  });
});

describe('a live service whose heap grows', () => {
  it('samples /debug/pprof/heap before and after the growth and names the retaining function', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gotriage-heapgrow-'));
    tempDirs.push(dir);
    await promisify(execFile)(GO, ['build', '-o', join(dir, 'heapgrow'), '.'], { cwd: SOURCE_DIR });
    const child = spawn(join(dir, 'heapgrow'), [], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const url = await new Promise<string>((ok, fail) => {
        child.once('exit', (code) => fail(new Error(`heapgrow exited with ${code}`)));
        createInterface({ input: child.stdout }).once('line', (line) => ok(line.replace(/^listening on /, '')));
      });
      const fetchHeap = (name: string) => fetchPprof({ targetUrl: url, profile: 'heap', timeoutMs: 10_000, outputPath: join(dir, name) });
      const first = await fetchHeap('heap-1');
      const grow = await fetch(`${url}/grow?mb=16`);
      expect(grow.status).toBe(200);
      const second = await fetchHeap('heap-2');

      const findings = await findingsFor(first.outputPath, second.outputPath);
      expect(findings.map((f) => f.location?.func)).toEqual(['main.retainReports']);
      expect(findings[0]!.metrics.growthBytes).toBeGreaterThanOrEqual(HEAP_GROWTH_MIN_BYTES);
      expect(findings[0]!.metrics.growthBytes).toBeCloseTo(
        await pprofDiffFlat(first.outputPath, second.outputPath, 'main.retainReports'),
        -5,
      );
    } finally {
      child.kill('SIGTERM');
    }
  });
});
