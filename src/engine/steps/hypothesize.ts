/**
 * Step 4 — hypothesize: propose the playbook's hypotheses for the current findings
 * and check each one. Nothing confirmed sends the machine back to analyze.
 */
import type { Hypothesis } from '../../core/model.js';
import { evaluateCheck } from '../../verify/finding-check.js';
import { proposeHypotheses } from '../../verify/propose.js';
import type { StepFn } from '../types.js';
import { currentFindings } from './history.js';
import { askStepPrompts } from './prompts.js';

export const runHypothesizeStep: StepFn = async (env) => {
  const { store, log, clock } = env.ctx;
  const step = env.playbook.playbook.steps.hypothesize;
  await askStepPrompts(env, 'hypothesize', step.prompts);
  const findings = await currentFindings(store, env.incident.id);
  const proposed = proposeHypotheses(step.hypotheses, findings);
  const checked: Hypothesis[] = proposed.map((h) => {
    const result = evaluateCheck(h.check, findings);
    log.info(`  ${result.verdict.padEnd(9)} ${h.statement}`);
    return { ...h, verdict: result.verdict, evidence: result.evidence };
  });
  const confirmed = checked.filter((h) => h.verdict === 'confirmed').length;
  if (step.hypotheses.length > 0 && checked.length === 0) log.warn('no hypothesis applies to the findings; going back to analysis');
  return {
    // A playbook without hypothesis templates leaves the verdicts to the humans: no back-edge.
    summary: step.hypotheses.length === 0 ? { status: 'finished' } : { status: 'finished', confirmed },
    evidence: {
      hypotheses: checked,
      events: [
        {
          at: clock.now().toISOString(),
          step: 'hypothesize',
          kind: 'hypotheses-checked',
          checked: checked.length,
          findings: findings.length,
          confirmed,
        },
      ],
    },
  };
};
