/**
 * pprofTop / diffProfiles / resolveSampleIndex against the real `go tool pprof -top`:
 * every row (name, flat, flat%, sum%, cum, cum%, inline suffix) printed with pprof's
 * formatting must equal the tool's, on profiles captured from Go 1.26 and 1.23 and on
 * a fresh run of the profile-zoo program.
 */
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/core/errors.ts';
import { decodeProfileFile } from '../../src/analyze/profile.ts';
import { diffProfiles } from '../../src/analyze/profile-diff.ts';
import { resolveSampleIndex } from '../../src/analyze/profile-sample-index.ts';
import { pprofTop } from '../../src/analyze/profile-top.ts';
import { CAPTURED, CAPTURED_VERSIONS, captured, tempDir } from './support.ts';
import { droppedNodes, formatTopRows, parseTopRows, pprofText } from './profile-reference.ts';

const N = 12;
/** [profile, sample_index (undefined: default), -cum] — every kind, by name and by index. */
const CASES: [string, string | undefined, boolean][] = [
  ['cpu', undefined, false],
  ['cpu', 'samples', true],
  ['heap-2', undefined, false],
  ['heap-2', 'alloc_space', false],
  ['heap-2', '2', true],
  ['allocs', 'inuse_objects', false],
  ['allocs', undefined, true],
  ['mutex', 'delay', false],
  ['mutex', 'contentions', true],
  ['block', 'delay', true],
  ['block', 'contentions', false],
  ['goroutine', undefined, false],
];

async function expectTopEqual(path: string, sampleIndex: string | undefined, cum: boolean) {
  const args = ['-top', `-nodecount=${N}`, ...(sampleIndex ? [`-sample_index=${sampleIndex}`] : []), ...(cum ? ['-cum'] : []), path];
  const text = await pprofText(args);
  const ours = pprofTop(await decodeProfileFile(path), { nodeCount: N, sampleIndex, cum });
  const reference = parseTopRows(text);
  expect(reference.length).toBeGreaterThan(0);
  expect(formatTopRows(ours), args.join(' ')).toEqual(reference);
  expect(ours.droppedNodes).toBe(droppedNodes(text));
  return ours;
}

describe.each(CAPTURED_VERSIONS)('go tool pprof -top on profiles captured from %s', (version) => {
  it.each(CASES)('%s -sample_index=%s -cum=%s', async (kind, index, cum) => {
    await expectTopEqual(captured(`profile-${kind}`, version, 'pb.gz'), index, cum);
  });

  it('marks an inlined function `(inline)` as pprof does (main.fill inside main.retain)', async () => {
    const top = await expectTopEqual(captured('profile-heap-2', version, 'pb.gz'), 'alloc_space', false);
    expect(top.rows.some((r) => r.inline !== undefined)).toBe(true);
  });

  it('diff of heap-1 → heap-2 equals `-diff_base` (percentages of the base total)', async () => {
    const base = captured('profile-heap-1', version, 'pb.gz');
    const current = captured('profile-heap-2', version, 'pb.gz');
    for (const index of ['inuse_space', 'alloc_objects']) {
      const text = await pprofText(['-top', `-nodecount=${N}`, `-sample_index=${index}`, `-diff_base=${base}`, current]);
      const diff = diffProfiles(await decodeProfileFile(base), await decodeProfileFile(current), index, { nodeCount: N });
      expect(formatTopRows(diff), index).toEqual(parseTopRows(text));
      // main.retain kept 6 MiB more after heap-1 was written: a growth far above the base total.
      const retain = diff.rows.find((r) => r.func === 'main.retain')!;
      expect(retain.flat).toBeGreaterThan(0);
    }
  });

  it('a diff in the other direction has negative deltas, printed like pprof', async () => {
    const base = captured('profile-heap-2', version, 'pb.gz');
    const current = captured('profile-heap-1', version, 'pb.gz');
    const text = await pprofText(['-top', `-nodecount=${N}`, `-diff_base=${base}`, current]);
    const diff = diffProfiles(await decodeProfileFile(base), await decodeProfileFile(current), undefined, { nodeCount: N });
    expect(formatTopRows(diff)).toEqual(parseTopRows(text));
    expect(diff.rows[0]!.flat).toBeLessThan(0);
  });
});

describe('resolveSampleIndex', () => {
  it('takes names, the legacy inuse_ prefix and indexes; refuses others naming the types', async () => {
    const heap = await decodeProfileFile(join(CAPTURED, 'profile-heap-2.go1.26.8.pb.gz'));
    expect(resolveSampleIndex(heap)).toBe(3); // inuse_space: the last type
    expect(resolveSampleIndex(heap, 'alloc_space')).toBe(1);
    expect(resolveSampleIndex(heap, 0)).toBe(0);
    expect(resolveSampleIndex(heap, '2')).toBe(2);
    const allocs = await decodeProfileFile(join(CAPTURED, 'profile-allocs.go1.26.8.pb.gz'));
    expect(resolveSampleIndex(allocs)).toBe(1); // default_sample_type=alloc_space
    expect(() => resolveSampleIndex(heap, 'delay')).toThrow(UsageError);
    expect(() => resolveSampleIndex(heap, 'delay')).toThrow(/alloc_objects, alloc_space, inuse_objects, inuse_space/);
    expect(() => resolveSampleIndex(heap, 4)).toThrow(/outside the range \[0..3\]/);
  });
});

describe('go tool pprof -top on a fresh profile-zoo run', () => {
  let dir = '';
  beforeAll(async () => {
    dir = tempDir('zoo');
    await execa('go', ['build', '-o', join(dir, 'zoo'), '.'], { cwd: join(CAPTURED, 'profile-zoo') });
    await execa(join(dir, 'zoo'), ['-out', dir, '-cpu', '500ms']);
  });

  it.each(['cpu', 'heap-2', 'allocs', 'mutex', 'block', 'goroutine'])('%s, default sample type and -cum', async (kind) => {
    await expectTopEqual(join(dir, `${kind}.pb.gz`), undefined, false);
    await expectTopEqual(join(dir, `${kind}.pb.gz`), undefined, true);
  });
});
