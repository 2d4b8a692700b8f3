/**
 * The Runner's tracking hook (exec/process-tracker.ts) implemented with the store: every
 * tool a step starts gets a process record — before it is spawned, with its pid, group and
 * start time once it runs, ended once nothing of it runs. A record left open names a
 * process a killed gotriage may have left behind (see session-leftovers.ts).
 */
import { thisProcess } from '../exec/proc-table.js';
import type { ProcessTracker } from '../exec/process-tracker.js';
import type { Runner } from '../exec/runner.js';
import type { Store } from '../store/store.js';
import type { StepEnv } from './types.js';

/**
 * The session's env with a runner that records every process it starts. Made once per
 * session, so the context stays one object across steps.
 */
export function withProcessRecords(env: StepEnv): StepEnv {
  const tracker = storeTracker(env.ctx.store, env.incident.id);
  const inner = env.ctx.runner;
  const runner: Runner = { run: (argv, options) => inner.run(argv, { tracker, ...options }) };
  return { ...env, ctx: { ...env.ctx, runner } };
}

/** A ProcessTracker writing the process records of one incident to the store. */
function storeTracker(store: Store, incidentId: string): ProcessTracker {
  return {
    async starting(process) {
      // Steps run one at a time: the step run in progress is the newest one still `started`.
      const stepRunId = (await store.stepRuns(incidentId)).findLast((run) => run.status === 'started')?.id ?? null;
      // The session that started it: the lease holder, i.e. this run of gotriage.
      const lease = await store.sessionLease(incidentId);
      const record = await store.recordProcessStart(incidentId, {
        stepRunId,
        holderId: lease?.holderId ?? null,
        kind: process.kind,
        name: process.name,
        argv: process.argv,
        tag: process.tag,
        host: thisProcess().host,
      });
      return {
        spawned: (spawn) => store.recordProcessSpawn(record.id, spawn),
        ended: (end) =>
          store.recordProcessEnd(record.id, {
            reason: end.started ? 'exited' : 'not-started',
            exitCode: end.exitCode,
            signal: end.signal,
          }),
      };
    },
  };
}
