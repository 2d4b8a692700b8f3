/**
 * `gotriage analyze FILE --top [N]` as a user runs it, against the real `go tool pprof -top`
 * on the same profiles captured from Go 1.26 and 1.23: the `Type:` line and every line from
 * `Showing nodes accounting for` on (Dropped, Showing top N nodes out of M, the column
 * header, each row) must be pprof's own. Then the usage errors and the `--json` shape.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.ts';
import { CAPTURED_VERSIONS, captured } from '../analyze/support.ts';

const dir = mkdtempSync(join(tmpdir(), 'gotriage-cli-analyze-top-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const db = join(dir, 'never-created.db');
const analyze = (args: string[]) => cli(['analyze', ...args], { db });

/** The real tool's text: `go tool pprof -top [flags] FILE`. */
async function pprofTopText(file: string, flags: string[]): Promise<string> {
  const { stdout } = await execa('go', ['tool', 'pprof', '-top', ...flags, file], { env: { PPROF_TMPDIR: tmpdir() } });
  return stdout;
}

/** The lines from `Showing nodes accounting for` to the end of the table. */
function fromShowing(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith('Showing nodes accounting for '));
  if (start < 0) throw new Error(`no "Showing nodes" line in:\n${text}`);
  const end = lines.findIndex((l, i) => i > start && l === '');
  return lines.slice(start, end < 0 ? undefined : end);
}

const typeLine = (text: string) => text.split('\n').find((l) => l.startsWith('Type: '));
const SHOWING_TOP = /^Showing top \d+ nodes out of \d+$/;

/** Our flags → pprof's: --top N → -nodecount=N, --cum → -cum, --sample-index X → -sample_index=X. */
function pprofFlags(args: string[]): string[] {
  const flags: string[] = [];
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--top' && /^\d+$/.test(args[i + 1] ?? '')) flags.push(`-nodecount=${args[++i]}`);
    else if (args[i] === '--cum') flags.push('-cum');
    else if (args[i] === '--sample-index') flags.push(`-sample_index=${args[++i]}`);
  }
  return flags;
}

/** Profiles and flags that between them give pprof's Dropped line, a -nodecount cut, (inline) and (partial-inline) rows. */
const CASES: [string, string, string[]][] = [
  ['cpu-burner', 'cpu', ['--top', '10']],
  ['profile-cpu', 'cpu', ['--top', '10']],
  ['profile-cpu', 'cpu', ['--top', '10', '--cum']],
  ['profile-allocs', 'allocs', ['--top', '10']],
  ['profile-allocs', 'allocs', ['--top', '10', '--cum']],
  ['profile-heap-2', 'heap', ['--top', '10', '--sample-index', 'alloc_space']],
  ['profile-heap-2', 'heap', ['--top', '10', '--sample-index', 'inuse_space']],
  ['profile-heap-2', 'heap', ['--top', '10', '--sample-index', 'inuse_objects', '--cum']],
  ['contention-mutex', 'mutex', ['--top', '10']],
  ['contention-mutex', 'mutex', ['--top', '10', '--sample-index', 'contentions']],
  ['profile-block', 'block', ['--top', '10', '--sample-index', 'delay']],
  ['profile-goroutine', 'goroutine', ['--top', '10', '--cum']],
  ['contention-threadcreate', 'threadcreate', ['--top', '10']],
  ['escape-escapes-heap', 'heap', ['--top']],
];

describe.each(CAPTURED_VERSIONS)('profiles captured from %s', (version) => {
  it.each(CASES)('%s (%s profile) %j: the lines pprof -top prints', async (name, kind, args) => {
    const file = captured(name, version, 'pb.gz');
    const [ours, theirs] = await Promise.all([analyze([file, ...args]), pprofTopText(file, pprofFlags(args))]);
    expect(ours.exitCode, ours.all).toBe(0);
    expect(ours.stderr).toContain(`${file}: ${kind} profile`);
    expect(typeLine(ours.stdout)).toBe(typeLine(theirs));
    const pprofLines = fromShowing(theirs);
    expect(fromShowing(ours.stdout)).toEqual(pprofLines);
    // The header and at least one row, not just an empty table that matched.
    expect(pprofLines.length).toBeGreaterThan(2);
    // Nothing else on stdout: no heading for one file, no findings.
    expect(ours.stdout.split('\n')[0]).toBe(typeLine(theirs));
  });

  it('a table cut by N says so as pprof does: "Showing top N nodes out of M"', async () => {
    const file = captured('profile-allocs', version, 'pb.gz');
    const [ours, theirs] = await Promise.all([analyze([file, '--top', '3']), pprofTopText(file, ['-nodecount=3'])]);
    const line = theirs.split('\n').find((l) => SHOWING_TOP.test(l));
    expect(line).toMatch(/^Showing top 3 nodes out of \d+$/);
    expect(ours.stdout.split('\n')).toContain(line);
  });

  it('several profiles: one table each under ==> FILE <==, each the one-file output', async () => {
    const files = [captured('profile-cpu', version, 'pb.gz'), captured('profile-mutex', version, 'pb.gz')];
    const [both, ...alone] = await Promise.all([analyze([...files, '--top', '5']), ...files.map((f) => analyze([f, '--top', '5']))]);
    expect(both.exitCode, both.all).toBe(0);
    expect(both.stdout).toBe(`==> ${files[0]} <==\n${alone[0]!.stdout}\n\n==> ${files[1]} <==\n${alone[1]!.stdout}`);
  });

  it("--json: per file its sample type, unit, total, dropped nodes and pprof's rows in order", async () => {
    const file = captured('profile-allocs', version, 'pb.gz');
    const [run, text] = await Promise.all([analyze([file, '--top', '10', '--json']), pprofTopText(file, ['-nodecount=10'])]);
    expect(run.exitCode, run.all).toBe(0);
    const tables = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(tables).toHaveLength(1);
    const table = tables[0]!;
    expect(Object.keys(table).sort()).toEqual(['droppedNodes', 'file', 'rows', 'sampleType', 'total', 'unit']);
    expect(table).toMatchObject({ file, unit: 'bytes', total: expect.any(Number) });
    expect(`Type: ${String(table.sampleType)}`).toBe(typeLine(text));
    const dropped = /^Dropped (\d+) nodes? /m.exec(text);
    expect(table.droppedNodes).toBe(dropped ? Number(dropped[1]) : 0);
    const rows = table.rows as { func: string; flat: number; cum: number; inline?: string }[];
    // printText's row: "%10s %s %s %10s %s  %s%s" — the name and its inline label follow two spaces.
    const lines = fromShowing(text);
    const names = lines
      .slice(lines.findIndex((l) => /^\s+flat\s+flat%/.test(l)) + 1)
      .map((l) => /^\s*\S+ +\S+% +\S+% +\S+ +\S+% {2}(.+)$/.exec(l)?.[1]);
    expect(names.length).toBeGreaterThan(0);
    expect(rows.map((r) => `${r.func}${r.inline ? ` (${r.inline})` : ''}`)).toEqual(names);
    expect(rows.every((r) => Number.isFinite(r.flat) && r.cum >= r.flat)).toBe(true);
  });
});

describe('gotriage analyze --top: what it refuses', () => {
  const profile = captured('profile-heap-2', 'go1.26.8', 'pb.gz');

  it('--cum or --sample-index without --top: exit 2, says to add --top, prints nothing', async () => {
    for (const flags of [['--cum'], ['--sample-index', 'alloc_space']]) {
      const run = await analyze([profile, ...flags]);
      expect(run.exitCode, run.all).toBe(2);
      expect(run.stderr).toContain(`error: ${flags[0]} applies to the pprof -top table: give --top with it`);
      expect(run.stdout).toBe('');
    }
  });

  it('a goroutine dump with --top: exit 2 naming the file and what it is; the profile beside it still prints', async () => {
    const dump = captured('goroutines-debug2-early', 'go1.26.8');
    const run = await analyze([dump, profile, '--top', '3']);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain(`error: ${dump}: --top needs a pprof profile; this was recognised as goroutine dump (debug=2)`);
    expect(run.stdout).toContain(`==> ${profile} <==\nType: inuse_space\n`);
    expect(run.stdout).not.toContain(`==> ${dump} <==`);
  });

  it('an unknown sample index: exit 2 listing the sample types pprof lists', async () => {
    const [run, pprof] = await Promise.all([
      analyze([profile, '--top', '--sample-index', 'no_such_type']),
      execa('go', ['tool', 'pprof', '-top', '-sample_index=no_such_type', profile], { env: { PPROF_TMPDIR: tmpdir() }, reject: false }),
    ]);
    // pprof: `sample_index "no_such_type" must be one of: [alloc_objects alloc_space …]`
    const types = /must be one of: \[([^\]]+)\]/.exec(pprof.stderr)?.[1]?.split(' ');
    expect(types, pprof.stderr).toBeDefined();
    expect(run.exitCode, run.all).toBe(2);
    expect(run.stderr).toContain(`error: ${profile}: --sample-index "no_such_type" must be one of: ${types!.join(', ')}`);
    expect(run.stderr).not.toMatch(/internal error/);
    expect(run.stdout).toBe('');
  });

  it('--top swallowing the file (analyze --top FILE): exit 2 saying where FILE goes', async () => {
    const run = await analyze(['--top', profile]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toContain('--top takes a number of rows ≥ 1; put FILE first (analyze FILE --top)');
    expect(run.stdout).toBe('');
  });
});
