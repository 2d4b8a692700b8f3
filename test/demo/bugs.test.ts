/**
 * The three bugs of examples/demo-service, seen the way an on-call engineer would see
 * them: goroutines piling up under load, one function eating the CPU profile, and the
 * race detector failing the tests.
 */
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLoad } from '../../src/demo/load.ts';
import { buildService, startService, type RunningService } from '../../src/demo/service.ts';
import {
  BUGGY_PATHS,
  SERVICE_DIR,
  fetchBytes,
  goroutineDump,
  goroutineTotal,
  goroutinesIn,
  makeTempDir,
  pprofTop,
  sleep,
} from './demo-helpers.ts';

describe('demo service bugs (Go 1.26)', () => {
  let tmp: Awaited<ReturnType<typeof makeTempDir>>;
  let service: RunningService;

  beforeAll(async () => {
    tmp = await makeTempDir('bugs');
    const binary = await buildService(SERVICE_DIR, { outputPath: path.join(tmp.dir, 'demo-service') });
    service = await startService(binary);
  });
  afterAll(async () => {
    await service?.stop();
    await tmp?.cleanup();
  });

  it('leaks goroutines blocked in renderExport under load', async () => {
    const before = goroutineTotal(await goroutineDump(service.url));
    const load = startLoad(service.url, { paths: BUGGY_PATHS, concurrency: 4 });
    try {
      await sleep(1000);
      const early = goroutineTotal(await goroutineDump(service.url));
      await sleep(2000);
      const late = await goroutineDump(service.url);
      const lateTotal = goroutineTotal(late);
      expect(early).toBeGreaterThan(before + 10);
      // Steady growth, beyond the handful of goroutines 4 clients keep in flight (the
      // fixed service stays within 20 under the same load: fix.test.ts).
      expect(lateTotal - early).toBeGreaterThan(25);
      // …and the goroutines parked in renderExport are what grew.
      expect(goroutinesIn(late, 'main.renderExport')).toBeGreaterThan(0.8 * (lateTotal - before));
    } finally {
      const stats = await load.stop();
      expect(stats.failed).toBe(0);
    }
    // They stay after the load stops: leaked, not just busy.
    await sleep(200);
    const dump2 = (await fetchBytes(`${service.url}/user/debug/pprof/goroutine?debug=2`)).bytes.toString();
    expect(dump2).toMatch(/goroutine \d+ \[chan send(, \d+ minutes)?\]:\nmain\.renderExport\(/);
  });

  it('spends most CPU in slowChecksum under load (go tool pprof -top)', async () => {
    const load = startLoad(service.url, { paths: BUGGY_PATHS, concurrency: 4 });
    try {
      const { status, bytes } = await fetchBytes(`${service.url}/user/debug/pprof/profile?seconds=2`);
      expect(status).toBe(200);
      const top = await pprofTop(bytes, tmp.dir);
      expect(top[0]?.name).toBe('main.slowChecksum');
      // A share of the service's own samples: it holds however busy the machine is (the
      // fixed service's share is under 5 %: fix.test.ts).
      expect(top[0]?.flatPct).toBeGreaterThan(30);
    } finally {
      await load.stop();
    }
  });
});

describe('go test on the demo service', () => {
  it('fails under -race with a DATA RACE report in (*stats).recordHit', async () => {
    const result = await execa('go', ['test', '-race', '-count=1', './...'], { cwd: SERVICE_DIR, reject: false, all: true });
    expect(result.exitCode).not.toBe(0);
    expect(result.all).toContain('WARNING: DATA RACE');
    expect(result.all).toMatch(/\(\*stats\)\.recordHit\(\)\n\s+\S+\/stats\.go:\d+/);
    expect(result.all).toContain('--- FAIL: TestRecordHitConcurrent');
  });

  it('passes without -race: the race is invisible to plain tests', async () => {
    const result = await execa('go', ['test', '-count=1', './...'], { cwd: SERVICE_DIR, reject: false, all: true });
    expect(result.all).toMatch(/^ok\s+example\.com\/demo-service/m);
    expect(result.exitCode).toBe(0);
  });
});
