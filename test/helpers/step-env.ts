/**
 * A StepEnv over a real store, for action tests that run one action outside a session:
 * a fresh incident, its own scratch directory, a memory logger, the real Runner.
 */
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import type { Fanout } from '../../src/collect/fanout.js';
import { systemClock } from '../../src/core/clock.js';
import type { StepEnv } from '../../src/engine/types.js';
import { createRunner } from '../../src/exec/create-runner.js';
import type { Runner } from '../../src/exec/runner.js';
import { createMemoryLogger } from '../../src/core/log.js';
import type { Store } from '../../src/store/store.js';

export interface StepEnvOptions {
  params?: Record<string, string>;
  targets?: string[];
  fanout?: Fanout;
  runner?: Runner;
  title?: string;
}

export type TestStepEnv = StepEnv & { log: ReturnType<typeof createMemoryLogger> };

export async function makeStepEnv(store: Store, dir: string, options: StepEnvOptions = {}): Promise<TestStepEnv> {
  const log = createMemoryLogger();
  const incident = await store.createIncident(
    {
      title: options.title ?? 'action test',
      severity: 'medium',
      service: 'demo',
      playbookName: 'test',
      playbookPath: '/p.yaml',
      params: {},
      alert: {},
    },
    {},
    'gather',
  );
  return {
    ctx: { runner: options.runner ?? createRunner(), prompter: undefined as never, store, clock: systemClock, log },
    incident,
    playbook: undefined as never,
    options: { skip: {}, outDir: dir, maxRounds: 3 },
    params: options.params ?? {},
    targets: options.targets ?? [],
    scratchDir: mkdtempSync(join(dir, 'scratch-')),
    signal: new AbortController().signal,
    ...(options.fanout ? { fanout: options.fanout } : {}),
    log,
  };
}
