/**
 * Step 2 — gather: run the playbook's gather actions (profiles over HTTP from every
 * target, commands such as `go test -race`) and keep everything as artifacts.
 */
import type { StepFn } from '../types.js';
import { runActions } from '../actions/run-actions.js';
import { askStepPrompts } from './prompts.js';

export const runGatherStep: StepFn = async (env, stepRunId) => {
  const step = env.playbook.playbook.steps.gather;
  await askStepPrompts(env, 'gather', step.prompts);
  const outcome = await runActions(env, stepRunId, step.actions, `gather${stepRunId}`);
  const events = outcome.events.map((e) => ({ ...e, step: 'gather' as const }));
  events.push({
    at: env.ctx.clock.now().toISOString(),
    step: 'gather',
    kind: 'gathered',
    artifacts: outcome.artifacts.length,
    targets: env.targets.length,
    failedActions: outcome.failures,
  });
  if (step.actions.length > 0 && outcome.artifacts.length === 0) {
    env.ctx.log.warn('gather kept no evidence at all: every action failed (see the timeline)');
  }
  // Collection failures (which target, which endpoint, why) are findings of this step.
  return { summary: { status: 'finished' }, evidence: { events, findings: outcome.findings } };
};
