/**
 * Step 3 — analyze: turn the latest gather's artifacts (plus this step's own actions'
 * output: commands, escape analysis) into findings, then draw the dependency graph.
 */
import type { StepFn } from '../types.js';
import { runActions } from '../actions/run-actions.js';
import { latestFinishedRun } from './history.js';
import { askStepPrompts } from './prompts.js';
import { findingsFrom } from './find.js';
import { drawProfilePictures } from './pictures.js';

export const runAnalyzeStep: StepFn = async (env, stepRunId) => {
  const { store } = env.ctx;
  const step = env.playbook.playbook.steps.analyze;
  await askStepPrompts(env, 'analyze', step.prompts);
  // The dependency graph highlights the packages the findings name, so it runs last.
  const own = await runActions(
    env,
    stepRunId,
    step.actions.filter((a) => a.kind !== 'deps'),
    `analyze${stepRunId}`,
  );
  const gather = await latestFinishedRun(store, env.incident.id, 'gather');
  const gathered = gather ? (await store.artifacts(env.incident.id)).filter((a) => a.stepRunId === gather.id) : [];
  const read = [...gathered, ...own.artifacts];
  const findings = await findingsFrom(env, read);
  const graphs = await runActions(
    { ...env, findings },
    stepRunId,
    step.actions.filter((a) => a.kind === 'deps'),
    `analyze${stepRunId}`,
  );
  own.events.push(...graphs.events, ...(await drawProfilePictures(env, stepRunId, gathered)));
  env.ctx.log.info(`  ${findings.length} finding(s) from ${read.length} artifact(s)`);
  for (const f of findings) env.ctx.log.info(`    [${f.severity}] ${f.title}`);
  return {
    summary: { status: 'finished' },
    evidence: {
      findings,
      events: [
        ...own.events.map((e) => ({ ...e, step: 'analyze' as const })),
        { at: env.ctx.clock.now().toISOString(), step: 'analyze', kind: 'analyzed', findings: findings.length, artifacts: read.length },
      ],
    },
  };
};
