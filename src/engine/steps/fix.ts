/**
 * Step 5 — fix: record the change the engineer made (text, and its diff: the named
 * commit or the uncommitted change in the service's repository), then re-run the playbook's `recheck` gather
 * actions for fresh evidence and re-check every confirmed hypothesis against it.
 * Verified means every confirmed hypothesis is refuted on the fresh evidence; not
 * verified sends the machine back to hypothesize.
 */
import type { Hypothesis } from '../../core/model.js';
import type { FindingCheck } from '../../playbook/schema.js';
import { evaluateCheck } from '../../verify/finding-check.js';
import { runActions } from '../actions/run-actions.js';
import type { TimelineEvent } from '../../store/store.js';
import type { StepFn } from '../types.js';
import { askStepPrompts } from './prompts.js';
import { keepFixDiff } from './fix-diff.js';
import { findingsFrom } from './find.js';

export const runFixStep: StepFn = async (env, stepRunId) => {
  const { store, log, clock } = env.ctx;
  const step = env.playbook.playbook.steps.fix;
  const answers = await askStepPrompts(env, 'fix', step.prompts);
  const summary = String(answers.summary ?? '').trim();
  const commit = String(answers.commit ?? '').trim() || null;
  const diffArtifactId = await keepFixDiff(env, stepRunId, commit);

  const confirmed = (await store.hypotheses(env.incident.id)).filter((h) => h.verdict === 'confirmed');
  const actions = env.playbook.playbook.steps.gather.actions.filter((a) => step.recheck.includes(a.id));
  if (actions.length === 0 || confirmed.length === 0) {
    log.warn('nothing to re-check (no recheck actions or no confirmed hypothesis): the fix is recorded as unverified');
    return { summary: { status: 'finished' }, evidence: { fix: { summary, commit, diffArtifactId, verified: null } } };
  }

  log.info(`  re-checking ${confirmed.length} confirmed hypothesis(es) on fresh evidence`);
  const fresh = await runActions(env, stepRunId, actions, `fix${stepRunId}`);
  const findings = [...(fresh.findings ?? []), ...(await findingsFrom(env, fresh.artifacts))];
  const rechecked: Hypothesis[] = confirmed.map((h) => {
    const result = evaluateCheck(h.check as FindingCheck, findings);
    log.info(`  ${result.verdict === 'refuted' ? 'gone     ' : 'still    '} ${h.statement}`);
    return { key: h.key, statement: h.statement, check: h.check, verdict: result.verdict, evidence: `after the fix: ${result.evidence}` };
  });
  const verified = rechecked.every((h) => h.verdict === 'refuted');
  const events: TimelineEvent[] = [
    ...fresh.events.map((e) => ({ ...e, step: 'fix' as const })),
    { at: clock.now().toISOString(), step: 'fix', kind: 'fix-checked', verified },
  ];
  return {
    summary: { status: 'finished', verified },
    evidence: { findings, hypotheses: rechecked, fix: { summary, commit, diffArtifactId, verified }, events },
  };
};
