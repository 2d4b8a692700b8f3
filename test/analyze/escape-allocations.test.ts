/**
 * Escape analysis joined with real heap profiles of test/fixtures/go/escapes
 * (MemProfileRate=1), captured from Go 1.26 and Go 1.23; the percentages are checked
 * against `go tool pprof -sample_index=alloc_space -show=<service functions> -top` on the
 * same file: a function is charged for the library code it calls (fmt.Sprint's bytes are
 * main.describe's).
 */
import { execa } from 'execa';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { explainAllocations, splitFuncName } from '../../src/analyze/escape-allocations.ts';
import { parseEscapeFile } from '../../src/analyze/escape-parse.ts';
import { moduleRelativeMapper } from '../../src/analyze/escape-paths.ts';
import { decodeProfileFile } from '../../src/analyze/profile.ts';
import { marker } from './escape-support.ts';
import { CAPTURED_VERSIONS, captured } from './support.ts';

/** flat% of one function as the real pprof prints it, with only the program's own functions shown. */
async function pprofFlatPct(profile: string, func: string, show = '^main\\.'): Promise<number> {
  const args = ['tool', 'pprof', '-sample_index=alloc_space', `-show=${show}`, '-top', '-nodecount=1000', profile];
  const { stdout } = await execa('go', args, { env: { PPROF_TMPDIR: tmpdir() } });
  const row = stdout.split('\n').find(
    (l) =>
      l
        .trim()
        .split(/\s+/)
        .slice(5)
        .join(' ')
        .replace(/ \(inline\)$/, '') === func,
  );
  if (!row) throw new Error(`${func} not in pprof -top:\n${stdout}`);
  return Number(row.trim().split(/\s+/)[1]!.replace('%', ''));
}

describe.each(CAPTURED_VERSIONS)('explainAllocations on a heap profile from %s', (version) => {
  it("says why the hottest allocating function's values escape", async () => {
    const entries = await parseEscapeFile(captured('escape-escapes', version), {
      mapPath: moduleRelativeMapper({ modulePath: 'example.com/escapes' }),
    });
    const profilePath = captured('escape-escapes-heap', version, 'pb.gz');
    const findings = explainAllocations(entries, await decodeProfileFile(profilePath), { artifactIds: [3, 4] });

    const hottest = findings[0]!;
    expect(hottest.location?.func).toBe('main.describe');
    const m = marker('interface');
    expect(hottest.location).toMatchObject({ file: m.file, line: m.line });
    expect(hottest.metrics.allocPct).toBeCloseTo(await pprofFlatPct(profilePath, 'main.describe'), 1);
    // With plain flat, fmt.Sprint would keep a third of describe's bytes.
    expect(hottest.metrics.allocPct).toBeGreaterThan(await pprofFlatPct(profilePath, 'main.describe', '.'));
    expect(hottest.title).toMatch(
      /^main\.describe allocates \d+% of alloc_space \(itself and through the calls it makes\); .+ escapes to heap at main\.go:\d+:\d+ \(stored in an interface: argument to fmt\.Sprint\) \(\+2 more\)$/,
    );
    expect(hottest.detail?.split('\n')).toHaveLength(3);
    expect(hottest.artifactIds).toEqual([3, 4]);
    // Ranked like pprof -show: hottest first, each at pprof's figure.
    for (const f of findings) expect(f.metrics.allocPct).toBeCloseTo(await pprofFlatPct(profilePath, f.location!.func), 1);
    const pcts = findings.map((f) => f.metrics.allocPct!);
    expect([...pcts].sort((a, b) => b - a)).toEqual(pcts);
    // produce's allocation is explained by its channel send.
    expect(findings.find((f) => f.location?.func === 'main.produce')?.title).toContain('sent on a channel');
  });

  it('attaches nothing when the profile has no function of the module', async () => {
    const entries = await parseEscapeFile(captured('escape-escapes', version), {
      mapPath: moduleRelativeMapper({ modulePath: 'example.com/other' }),
    });
    const findings = explainAllocations(entries, await decodeProfileFile(captured('escape-escapes-heap', version, 'pb.gz')));
    expect(findings).toEqual([]);
  });
});

describe('splitFuncName', () => {
  it('splits at the first dot after the last slash, as Go symbol names are built', () => {
    expect(splitFuncName('example.com/escapes/store.(*Store).Put')).toEqual({ pkg: 'example.com/escapes/store', rel: '(*Store).Put' });
    expect(splitFuncName('main.counter.func1')).toEqual({ pkg: 'main', rel: 'counter.func1' });
  });
});
