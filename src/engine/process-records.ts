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

/** The step's env with a runner that records every process it starts against `stepRunId`. */
export function withProcessRecords(env: StepEnv, stepRunId: number): StepEnv {
  const tracker = storeTracker(env.ctx.store, env.incident.id, stepRunId);
  const inner = env.ctx.runner;
  const runner: Runner = { run: (argv, options) => inner.run(argv, { tracker, ...options }) };
  return { ...env, ctx: { ...env.ctx, runner } };
}

/** A ProcessTracker writing process records of one incident (and step run) to the store. */
function storeTracker(store: Store, incidentId: string, stepRunId: number | null): ProcessTracker {
  return {
    async starting(process) {
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
