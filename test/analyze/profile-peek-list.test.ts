/**
 * peekFunction and listFunction against the real `go tool pprof -peek` and `-list`
 * on profiles captured from Go 1.26 and 1.23 (their sources are in this repo:
 * profile-zoo/ and test/fixtures/go/burner), row for row.
 */
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeProfileFile } from '../../src/analyze/profile.ts';
import { formatPprofPercent, formatPprofValue } from '../../src/core/pprof-units.ts';
import { listFunction, type ListResult } from '../../src/analyze/profile-list.ts';
import { peekFunction, type PeekResult } from '../../src/analyze/profile-peek.ts';
import { CAPTURED_VERSIONS, ROOT, captured, sourceLine } from './support.ts';
import { parseListRows, parsePeekRows, pprofText } from './profile-reference.ts';

function peekRows(peek: PeekResult): string[][] {
  const v = (x: number) => formatPprofValue(x, peek.unit, peek.outputUnit);
  const pct = (x: number) => formatPprofPercent((x / 100) * peek.total, peek.total).trim();
  const rows: string[][] = [];
  for (const e of peek.entries) {
    const edge = (x: PeekEdge) => ['edge', v(x.weight), formatPprofPercent(x.weight, e.cum).trim(), x.func, x.inline ? 'inline' : ''];
    rows.push(...e.callers.map(edge));
    rows.push(['node', v(e.flat), pct(e.flatPct), pct(e.sumPct), v(e.cum), pct(e.cumPct), e.func]);
    rows.push(...e.callees.map(edge));
  }
  return rows;
}
type PeekEdge = PeekResult['entries'][number]['callers'][number];

function listRows(list: ListResult): string[][] {
  const v = (x: number) => formatPprofValue(x, list.unit);
  const dot = (x: number) => (x === 0 ? '.' : v(x));
  const rows: string[][] = [];
  for (const r of list.routines) {
    rows.push(['routine', r.func, r.file], ['total', v(r.flat), v(r.cum), formatPprofPercent(r.cum, list.total).trim()]);
    for (const l of r.lines) rows.push(['line', dot(l.flat), dot(l.cum), String(l.line), l.source ?? '']);
  }
  return rows;
}

describe.each(CAPTURED_VERSIONS)('-peek and -list on profiles captured from %s', (version) => {
  it.each([
    ['cpu', 'main\\.(spin|main)', undefined],
    ['heap-2', 'main\\.', 'alloc_space'],
    ['mutex', 'Unlock|contend', 'delay'],
    ['block', 'runtime\\.chanrecv', 'contentions'],
    ['goroutine', 'gopark|waitForever', undefined],
  ])('peek %s %s -sample_index=%s equals `go tool pprof -peek`', async (kind, rx, index) => {
    const path = captured(`profile-${kind}`, version, 'pb.gz');
    const text = await pprofText(['-peek', rx, ...(index ? [`-sample_index=${index}`] : []), path]);
    const reference = parsePeekRows(text);
    expect(reference.length).toBeGreaterThan(1);
    expect(peekRows(peekFunction(await decodeProfileFile(path), rx, { sampleIndex: index }))).toEqual(reference);
  });

  it("peek names main.spin as main.main's callee and main.main as its caller", async () => {
    const peek = peekFunction(await decodeProfileFile(captured('profile-cpu', version, 'pb.gz')), '^main\\.spin$');
    expect(peek.entries.map((e) => e.func)).toEqual(['main.spin']);
    expect(peek.entries[0]!.callers.map((c) => c.func)).toContain('main.main.func1');
  });

  it.each([
    ['profile-cpu', 'main\\.spin', undefined],
    ['profile-heap-2', 'main\\.(retain|fill)', 'alloc_space'],
    ['cpu-burner', 'main\\.burn', undefined],
  ])('list %s %s equals `go tool pprof -list`, source lines included', async (name, rx, index) => {
    const path = captured(name, version, 'pb.gz');
    const text = await pprofText(['-list', rx, ...(index ? [`-sample_index=${index}`] : []), path], ROOT);
    const reference = parseListRows(text);
    expect(reference.filter((r) => r[0] === 'line').length).toBeGreaterThan(5);
    const ours = listFunction(await decodeProfileFile(path), rx, { sampleIndex: index, sourceRoot: ROOT });
    expect(listRows(ours)).toEqual(reference);
  });

  it("list puts burner's samples on the source lines of its loop, with their text", async () => {
    const list = listFunction(await decodeProfileFile(captured('cpu-burner', version, 'pb.gz')), '^main\\.burn$');
    const routine = list.routines[0]!;
    expect(routine.file).toMatch(/burner\/main\.go$/);
    const hot = routine.lines.filter((l) => l.flat > 0).map((l) => l.line);
    const loopStart = sourceLine('burner', 'main.go', 'for i := 0; i < 1<<20');
    const loopEnd = sourceLine('burner', 'main.go', 'x = mix(x)');
    for (const line of hot) expect(line).toBeGreaterThanOrEqual(loopStart);
    for (const line of hot) expect(line).toBeLessThanOrEqual(loopEnd + 2);
    expect(routine.lines.find((l) => l.line === loopEnd)!.source).toContain('x = mix(x)');
  });

  it('without readable sources, list still attributes lines and says why the text is missing', async () => {
    const path = captured('cpu-burner', version, 'pb.gz');
    const profile = await decodeProfileFile(path);
    // Rewrite the recorded paths so neither the path nor any suffix of it exists.
    for (const s of profile.samples)
      for (const l of s.locations) for (const ln of l.lines) ln.func.filename = ln.func.filename.replace(/^.*\//, '/nonexistent/zz-');
    const routine = listFunction(profile, 'main\\.burn', { sourceRoot: dirname(path) }).routines[0]!;
    expect(routine.sourceError).toMatch(/cannot read/);
    expect(routine.lines.every((l) => l.source === undefined && (l.flat > 0 || l.cum > 0))).toBe(true);
    expect(routine.lines.reduce((a, l) => a + l.flat, 0)).toBe(routine.flat);
  });
});
