/**
 * `gotriage analyze` as a user runs it: the built CLI on files captured from Go 1.26 and
 * 1.23 — each kind recognised and turned into the findings the Go programs were written
 * to produce, `--json`, standard input, and the exit codes for files that are not ours
 * (2) or are broken (1). Expected functions come from the fixture programs' sources.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { CAPTURED_VERSIONS, ROOT, captured } from '../analyze/support.ts';

const dir = mkdtempSync(join(tmpdir(), 'gotriage-cli-analyze-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'never-created.db');
const analyze = (args: string[], input?: string) => cli(['analyze', ...args], { db, input });

interface JsonFinding {
  kind: string;
  title: string;
  severity: string;
  location?: { func: string; file?: string; line?: number };
  metrics: Record<string, number>;
  artifactIds: number[];
  files: string[];
}

describe.each(CAPTURED_VERSIONS)('files captured from %s', (version) => {
  it('a trace, a mutex profile, two goroutine dumps, race output and a panic in one run: one table', async () => {
    const files = [
      captured('contention-trace', version, 'out'),
      captured('contention-mutex', version, 'pb.gz'),
      captured('goroutines-debug2-early', version),
      captured('goroutines-debug2-late', version),
      captured('race-go-run', version),
      captured('panic-traceback', version),
    ];
    const run = await analyze(files);
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stderr).toContain(`${files[0]}: Go 1.${version.split('.')[1]} execution trace`);
    expect(run.stderr).toContain(`${files[1]}: mutex profile`);
    expect(run.stderr).toContain(`${files[5]}: panic traceback`);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^SEVERITY\s+KIND\s+TITLE\s+LOCATION$/);
    const row = (re: RegExp) => lines.find((l) => re.test(l));
    expect(row(/^\w+\s+contention\s+main\.updateTotals blocked \S+ on sync\.\(\*Mutex\)\.Lock/)).toBeDefined();
    expect(row(/contention\s+lock released in main\.updateTotals/)).toBeDefined();
    // leaky: 12 exports parked, then 298 more: the two dumps are compared in the order given.
    expect(row(/^high\s+goroutine-growth\s+goroutines parked in main\.renderExport \(chan send\) grew \d+ → \d+/)).toBeDefined();
    expect(row(/data-race\s+data race: .*recordHit/)).toBeDefined();
    expect(row(/^critical\s+panic\s+panic: runtime error: invalid memory address .* in main\.deref/)).toBeDefined();
    // Most severe first.
    const order = ['critical', 'high', 'medium', 'low', 'info'];
    const severities = lines
      .slice(1)
      .filter(Boolean)
      .map((l) => order.indexOf(l.split(/\s+/)[0]!));
    expect(severities).toEqual([...severities].sort((a, b) => a - b));
  });

  it('--json prints Finding objects with their fields and the files they came from', async () => {
    const trace = captured('contention-trace', version, 'out');
    const block = captured('contention-block', version, 'pb.gz');
    const run = await analyze(['--json', trace, block]);
    expect(run.exitCode, run.all).toBe(0);
    const findings = JSON.parse(run.stdout) as JsonFinding[];
    expect(findings.length).toBeGreaterThan(2);
    for (const f of findings) {
      expect(f).toMatchObject({
        kind: 'contention',
        title: expect.any(String),
        severity: expect.stringMatching(/^(info|low|medium|high|critical)$/),
      });
      expect(f.metrics.delayNs).toBeGreaterThan(0);
      expect(f.files).toEqual([f.artifactIds[0] === 1 ? trace : block]);
    }
    expect(findings.some((f) => f.files[0] === block && f.location?.func === 'main.consume')).toBe(true);
  });

  it('escape analysis output becomes escape findings at the source line', async () => {
    const file = captured('escape-escapes', version);
    const run = await analyze(['--json', file]);
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stderr).toContain(`${file}: escape analysis output`);
    const huge = (JSON.parse(run.stdout) as JsonFinding[]).find((f) => f.kind === 'escape' && f.location?.func === 'main.huge');
    const source = readFileSync(join(ROOT, 'test/fixtures/go/escapes/main.go'), 'utf8').split('\n');
    expect(source[huge!.location!.line! - 1]).toMatch(/big := new\(\[1 << 20\]byte\)/);
  });

  it('reads standard input (-) and says what it was', async () => {
    const run = await analyze(['-'], readFileSync(captured('race-go-test', version), 'utf8'));
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stderr).toContain('stdin: race detector output');
    expect(run.stdout).toMatch(/\bdata-race\b.*recordHit/);
  });
});

describe('files gotriage analyze cannot use', () => {
  it('an HTML page: exit 2, says it is HTML and what is accepted, prints no table', async () => {
    const page = join(dir, 'profile');
    writeFileSync(page, '<!DOCTYPE html>\n<html><head><title>Sign in</title></head><body><form></form></body></html>\n');
    const run = await analyze([page]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`error: ${page}: not something gotriage can analyze: it looks like an HTML page`);
    expect(run.stderr).toMatch(/accepts: a pprof profile/);
    expect(run.stdout).toBe('');
  });

  it('random binary bytes: exit 2 naming binary data', async () => {
    const blob = join(dir, 'blob.pb.gz');
    writeFileSync(blob, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 2654435761) % 253)));
    const run = await analyze([blob]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/it looks like binary data \(first bytes [0-9a-f ]+\)/);
  });

  it('half a gzip profile: exit 1, recognised but broken; the good file beside it is still analysed', async () => {
    const whole = readFileSync(captured('contention-mutex', 'go1.26.8', 'pb.gz'));
    const half = join(dir, 'half');
    writeFileSync(half, whole.subarray(0, Math.floor(whole.length / 2)));
    const run = await analyze([half, captured('contention-mutex', 'go1.23.5', 'pb.gz')]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`error: ${half}: recognised but broken`);
    expect(run.stdout).toMatch(/lock released in main\.updateTotals/);
  });

  it('a truncated trace: exit 1 with the tool error in the output', async () => {
    const cut = join(dir, 'cut-trace');
    writeFileSync(cut, readFileSync(captured('contention-trace', 'go1.26.8', 'out')).subarray(0, 3000));
    const run = await analyze([cut]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/tool-failure\s+could not analyze .*cut-trace \(Go 1\.26 execution trace\)/);
    expect(run.stdout).toMatch(/read with go1\.\d+/);
  });

  it('control characters from a file never reach the terminal', async () => {
    const log = join(dir, 'hostile.log');
    const line = (msg: string) => JSON.stringify({ time: '2026-01-01T00:00:00Z', level: 'ERROR', msg });
    writeFileSync(log, [line('ok start'), line('boom \u001b]0;pwned\u0007 \u001b[2J cleared'), ''].join('\n'));
    const run = await analyze([log]);
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stdout).toMatch(/log-errors/);
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });
});

it('gotriage --help lists analyze', async () => {
  const run = await cli(['--help'], { db });
  expect(run.stdout).toMatch(/analyze \[options\] <files\.\.\.>/);
  expect(ROOT).toBeTruthy();
});
