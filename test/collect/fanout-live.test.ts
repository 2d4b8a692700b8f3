/**
 * Every profile kind from five real demo-service instances at once: the timed captures
 * overlap (every window is open before the first one closes), so the whole collection
 * takes about one window, not one per target and kind. How long it takes is measured in
 * bench/ (collect.all-profiles.20-instances), never asserted here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createProgress } from '../../src/collect/progress.ts';
import { buildService, startService, type RunningService } from '../../src/demo/service.ts';
import { runPprofAction } from '../../src/engine/actions/pprof-action.ts';
import { MediaType } from '../../src/core/model.ts';
import { demoServiceDir } from '../helpers/demo-service.ts';
import { captureStream, makeGatherEnv, openTempStore, pprofAction, type TestStore } from './fanout-helpers.ts';

const INSTANCES = 5;
const WINDOW_S = 2;
let binDir: string;
let services: RunningService[] = [];
let testStore: TestStore;

beforeAll(async () => {
  binDir = mkdtempSync(join(tmpdir(), 'gotriage-fanout-live-'));
  const binary = await buildService(demoServiceDir, { outputPath: join(binDir, 'demo-service') });
  services = await Promise.all(Array.from({ length: INSTANCES }, () => startService(binary)));
  testStore = openTempStore();
});
afterAll(async () => {
  await Promise.all(services.map((s) => s.stop()));
  await testStore?.cleanup();
  rmSync(binDir, { recursive: true, force: true });
});

const ACTIONS = [
  pprofAction({ id: 'cpu', profile: 'profile', seconds: WINDOW_S, timeout: '20s' }),
  pprofAction({ id: 'trace', profile: 'trace', seconds: WINDOW_S, timeout: '20s' }),
  pprofAction({ id: 'heap', profile: 'heap' }),
  pprofAction({ id: 'allocs', profile: 'allocs' }),
  pprofAction({ id: 'goroutine', profile: 'goroutine' }),
  pprofAction({ id: 'goroutine-grouped', profile: 'goroutine', debug: '1' }),
  pprofAction({ id: 'goroutine-full', profile: 'goroutine', debug: '2' }),
  pprofAction({ id: 'mutex', profile: 'mutex' }),
  pprofAction({ id: 'block', profile: 'block' }),
  pprofAction({ id: 'threadcreate', profile: 'threadcreate' }),
];

describe('all profile kinds from five demo-service instances', () => {
  it('overlaps the timed captures of every target and keeps every profile', async () => {
    const stream = captureStream(false);
    // Ten timed captures (cpu + trace × 5) must all be open at once to overlap: the
    // limit is raised above them, as --concurrency would be for this many instances.
    const env = await makeGatherEnv(
      testStore,
      services.map((s) => s.url),
      { concurrency: 16, progress: createProgress({ stream }) },
      {
        pprofBase: '/user/debug/pprof',
      },
    );
    const outcomes = await Promise.all(ACTIONS.map((a) => runPprofAction(env, env.stepRunId, a, 'gather1')));

    const artifacts = outcomes.flatMap((o) => o.artifacts);
    expect(outcomes.flatMap((o) => o.findings ?? [])).toEqual([]);
    expect(artifacts).toHaveLength(INSTANCES * ACTIONS.length);
    for (const service of services) {
      const host = service.url.replace('http://', '');
      const mine = artifacts.filter((a) => a.label.includes(host));
      expect(mine.map((a) => a.actionId).sort()).toEqual(ACTIONS.map((a) => a.id).sort());
    }
    expect(artifacts.filter((a) => a.mediaType === MediaType.pprof('profile'))).toHaveLength(INSTANCES);
    expect(artifacts.filter((a) => a.mediaType === MediaType.trace)).toHaveLength(INSTANCES);
    expect(artifacts.filter((a) => a.mediaType === MediaType.goroutines('2'))).toHaveLength(INSTANCES);

    // Every timed capture (cpu and trace of every instance) started before any of them finished.
    const lines = stream.text().split('\n');
    const timedStarts = lines.filter((l) => /^started (cpu|trace) 2s /.test(l));
    expect(timedStarts).toHaveLength(2 * INSTANCES);
    const lastTimedStart = lines.findLastIndex((l) => /^started (cpu|trace) 2s /.test(l));
    const firstTimedDone = lines.findIndex((l) => /^done (cpu|trace) 2s /.test(l));
    expect(firstTimedDone).toBeGreaterThan(lastTimedStart);
  });
});
