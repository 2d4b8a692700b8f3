import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { cpuFindings } from '../../src/analyze/cpu-findings.ts';
import { decodeProfileFile, topFunctions } from '../../src/analyze/profile.ts';
import { isUserFunction } from '../../src/core/model.ts';
import { CAPTURED_VERSIONS, buildGoProgram, captured, pprofTop, sourceLine, tempDir } from './support.ts';

const BURN_START = sourceLine('burner', 'main.go', 'func burn(');
const BURN_END = sourceLine('burner', 'main.go', 'func main()');

function expectedSeverity(flatPct: number) {
  return flatPct >= 50 ? 'high' : flatPct >= 20 ? 'medium' : 'low';
}

describe.each(CAPTURED_VERSIONS)('cpu-hotspot findings from the profile captured with %s', (version) => {
  const path = captured('cpu-burner', version, 'pb.gz');

  it('names main.burn at a line inside it, with shares matching go tool pprof', async () => {
    const findings = cpuFindings(5, await decodeProfileFile(path));
    const burn = findings.find((f) => f.location?.func === 'main.burn');
    expect(burn).toBeDefined();
    expect(burn!.kind).toBe('cpu-hotspot');
    expect(burn!.artifactIds).toEqual([5]);
    expect(burn!.location!.file).toMatch(/burner\/main\.go$/);
    expect(burn!.location!.line).toBeGreaterThan(BURN_START);
    expect(burn!.location!.line).toBeLessThan(BURN_END);
    expect(burn!.title).toMatch(/^CPU hotspot: main\.burn uses \d+\.\d% of CPU samples \(flat\)$/);

    const reference = await pprofTop(path, 10);
    const refBurn = reference.rows.find((r) => r.func === 'main.burn')!;
    expect(burn!.metrics.flatPct).toBeCloseTo(refBurn.flatPct, 1);
    expect(burn!.metrics.totalNs).toBeCloseTo(reference.totalNs, -7); // pprof prints 10 ms steps
  });

  it('reports only user functions with at least 5% flat, severity by share', async () => {
    const profile = await decodeProfileFile(path);
    const findings = cpuFindings(1, profile);
    const eligible = topFunctions(profile).filter((r) => isUserFunction(r.func) && r.flatPct >= 5);
    expect(findings.map((f) => f.location!.func)).toEqual(eligible.map((r) => r.func));
    for (const f of findings) {
      expect(f.metrics.flatPct).toBeGreaterThanOrEqual(5);
      expect(f.severity).toBe(expectedSeverity(f.metrics.flatPct!));
    }
  });
});

describe('cpu-hotspot findings, live', () => {
  it('a profile whose time is in the burner names main.burn; one whose time is in crypto/sha256 blames no user function', async () => {
    const dir = tempDir('burner-live');
    const bin = await buildGoProgram('burner', dir);
    const userProfile = join(dir, 'user.pb.gz');
    const shaProfile = join(dir, 'sha.pb.gz');
    await execa(bin, ['-cpuprofile', userProfile, '-duration', '1s']);
    await execa(bin, ['-cpuprofile', shaProfile, '-duration', '1s', '-mode', 'sha']);

    const hot = cpuFindings(1, await decodeProfileFile(userProfile));
    expect(hot.map((f) => f.location!.func)).toContain('main.burn');

    const sha = await decodeProfileFile(shaProfile);
    // The time really is in std (the check would be meaningless otherwise).
    expect(topFunctions(sha)[0]!.func).toMatch(/sha256/);
    // The loop that calls sha256 may own a few percent of flat samples itself (a 1 s
    // profile has ~100 samples, so 5 % is 5 of them); it must never read as the hotspot.
    const blamed = cpuFindings(2, sha);
    expect(blamed.map((f) => f.location!.func).filter((func) => func !== 'main.hashLoop')).toEqual([]);
    for (const f of blamed) {
      expect(f.metrics.flatPct).toBeLessThan(20);
      expect(f.severity).toBe('low');
    }
  });
});
