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
import { runPprofAction, type ActionOutcome } from './pprof-action.js';

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
  const missing = action.requires.filter((name) => !env.params[name]);
  if (missing.length > 0) {
    const message = `${action.id}: skipped, it needs ${missing.join(', ')} (set with --param, or from the alert)`;
    env.ctx.log.info(`  ${message}`);
    return { artifacts: [], events: [{ at: env.ctx.clock.now().toISOString(), step: null, kind: 'action-skipped', message }], failures: 0 };
  }
  return (RUNNERS[action.kind] as Runner<typeof action.kind>)(env, stepRunId, action, round);
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
