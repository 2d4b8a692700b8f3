import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { goroutineFindings } from '../../src/analyze/goroutine-findings.ts';
import { parseGoroutineDump } from '../../src/analyze/goroutines.ts';
import { isUserFunction } from '../../src/core/model.ts';
import { CAPTURED_VERSIONS, buildGoProgram, captured, sourceLine, tempDir } from './support.ts';

const renderExportLine = () => sourceLine('leaky', 'main.go', 'out <- buf');

describe.each(CAPTURED_VERSIONS)('goroutine findings from samples captured with %s', (version) => {
  it('reports the leaking group grown between two debug=2 samples, naming the leaking function', async () => {
    const early = await parseGoroutineDump(captured('goroutines-debug2-early', version));
    const late = await parseGoroutineDump(captured('goroutines-debug2-late', version));
    const findings = goroutineFindings([
      { artifactId: 7, dump: early },
      { artifactId: 9, dump: late },
    ]);
    const growth = findings.filter((f) => f.kind === 'goroutine-growth');
    // Only the leak grew: the 3 waiters and 2 lock waiters are stable and must stay quiet.
    expect(growth).toHaveLength(1);
    const leak = growth[0]!;
    expect(leak.title).toBe('goroutines parked in main.renderExport (chan send) grew 12 → 310');
    expect(leak.location).toMatchObject({ func: 'main.renderExport', line: renderExportLine() });
    expect(leak.metrics).toMatchObject({ first: 12, last: 310, growth: 298, samples: 2 });
    expect(leak.severity).toBe('high');
    expect(leak.artifactIds).toEqual([7, 9]);
    expect(leak.detail).toContain('chan send');
    expect(leak.detail).toContain('created by main.leak');
    // The grown group is not reported a second time as a large group.
    expect(findings.filter((f) => f.kind === 'goroutine-group' && f.location?.func === 'main.renderExport')).toEqual([]);
  });

  it('reports growth from debug=1 samples, which carry no state', async () => {
    const findings = goroutineFindings([
      { artifactId: 1, dump: await parseGoroutineDump(captured('goroutines-debug1-early', version)) },
      { artifactId: 2, dump: await parseGoroutineDump(captured('goroutines-debug1-late', version)) },
    ]);
    expect(findings.map((f) => f.title)).toEqual(['goroutines in main.renderExport grew 12 → 310']);
  });

  it('reports only the large group, at low severity, from a single sample', async () => {
    const late = await parseGoroutineDump(captured('goroutines-debug2-late', version));
    const findings = goroutineFindings([{ artifactId: 3, dump: late }]);
    expect(findings.map((f) => f.kind)).toEqual(['goroutine-group']);
    expect(findings[0]).toMatchObject({
      title: '310 goroutines parked in main.renderExport (chan send)',
      severity: 'info',
      metrics: { count: 310 },
      artifactIds: [3],
    });
  });

  it('flags a long-running leak that grows only a few percent between samples, not a small wobble', async () => {
    const late = await parseGoroutineDump(captured('goroutines-debug2-late', version));
    // The same real dump, its leaking group scaled as if the leak had run for an hour.
    const withLeakAt = (count: number) => ({
      ...late,
      groups: late.groups.map((g) => (g.topUserFrame?.func === 'main.renderExport' ? { ...g, count } : g)),
    });
    const slowLeak = goroutineFindings([
      { artifactId: 1, dump: withLeakAt(3000) },
      { artifactId: 2, dump: withLeakAt(3200) },
    ]).filter((f) => f.kind === 'goroutine-growth');
    expect(slowLeak.map((f) => f.title)).toEqual(['goroutines parked in main.renderExport (chan send) grew 3000 → 3200']);
    const wobble = goroutineFindings([
      { artifactId: 1, dump: withLeakAt(300) },
      { artifactId: 2, dump: withLeakAt(308) },
    ]).filter((f) => f.kind === 'goroutine-growth');
    expect(wobble).toEqual([]);
  });

  it('reports nothing when the same dump is sampled twice', async () => {
    const late = await parseGoroutineDump(captured('goroutines-debug2-late', version));
    const findings = goroutineFindings([
      { artifactId: 1, dump: late },
      { artifactId: 2, dump: late },
    ]);
    expect(findings.filter((f) => f.kind === 'goroutine-growth')).toEqual([]);
  });
});

describe('goroutine growth on a live leaking service', () => {
  let server: ChildProcess | undefined;
  afterAll(() => {
    if (server?.pid) server.kill('SIGKILL');
  });

  it('samples /debug/pprof/goroutine?debug=2 twice and names the leaking function', async () => {
    const dir = tempDir('leaky');
    const bin = await buildGoProgram('leaky', dir);
    // Leaks one renderExport goroutine every 5 ms on its own, like a stuck export worker.
    server = spawn(bin, ['-addr', '127.0.0.1:0', '-leak-interval', '5ms'], { stdio: ['ignore', 'pipe', 'inherit'] });
    const base = await new Promise<string>((resolve, reject) => {
      server!.stdout!.on('data', (chunk: Buffer) => {
        const m = /listening on (\S+)/.exec(chunk.toString());
        if (m) resolve(m[1]!);
      });
      server!.on('exit', (code) => reject(new Error(`leaky exited with ${code}`)));
    });
    const sample = async (n: number) => {
      const res = await fetch(`${base}/debug/pprof/goroutine?debug=2`);
      expect(res.status).toBe(200);
      const path = join(dir, `goroutines-${n}.txt`);
      writeFileSync(path, Buffer.from(await res.arrayBuffer()));
      return parseGoroutineDump(path);
    };
    const first = await sample(1);
    await new Promise((r) => setTimeout(r, 1500));
    const second = await sample(2);

    const growth = goroutineFindings([
      { artifactId: 1, dump: first },
      { artifactId: 2, dump: second },
    ]).filter((f) => f.kind === 'goroutine-growth');
    expect(growth).toHaveLength(1);
    expect(growth[0]!.location).toMatchObject({ func: 'main.renderExport', line: renderExportLine() });
    expect(isUserFunction(growth[0]!.location!.func)).toBe(true);
    expect(growth[0]!.metrics.last).toBeGreaterThan(growth[0]!.metrics.first!);
    expect(growth[0]!.title).toMatch(/^goroutines parked in main\.renderExport \(chan send\) grew \d+ → \d+$/);
  });
});
