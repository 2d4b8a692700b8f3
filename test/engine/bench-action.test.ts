/**
 * The `bench` action with the real go toolchain on the demo service: what it keeps,
 * that the kept CPU profile names the hotspot and symbolises with the kept binary, and
 * how a package that does not compile is recorded.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchFindings, parseBenchOutput } from '../../src/analyze/bench-findings.ts';
import { cpuFindings } from '../../src/analyze/cpu-findings.ts';
import { decodeProfileFile } from '../../src/analyze/profile.ts';
import { runBenchAction } from '../../src/engine/actions/bench-action.ts';
import { UsageError } from '../../src/core/errors.ts';
import { MediaType } from '../../src/core/model.ts';
import { benchActionSchema } from '../../src/playbook/schema.ts';
import { openStore } from '../../src/store/open.ts';
import type { Store } from '../../src/store/store.ts';
import { eventMessage } from '../../src/store/timeline-event.ts';
import { demoServiceDir } from '../helpers/demo-service.ts';
import { analyzeArtifacts } from '../../src/analyze/index.ts';
import { makeStepEnv } from '../helpers/step-env.ts';

let dir: string;
let store: Store;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gotriage-bench-action-'));
  store = openStore({ path: join(dir, 'gotriage.db') });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function makeEnv(params: Record<string, string>) {
  return await makeStepEnv(store, dir, { params, title: 'slow checksum' });
}

const action = (fields: Record<string, unknown>) => benchActionSchema.parse({ id: 'bench-checksum', kind: 'bench', ...fields });

describe('bench action on the demo service (go test -bench -benchtime=100x)', () => {
  let env: Awaited<ReturnType<typeof makeEnv>>;
  let outcome: Awaited<ReturnType<typeof runBenchAction>>;

  beforeAll(async () => {
    env = await makeEnv({ serviceDir: demoServiceDir });
    const stepRun = await store.startStep(env.incident.id, 'gather');
    outcome = await runBenchAction(
      env,
      stepRun.id,
      action({ cwd: '{{serviceDir}}', bench: 'SlowChecksum', benchtime: '100x', count: 2 }),
      'r1',
    );
  });

  it('keeps the output, both profiles and the test binary, and records the run', async () => {
    expect(outcome.failures).toBe(0);
    expect(outcome.artifacts.map((a) => a.mediaType)).toEqual([
      MediaType.goBench,
      `${MediaType.pprof('profile')}; source=bench`,
      `${MediaType.pprof('allocs')}; source=bench`,
      MediaType.goTestBinary,
    ]);
    expect((await store.artifacts(env.incident.id)).map((a) => a.id)).toEqual(outcome.artifacts.map((a) => a.id));
    const [run] = await store.toolRuns(env.incident.id);
    expect(run!.exitCode).toBe(0);
    expect(run!.argv.slice(0, 4)).toEqual(['go', 'test', '-run=^$', '-bench=SlowChecksum']);
    expect(run!.argv).toContain('-count=2');
    expect(run!.stdoutArtifactId).toBe(outcome.artifacts[0]!.id);
  });

  it('its CPU profile is not read as a production hotspot: the benchmarked function is hot by construction', async () => {
    const findings = await analyzeArtifacts([outcome.artifacts[1]!]);
    expect(findings.filter((f) => f.kind === 'cpu-hotspot')).toEqual([]);
  });

  it('the kept output parses into a benchmark finding averaged over -count', async () => {
    const output = outcome.artifacts[0]!;
    const findings = benchFindings(output.id, await parseBenchOutput(output.path));
    expect(findings).toHaveLength(1);
    expect(findings[0]!.kind).toBe('benchmark');
    expect(findings[0]!.title).toMatch(/^BenchmarkSlowChecksum(-\d+)?: /);
    expect(findings[0]!.metrics.runs).toBe(2);
    expect(findings[0]!.metrics.nsPerOp).toBeGreaterThan(0);
  });

  it('the kept CPU profile names slowChecksum as the hotspot, and symbolises with the kept binary', async () => {
    const [, cpu, mem, binary] = outcome.artifacts;
    const hot = cpuFindings(cpu!.id, await decodeProfileFile(cpu!.path));
    // go test builds package main under its import path, so that is the name profiles carry.
    expect(hot.map((f) => f.location!.func)).toContain('example.com/demo-service.slowChecksum');
    const top = hot.find((f) => f.location!.func.endsWith('.slowChecksum'))!;
    expect(top.metrics.flatPct).toBeGreaterThan(50);
    expect(top.location!.file).toMatch(/demo-service\/checksum\.go$/);

    const memProfile = await decodeProfileFile(mem!.path);
    expect(memProfile.sampleTypes.map((t) => t.type)).toContain('alloc_space');

    // Disassembly needs the very binary the profile was taken from (the profile's mapping
    // names go test's deleted temporary copy): the kept binary serves. slowChecksum is
    // inlined into the benchmark, so its instructions are the benchmark's.
    const pprof = await execa('go', ['tool', 'pprof', '-disasm=BenchmarkSlowChecksum', binary!.path, cpu!.path], {
      env: { PPROF_TMPDIR: dir },
    });
    expect(pprof.stdout).toMatch(/ROUTINE =+ example\.com\/demo-service\.BenchmarkSlowChecksum/);
    expect(pprof.stdout).toMatch(/^[ .\dms]+[0-9a-f]+: \w+.*;checksum\.go:\d+$/m); // address: instruction ;source line
    expect(await readFile(outcome.artifacts[0]!.path, 'utf8')).toMatch(/^ok\s+example\.com\/demo-service/m);
  });
});

describe('bench action failures', () => {
  it('a package that does not compile is recorded with its compiler errors, no profiles, and the step goes on', async () => {
    const pkgDir = mkdtempSync(join(dir, 'broken-'));
    writeFileSync(join(pkgDir, 'go.mod'), 'module example.com/broken\n\ngo 1.23\n');
    writeFileSync(
      join(pkgDir, 'broken_test.go'),
      'package broken\n\nimport "testing"\n\nfunc BenchmarkX(b *testing.B) { undefinedThing() }\n',
    );
    const env = await makeEnv({ serviceDir: pkgDir });
    const stepRun = await store.startStep(env.incident.id, 'gather');
    const outcome = await runBenchAction(env, stepRun.id, action({ cwd: '{{serviceDir}}', benchtime: '1x' }), 'r1');
    expect(outcome.failures).toBe(1);
    expect(outcome.artifacts.map((a) => a.mediaType)).toEqual([MediaType.goBench, MediaType.text]);
    const all = (await Promise.all(outcome.artifacts.map((a) => readFile(a.path, 'utf8')))).join('\n');
    expect(all).toContain('undefined: undefinedThing');
    expect(outcome.events[0]).toMatchObject({ kind: 'action-failed', action: 'bench-checksum' });
    expect(eventMessage(outcome.events[0]!)).toMatch(
      /^bench-checksum: .*exited 1; no CPU profile, memory profile, test binary broken-\w+\.test$/,
    );
    expect(env.log.lines.some((l) => l.startsWith('warn: action bench-checksum:'))).toBe(true);
  });

  it('refuses a bench pattern or package that go would read as a flag, before running anything', async () => {
    const env = await makeEnv({ serviceDir: demoServiceDir, pattern: '-exec=/bin/sh' });
    const stepRun = await store.startStep(env.incident.id, 'gather');
    await expect(runBenchAction(env, stepRun.id, action({ cwd: '{{serviceDir}}', package: '{{pattern}}' }), 'r1')).rejects.toThrow(
      UsageError,
    );
    await expect(runBenchAction(env, stepRun.id, action({ cwd: '{{serviceDir}}', package: '-toolexec=x' }), 'r1')).rejects.toThrow(
      /would read it as a flag/,
    );
    await expect(runBenchAction(env, stepRun.id, action({ cwd: '{{serviceDir}}', package: './...' }), 'r1')).rejects.toThrow(
      /several packages/,
    );
    expect(await store.toolRuns(env.incident.id)).toEqual([]);
  });
});
