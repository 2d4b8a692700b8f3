/**
 * fastPprofTopFile (the streaming decoder for large profiles) must give exactly the rows
 * of pprofTop (the object decoder) and of the real `go tool pprof -top`: on every profile
 * captured from Go 1.26 and 1.23, for every sample index, by flat and by cum; on a fresh
 * deep-recursion profile from bench/go/stack-forest; and on a `-diff_base` profile written
 * by pprof itself, whose negative values are ten-byte varints.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { ToolError, UsageError } from '../../src/core/errors.ts';
import { decodeProfileFile } from '../../src/analyze/profile.ts';
import { fastPprofTopFile } from '../../src/analyze/profile-fast-top.ts';
import { pprofTop } from '../../src/analyze/profile-top.ts';
import { CAPTURED_VERSIONS, ROOT, captured, tempDir } from './support.ts';
import { droppedNodes, formatTopRows, parseTopRows, pprofText } from './profile-reference.ts';

const KINDS = [
  'profile-cpu',
  'profile-heap-1',
  'profile-heap-2',
  'profile-allocs',
  'profile-mutex',
  'profile-block',
  'profile-goroutine',
  'cpu-burner',
];

/** Fast and object paths agree on every field of every row, for every sample index, -cum or not, trimmed or not. */
async function expectSameAsObjectDecoder(path: string) {
  const profile = await decodeProfileFile(path);
  for (let index = 0; index < profile.sampleTypes.length; index++) {
    for (const cum of [false, true]) {
      for (const nodeCount of [0, 5]) {
        const options = { sampleIndex: index, cum, nodeCount };
        const fast = await fastPprofTopFile(path, options);
        expect(fast, JSON.stringify(options)).toEqual(pprofTop(profile, options));
      }
    }
  }
}

/** Fast rows printed with pprof's formatting equal the tool's text rows, and the dropped count matches. */
async function expectSameAsPprof(path: string, args: string[], options: Parameters<typeof fastPprofTopFile>[1]) {
  const text = await pprofText(['-top', ...args, path]);
  const fast = await fastPprofTopFile(path, options);
  const reference = parseTopRows(text);
  expect(reference.length).toBeGreaterThan(0);
  expect(formatTopRows(fast), args.join(' ')).toEqual(reference);
  expect(fast.droppedNodes).toBe(droppedNodes(text));
  return fast;
}

describe.each(CAPTURED_VERSIONS)('fast -top on profiles captured from %s', (version) => {
  it.each(KINDS)('%s: same rows as pprofTop for every sample index', async (kind) => {
    await expectSameAsObjectDecoder(captured(kind, version, 'pb.gz'));
  });

  it.each(KINDS)('%s: same rows as go tool pprof -top (default type, and type 0 by cum)', async (kind) => {
    const path = captured(kind, version, 'pb.gz');
    const top = await expectSameAsPprof(path, ['-nodecount=10'], { nodeCount: 10 });
    expect(top.rows.length).toBeGreaterThan(0);
    await expectSameAsPprof(path, ['-nodecount=10', '-sample_index=0', '-cum'], { nodeCount: 10, sampleIndex: 0, cum: true });
  });

  it('labels main.fill, inlined into main.retain, `(inline)` like pprof', async () => {
    const top = await expectSameAsPprof(captured('profile-heap-2', version, 'pb.gz'), ['-sample_index=alloc_space'], {
      sampleIndex: 'alloc_space',
    });
    expect(top.rows.some((r) => r.inline === 'inline')).toBe(true);
  });
});

describe('fast -top on profiles written now', () => {
  let dir = '';
  beforeAll(async () => {
    dir = tempDir('fast-top');
    await execa('go', ['build', '-o', join(dir, 'forest'), '.'], { cwd: join(ROOT, 'bench/go/stack-forest') });
  });

  it('a deep-recursion profile (stack-forest): each function counted once per sample, as pprof does', async () => {
    const path = join(dir, 'forest.pb.gz');
    await execa(join(dir, 'forest'), ['-out', path, '-paths', '3000', '-depth', '60']);
    for (const index of ['alloc_space', 'alloc_objects']) {
      const top = await expectSameAsPprof(path, [`-sample_index=${index}`], { sampleIndex: index });
      // main.walk recurses 60 deep in every sample, yet its cum cannot exceed the total.
      const walk = top.rows.find((r) => r.func === 'main.walk')!;
      expect(walk.cum).toBeLessThanOrEqual(top.total);
      expect(walk.cumPct).toBeGreaterThan(90);
    }
  });

  it('a -diff_base profile written by pprof: negative values (ten-byte varints) come out negative', async () => {
    const version = CAPTURED_VERSIONS[0];
    const path = join(dir, 'diff.pb.gz');
    await pprofText([
      '-proto',
      `-output=${path}`,
      `-diff_base=${captured('profile-heap-2', version, 'pb.gz')}`,
      captured('profile-heap-1', version, 'pb.gz'),
    ]);
    const top = await fastPprofTopFile(path, { nodeCount: 8 });
    // pprof marks the base's samples with the label pprof::base and takes percentages of
    // their total; neither decoder reads labels, so compare names and values, not percentages.
    const values = (rows: string[][]) => rows.map(([flat, , , cum, , name, inline]) => [flat, cum, name, inline]);
    expect(values(formatTopRows(top))).toEqual(values(parseTopRows(await pprofText(['-top', '-nodecount=8', path]))));
    expect(top.rows.some((r) => r.flat < 0)).toBe(true);
    // The full decoder reads the same int64s as signed too, so both paths agree on the rows.
    const full = pprofTop(await decodeProfileFile(path), { nodeCount: 8 });
    expect(full.rows.map((r) => [r.func, r.flat, r.cum])).toEqual(top.rows.map((r) => [r.func, r.flat, r.cum]));
  });

  it('names the file and says what is wrong when it is not a profile', async () => {
    const proto = gunzipSync(readFileSync(captured('profile-cpu', CAPTURED_VERSIONS[0], 'pb.gz')));
    const cut = join(dir, 'cut.pb');
    writeFileSync(cut, proto.subarray(0, Math.floor(proto.length / 2)));
    await expect(fastPprofTopFile(cut)).rejects.toThrow(ToolError);
    await expect(fastPprofTopFile(cut)).rejects.toThrow(`cannot decode profile ${cut}`);
    const html = join(dir, 'index.html');
    writeFileSync(html, '<html><body>pprof</body></html>\n');
    await expect(fastPprofTopFile(html)).rejects.toThrow(/cannot decode profile .*index\.html: not a profile\.proto/);
    const empty = join(dir, 'empty');
    writeFileSync(empty, '');
    await expect(fastPprofTopFile(empty)).rejects.toThrow(/the file is empty/);
  });

  it('refuses an unknown sample type, naming the ones there are', async () => {
    const path = captured('profile-mutex', CAPTURED_VERSIONS[1], 'pb.gz');
    await expect(fastPprofTopFile(path, { sampleIndex: 'alloc_space' })).rejects.toThrow(UsageError);
    await expect(fastPprofTopFile(path, { sampleIndex: 'alloc_space' })).rejects.toThrow(/contentions, delay/);
  });
});
