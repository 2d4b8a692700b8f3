import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { raceFindings } from '../../src/analyze/race-findings.ts';
import { parseRaceOutput, type RaceOutput } from '../../src/analyze/race.ts';
import { CAPTURED_VERSIONS, GO_PROGRAMS, captured, sourceLine, tempDir } from './support.ts';

// The two racing lines of test/fixtures/go/racy/main.go.
const HITS_LINE = sourceLine('racy', 'main.go', 's.hits++');
const TOTAL_LINE = sourceLine('racy', 'main.go', 'return s.hits');
const RACY_FUNCS = /^(main|example\.com\/racy)\.\(\*stats\)\.(recordHit|total)$/;

function warningCount(path: string): number {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l === 'WARNING: DATA RACE').length;
}

/** Every report points at the fixture's racing lines, and recordHit is on one side. */
function expectRacyReports(out: RaceOutput) {
  expect(out.reports.length).toBeGreaterThan(0);
  for (const r of out.reports) {
    const sides = [r.current, r.previous!];
    expect(sides.map((s) => s.frames[0]!.func).some((f) => f.endsWith('(*stats).recordHit'))).toBe(true);
    for (const side of sides) {
      expect(side.frames[0]!.func).toMatch(RACY_FUNCS);
      expect(basename(side.frames[0]!.file)).toBe('main.go');
      expect([HITS_LINE, TOTAL_LINE]).toContain(side.frames[0]!.line);
      expect(['read', 'write']).toContain(side.op);
    }
    expect(r.goroutines.length).toBeGreaterThan(0);
  }
}

describe.each(CAPTURED_VERSIONS)('race detector output captured from %s', (version) => {
  it('parses `go test -race`: reports, the failing test, no Found line', async () => {
    const path = captured('race-go-test', version);
    const out = await parseRaceOutput(path);
    expectRacyReports(out);
    expect(out.totalReports).toBe(warningCount(path));
    expect(out.reports.reduce((n, r) => n + r.occurrences, 0)).toBe(out.totalReports);
    expect(out.failedTests).toEqual(['TestServe']);
    expect(out.detectedDuringTest).toBe(true);
    expect(out.foundCount).toBeUndefined();
    for (const r of out.reports) expect(r.tests).toEqual(['TestServe']);
  });

  it.each(['race-go-run', 'race-log-path'])('parses %s output with its `Found N data race(s)` line', async (name) => {
    const path = captured(name, version);
    const out = await parseRaceOutput(path);
    expectRacyReports(out);
    expect(out.foundCount).toBe(warningCount(path));
    expect(out.failedTests).toEqual([]);
    // `by main goroutine` is kept as `main`, not dropped.
    const goroutines = out.reports.flatMap((r) => [r.current.goroutine, r.previous!.goroutine]);
    for (const g of goroutines) expect(g).toMatch(/^(main|\d+)$/);
  });

  it('turns each distinct race into one high-severity data-race finding at the current access', async () => {
    const out = await parseRaceOutput(captured('race-go-run', version));
    const findings = raceFindings(42, out);
    expect(findings).toHaveLength(out.reports.length);
    for (const f of findings) {
      expect(f).toMatchObject({ kind: 'data-race', severity: 'high', artifactIds: [42] });
      expect(f.location!.func).toMatch(RACY_FUNCS);
      expect([HITS_LINE, TOTAL_LINE]).toContain(f.location!.line);
      expect(f.title).toMatch(
        /^data race: (read|write) in main\.\(\*stats\)\.(recordHit|total) \(main\.go:\d+\) vs (read|write) in main\.\(\*stats\)\.(recordHit|total) \(main\.go:\d+\)$/,
      );
      expect(f.detail).toContain('Previous');
      expect(f.detail).toContain('created at:');
    }
    expect(findings.reduce((n, f) => n + f.metrics.reports!, 0)).toBe(out.totalReports);
  });

  it('places each finding at the access the detector reported first (the current one), read from the raw output', async () => {
    const path = captured('race-go-run', version);
    // Ground truth straight from the text: each report's current access (the first `… at 0x… by …:`
    // block) and its previous access, as `op:line` of their first frame.
    const raw = readFileSync(path, 'utf8')
      .split('WARNING: DATA RACE\n')
      .slice(1)
      .map((block) => {
        const sides = [...block.matchAll(/^(?:Previous )?(read|write) at 0x[0-9a-f]+ by [^\n]+:\n[^\n]+\n\s+\S+\.go:(\d+) /gim)];
        return sides.map((m) => `${m[1]!.toLowerCase()}:${m[2]}`).join(' vs ');
      });
    const findings = raceFindings(1, await parseRaceOutput(path));
    for (const f of findings) {
      const [, op1, line1, op2, line2] = /^data race: (\w+) in \S+ \(main\.go:(\d+)\) vs (\w+) in \S+ \(main\.go:(\d+)\)$/.exec(f.title)!;
      expect(raw).toContain(`${op1}:${line1} vs ${op2}:${line2}`);
      expect(f.location!.line).toBe(Number(line1));
    }
  });

  it('dedupes a race reported again (addresses and goroutine ids differ, lines do not)', async () => {
    const text = readFileSync(captured('race-log-path', version), 'utf8');
    // A second run of the same binary: same races, new addresses and goroutine ids.
    const rerun = text.replace(/0x[0-9a-f]{12}/g, '0x00c0000aaaa8').replace(/goroutine (\d+)/g, (_, n) => `goroutine ${Number(n) + 100}`);
    const path = join(tempDir('race'), 'twice.txt');
    writeFileSync(path, text + rerun);
    const once = await parseRaceOutput(captured('race-log-path', version));
    const twice = await parseRaceOutput(path);
    expect(twice.reports.length).toBe(once.reports.length);
    expect(twice.reports.map((r) => r.occurrences)).toEqual(once.reports.map((r) => 2 * r.occurrences));
  });
});

describe('race detector edge cases', () => {
  it('gives no report and no finding for output without races', async () => {
    const path = join(tempDir('race'), 'ok.txt');
    writeFileSync(path, 'ok  \texample.com/racy\t1.015s\n');
    const out = await parseRaceOutput(path);
    expect(out.reports).toEqual([]);
    expect(raceFindings(1, out)).toEqual([]);
  });

  it('keeps a report whose output was cut off mid-block', async () => {
    const text = readFileSync(captured('race-go-run', 'go1.26.8'), 'utf8');
    const cut = text.slice(0, text.indexOf('Goroutine ')); // no closing separator, no creation stacks
    const path = join(tempDir('race'), 'cut.txt');
    writeFileSync(path, cut);
    const out = await parseRaceOutput(path);
    expect(out.reports).toHaveLength(1);
    expect(out.reports[0]!.current.frames[0]!.line).toBe(HITS_LINE);
  });
});

describe('race detector, live', () => {
  const racy = join(GO_PROGRAMS, 'racy');

  it('`go test -race` of the racy package → a data-race finding naming (*stats).recordHit', async () => {
    const run = await execa('go', ['test', '-race', '-count=1', '-run', 'TestServe', '.'], { cwd: racy, reject: false, all: true });
    expect(run.exitCode).toBe(1);
    const path = join(tempDir('race-live'), 'go-test.txt');
    writeFileSync(path, run.all);
    const out = await parseRaceOutput(path);
    expect(out.failedTests).toContain('TestServe');
    const findings = raceFindings(1, out);
    expect(findings.length).toBeGreaterThan(0);
    // Which side the detector catches first varies; recordHit's write is always one of them.
    expect(findings.some((f) => f.title.includes(`example.com/racy.(*stats).recordHit (main.go:${HITS_LINE})`))).toBe(true);
    for (const f of findings) {
      expect(f.location!.func).toMatch(/^example\.com\/racy\.\(\*stats\)\.(recordHit|total)$/);
      expect([HITS_LINE, TOTAL_LINE]).toContain(f.location!.line);
    }
  });

  it('`go test -race` of a race-free test → no finding', async () => {
    const run = await execa('go', ['test', '-race', '-count=1', '-run', 'TestNoRace', '.'], { cwd: racy, reject: false, all: true });
    expect(run.exitCode).toBe(0);
    const path = join(tempDir('race-live'), 'go-test-ok.txt');
    writeFileSync(path, run.all);
    expect(raceFindings(1, await parseRaceOutput(path))).toEqual([]);
  });
});
