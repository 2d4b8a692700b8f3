/**
 * Runs a step's actions concurrently, so a full capture takes about as long as its
 * longest timed window (a 5 s CPU profile overlaps the goroutine samples and the
 * race-test build) rather than the sum.
 */
import { rethrowFirstRejection } from '../../core/async.js';
import type { PlaybookAction } from '../../playbook/schema.js';
import type { StepEnv } from '../types.js';
import { runBenchAction } from './bench-action.js';
import { runCommandAction } from './command-action.js';
import { runDepsAction } from './deps-action.js';
import { runEscapeAction } from './escape-action.js';
import { runLogsAction } from './logs-action.js';
import { runMetricsAction } from './metrics-action.js';
import { runPprofAction } from './pprof-action.js';
import { eventNow, recordCollection, type ActionOutcome } from './outcome.js';

type Runner<K extends PlaybookAction['kind']> = (
  env: StepEnv,
  stepRunId: number,
  action: Extract<PlaybookAction, { kind: K }>,
  round: string,
) => Promise<ActionOutcome>;

const RUNNERS: { [K in PlaybookAction['kind']]: Runner<K> } = {
  pprof: runPprofAction,
  command: runCommandAction,
  logs: runLogsAction,
  metrics: runMetricsAction,
  bench: runBenchAction,
  escape: runEscapeAction,
  deps: runDepsAction,
};

async function runAction(env: StepEnv, stepRunId: number, action: PlaybookAction, round: string): Promise<ActionOutcome> {
  const startedAt = env.ctx.clock.now().toISOString();
  const missing = action.requires.filter((name) => !env.params[name]);
  if (missing.length > 0) {
    const reason = `it needs ${missing.join(', ')} (set with --param, or from the alert)`;
    env.ctx.log.info(`  ${action.id}: skipped, ${reason}`);
    await recordCollection(env, stepRunId, action.id, { target: null, status: 'skipped', reason, artifacts: [], startedAt });
    return { artifacts: [], events: [eventNow(env, { kind: 'action-skipped', action: action.id, reason })], failures: 0 };
  }
  try {
    return await (RUNNERS[action.kind] as Runner<typeof action.kind>)(env, stepRunId, action, round);
  } catch (error) {
    // The action could not even finish (a bad placeholder, a missing tool): the step fails
    // with this error, and the Collection table says which action it was.
    if (!env.signal.aborted) {
      const reason = error instanceof Error ? error.message : String(error);
      // A store that cannot record this must not hide the error that stopped the action.
      await recordCollection(env, stepRunId, action.id, { target: null, status: 'failed', reason, artifacts: [], startedAt }).catch(
        () => undefined,
      );
    }
    throw error;
  }
}

export async function runActions(
  env: StepEnv,
  stepRunId: number,
  actions: readonly PlaybookAction[],
  round: string,
): Promise<ActionOutcome> {
  const settled = await Promise.allSettled(actions.map((action) => runAction(env, stepRunId, action, round)));
  // An abort, or an action that could not even start (missing tool, bad placeholder): the step fails.
  rethrowFirstRejection(settled);
  const total: ActionOutcome = { artifacts: [], events: [], failures: 0, findings: [] };
  for (const result of settled) {
    if (result.status === 'rejected') continue;
    total.artifacts.push(...result.value.artifacts);
    total.events.push(...result.value.events);
    total.failures += result.value.failures;
    total.findings!.push(...(result.value.findings ?? []));
  }
  return total;
}
