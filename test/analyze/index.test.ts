import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeArtifacts } from '../../src/analyze/index.ts';
import { MediaType } from '../../src/core/model.ts';
import type { StoredArtifact } from '../../src/store/store.ts';
import { captured, tempDir } from './support.ts';

const V = 'go1.26.8';
let nextId = 1;

function artifact(path: string, mediaType: string, actionId: string, label = `${actionId} #${nextId}`): StoredArtifact {
  return {
    id: nextId++,
    sha256: '0'.repeat(64),
    size: statSync(path).size,
    mediaType,
    path,
    label,
    stepRunId: 1,
    actionId,
    attributes: {},
    createdAt: new Date(0).toISOString(),
  };
}

describe('analyzeArtifacts', () => {
  const dir = tempDir('analyze');
  const loginPage = join(dir, 'login.html');
  writeFileSync(loginPage, '<!DOCTYPE html><html><body>Please sign in</body></html>\n');
  const halfGzip = join(dir, 'half.pb.gz');
  const wholeProfile = readFileSync(captured('cpu-burner', V, 'pb.gz'));
  writeFileSync(halfGzip, wholeProfile.subarray(0, wholeProfile.length >> 1));

  it('picks the parser by media type and reports each kind of finding', async () => {
    const findings = await analyzeArtifacts([
      artifact(captured('cpu-burner', V, 'pb.gz'), MediaType.pprof('profile'), 'cpu'),
      artifact(captured('goroutines-debug2-early', V), MediaType.goroutines('2'), 'goroutines'),
      artifact(captured('goroutines-debug2-late', V), MediaType.goroutines('2'), 'goroutines'),
      artifact(captured('race-go-test', V), MediaType.race, 'race-test'),
    ]);
    const kinds = new Set(findings.map((f) => f.kind));
    expect(kinds).toEqual(new Set(['cpu-hotspot', 'goroutine-growth', 'data-race']));
    const growth = findings.find((f) => f.kind === 'goroutine-growth')!;
    expect(growth.title).toContain('main.renderExport');
    expect(growth.artifactIds).toHaveLength(2);
  });

  it('orders goroutine samples by id and keeps different actions apart', async () => {
    const late = artifact(captured('goroutines-debug2-late', V), MediaType.goroutines('2'), 'same');
    const early = { ...artifact(captured('goroutines-debug2-early', V), MediaType.goroutines('2'), 'same'), id: late.id - 100 };
    // Passed late-first: the store's ids, not the array order, say which came first.
    const growth = (await analyzeArtifacts([late, early])).filter((f) => f.kind === 'goroutine-growth');
    expect(growth.map((f) => f.metrics.first)).toEqual([12]);
    expect(growth[0]!.artifactIds).toEqual([early.id, late.id]);

    const apart = await analyzeArtifacts([
      artifact(captured('goroutines-debug2-early', V), MediaType.goroutines('2'), 'instance-a'),
      artifact(captured('goroutines-debug2-late', V), MediaType.goroutines('2'), 'instance-b'),
    ]);
    expect(apart.filter((f) => f.kind === 'goroutine-growth')).toEqual([]);
  });

  it('skips media types it has no parser for, other profile kinds included', async () => {
    const findings = await analyzeArtifacts([
      artifact(captured('cpu-burner', V, 'pb.gz'), MediaType.pprof('heap'), 'heap'),
      artifact(loginPage, MediaType.html, 'index'),
      artifact(captured('race-go-run', V), MediaType.text, 'log'),
    ]);
    expect(findings).toEqual([]);
  });

  it('gives no finding for race output without a race', async () => {
    const ok = join(dir, 'ok.txt');
    writeFileSync(ok, 'ok  \texample.com/racy\t1.020s\n');
    expect(await analyzeArtifacts([artifact(ok, MediaType.race, 'race')])).toEqual([]);
  });

  it('turns unparseable evidence into tool-failure findings naming the artifact, and goes on', async () => {
    const html = artifact(loginPage, MediaType.pprof('profile'), 'cpu', 'cpu profile from 127.0.0.1:6060');
    const half = artifact(halfGzip, MediaType.pprof('profile'), 'cpu', 'cpu profile (half)');
    const notDump = artifact(loginPage, MediaType.goroutines('2'), 'goroutines', 'goroutine debug=2 from 127.0.0.1:6060');
    const good = artifact(captured('race-go-run', V), MediaType.race, 'race');
    const findings = await analyzeArtifacts([html, half, notDump, good]);

    const failures = findings.filter((f) => f.kind === 'tool-failure');
    expect(failures.map((f) => f.artifactIds[0])).toEqual([html.id, half.id, notDump.id]);
    expect(failures[0]!.title).toContain('cpu profile from 127.0.0.1:6060');
    expect(failures[1]!.detail).toMatch(/gzip/);
    expect(failures[2]!.title).toContain('goroutine debug=2 from 127.0.0.1:6060');
    expect(findings.some((f) => f.kind === 'data-race')).toBe(true);
  });

  it('never lets credentials from a label reach a tool-failure finding', async () => {
    const secretLabel = 'cpu profile from https://admin:hunter2@10.0.0.5:6060/debug/pprof/profile?token=abc123';
    const [failure] = await analyzeArtifacts([artifact(loginPage, MediaType.pprof('profile'), 'cpu', secretLabel)]);
    expect(failure!.kind).toBe('tool-failure');
    const shown = `${failure!.title}\n${failure!.detail}`;
    expect(shown).not.toContain('hunter2');
    expect(shown).not.toContain('abc123');
    expect(shown).toContain('10.0.0.5:6060');
  });
});
