import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { ToolError } from '../../src/core/errors.ts';
import { decodeProfileFile, topFunctions, type DecodedProfile } from '../../src/analyze/profile.ts';
import { CAPTURED_VERSIONS, buildGoProgram, captured, pprofTop, tempDir } from './support.ts';

const NODES = 8;

/** Our top rows must equal `go tool pprof -top` row for row (names, flat, cum, percentages). */
async function expectSameAsPprofTop(path: string, profile: DecodedProfile) {
  const reference = await pprofTop(path, NODES);
  const ours = topFunctions(profile);
  expect(reference.rows.length).toBeGreaterThan(1);
  const ns = profile.sampleTypes[profile.defaultSampleIndex]!.unit === 'nanoseconds';
  expect(ns).toBe(true);
  for (const [i, ref] of reference.rows.entries()) {
    const row = ours[i]!;
    expect(row.func, `row ${i}`).toBe(ref.func);
    expect(Math.abs(row.flat - ref.flat), `${ref.func} flat`).toBeLessThanOrEqual(ref.tolerance);
    expect(Math.abs(row.cum - ref.cum), `${ref.func} cum`).toBeLessThanOrEqual(ref.tolerance);
    expect(Math.abs(row.flatPct - ref.flatPct), `${ref.func} flat%`).toBeLessThan(0.051);
    expect(Math.abs(row.cumPct - ref.cumPct), `${ref.func} cum%`).toBeLessThan(0.051);
  }
}

describe.each(CAPTURED_VERSIONS)('CPU profile captured from %s', (version) => {
  const path = captured('cpu-burner', version, 'pb.gz');

  it('decodes the gzip proto into numbers with Go CPU profile sample types', async () => {
    const profile = await decodeProfileFile(path);
    expect(profile.sampleTypes).toEqual([
      { type: 'samples', unit: 'count' },
      { type: 'cpu', unit: 'nanoseconds' },
    ]);
    // default_sample_type is unset in Go CPU profiles: the last type (cpu) is the default.
    expect(profile.defaultSampleIndex).toBe(1);
    expect(profile.periodType).toEqual({ type: 'cpu', unit: 'nanoseconds' });
    expect(profile.period).toBe(10_000_000); // 100 Hz
    expect(typeof profile.durationNanos).toBe('number');
    expect(profile.durationNanos).toBeGreaterThan(1e9);
    for (const s of profile.samples) for (const v of s.values) expect(typeof v).toBe('number');
  });

  it('agrees with `go tool pprof -top` on names, flat and cum', async () => {
    await expectSameAsPprofTop(path, await decodeProfileFile(path));
  });

  it('charges inlined main.mix as flat (line[0]) and counts main.burn once per sample in cum', async () => {
    const rows = topFunctions(await decodeProfileFile(path));
    const burn = rows.find((r) => r.func === 'main.burn')!;
    const mix = rows.find((r) => r.func === 'main.mix')!;
    expect(mix).toBeDefined();
    expect(mix.cum).toBeLessThanOrEqual(burn.cum);
    // burn is on every sample of the burner's run: its cum cannot exceed the total.
    expect(burn.cumPct).toBeLessThanOrEqual(100);
    expect(burn.file).toMatch(/burner\/main\.go$/);
  });

  it('also decodes the same profile stored without gzip', async () => {
    const raw = join(tempDir('prof'), 'cpu.pb');
    writeFileSync(raw, gunzipSync(readFileSync(path)));
    expect(topFunctions(await decodeProfileFile(raw))).toEqual(topFunctions(await decodeProfileFile(path)));
  });
});

describe('profiles that are not profiles', () => {
  const dir = tempDir('prof-bad');
  const write = (name: string, data: Buffer | string) => {
    const p = join(dir, name);
    writeFileSync(p, data);
    return p;
  };

  it('half a gzip profile → ToolError naming the file and the bad gzip', async () => {
    const whole = readFileSync(captured('cpu-burner', 'go1.26.8', 'pb.gz'));
    const half = write('half.pb.gz', whole.subarray(0, Math.floor(whole.length / 2)));
    const err = await decodeProfileFile(half).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as Error).message).toContain(half);
    expect((err as Error).message).toMatch(/gzip/);
  });

  it('an HTML login page served with 200 → ToolError', async () => {
    const page = write('login.html', '<!DOCTYPE html><html><body><form>password</form></body></html>');
    await expect(decodeProfileFile(page)).rejects.toThrow(ToolError);
  });

  it('an empty file → ToolError saying so', async () => {
    await expect(decodeProfileFile(write('empty.pb.gz', ''))).rejects.toThrow(/empty/);
  });
});

describe('CPU profile, live', () => {
  let path = '';
  beforeAll(async () => {
    const dir = tempDir('burner');
    const bin = await buildGoProgram('burner', dir);
    path = join(dir, 'cpu.pb.gz');
    await execa(bin, ['-cpuprofile', path, '-duration', '1s']);
  });

  it('topFunctions of a fresh -cpuprofile agrees with `go tool pprof -top`', async () => {
    const profile = await decodeProfileFile(path);
    await expectSameAsPprofTop(path, profile);
    expect(topFunctions(profile)[0]!.func).toMatch(/^main\.(burn|mix)$/);
  });
});
