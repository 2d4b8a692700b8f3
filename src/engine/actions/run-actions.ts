/**
 * Runs a step's actions concurrently, so a full capture takes about as long as its
 * longest timed window (a 5 s CPU profile overlaps the goroutine samples and the
 * race-test build) rather than the sum.
 */
import type { PlaybookAction } from '../../playbook/schema.js';
import type { StepEnv } from '../types.js';
import { runCommandAction } from './command-action.js';
import { runPprofAction, type ActionOutcome } from './pprof-action.js';

export async function runActions(env: StepEnv, stepRunId: number, actions: readonly PlaybookAction[], round: string): Promise<ActionOutcome> {
  const settled = await Promise.allSettled(
    actions.map((action) =>
      action.kind === 'pprof' ? runPprofAction(env, stepRunId, action, round) : runCommandAction(env, stepRunId, action, round),
    ),
  );
  const total: ActionOutcome = { artifacts: [], events: [], failures: 0 };
  for (const result of settled) {
    if (result.status === 'rejected') {
      // An abort, or an action that could not even start (missing tool, bad placeholder): the step fails.
      throw result.reason;
    }
    total.artifacts.push(...result.value.artifacts);
    total.events.push(...result.value.events);
    total.failures += result.value.failures;
  }
  return total;
}
