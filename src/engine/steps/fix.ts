/**
 * Step 5 — fix: record the change the engineer made (text, and the commit in the
 * service's repository, kept as a diff), then re-run the playbook's `recheck` gather
 * actions for fresh evidence and re-check every confirmed hypothesis against it.
 * Verified means every confirmed hypothesis is refuted on the fresh evidence; not
 * verified sends the machine back to hypothesize.
 */
import { analyzeArtifacts } from '../../analyze/index.js';
import { UsageError } from '../../errors.js';
import { MediaType, type Hypothesis } from '../../model.js';
import type { FindingCheck } from '../../playbook/schema.js';
import { evaluateCheck } from '../../verify/finding-check.js';
import { runActions } from '../actions/run-actions.js';
import type { TimelineEvent } from '../../store/store.js';
import type { StepEnv, StepFn } from '../types.js';
import { askStepPrompts } from './prompts.js';
import { keepArtifact } from '../actions/keep-artifact.js';

/** A git revision as typed by a person: never an option, never a range of shell tricks. */
const REVISION = /^[0-9A-Za-z][0-9A-Za-z._\/~^@{}-]*$/;

async function keepCommitDiff(env: StepEnv, stepRunId: number, commit: string): Promise<number | null> {
  const repo = env.params.serviceDir;
  if (!repo) return null;
  if (!REVISION.test(commit)) throw new UsageError(`'${commit}' is not a git revision`, 'answer fix.commit with a commit id, a branch or a tag');
  const result = await env.ctx.runner.run(['git', '-C', repo, 'show', '--stat', '--patch', '--end-of-options', commit], {
    timeoutMs: 30_000,
    signal: env.signal,
    outputDir: env.scratchDir,
    name: `fix-diff-${stepRunId}`,
  });
  if (result.exitCode !== 0) {
    env.ctx.log.warn(`git show ${commit} in ${repo} exited ${result.exitCode}; the fix is recorded without its diff`);
    return null;
  }
  const artifact = keepArtifact(env, {
    stepRunId,
    actionId: 'fix-diff',
    sourcePath: result.stdout.path,
    mediaType: MediaType.diff,
    label: `git show ${commit}`,
    sha256: result.stdout.sha256,
  });
  return artifact.id;
}

export const runFixStep: StepFn = async (env, stepRunId) => {
  const { store, log, clock } = env.ctx;
  const step = env.playbook.playbook.steps.fix;
  const answers = await askStepPrompts(env, 'fix', step.prompts);
  const summary = String(answers.summary ?? '').trim();
  const commit = String(answers.commit ?? '').trim() || null;
  const diffArtifactId = commit ? await keepCommitDiff(env, stepRunId, commit) : null;

  const confirmed = store.hypotheses(env.incident.id).filter((h) => h.verdict === 'confirmed');
  const actions = env.playbook.playbook.steps.gather.actions.filter((a) => step.recheck.includes(a.id));
  let verified: boolean | undefined;
  const rechecked: Hypothesis[] = [];
  const events: TimelineEvent[] = [];
  if (actions.length === 0 || confirmed.length === 0) {
    log.warn('nothing to re-check (no recheck actions or no confirmed hypothesis): the fix is recorded as unverified');
  } else {
    log.info(`  re-checking ${confirmed.length} confirmed hypothesis(es) on fresh evidence`);
    const fresh = await runActions(env, stepRunId, actions, `fix${stepRunId}`);
    const findings = await analyzeArtifacts(fresh.artifacts);
    for (const h of confirmed) {
      const result = evaluateCheck(h.check as FindingCheck, findings);
      log.info(`  ${result.verdict === 'refuted' ? 'gone     ' : 'still    '} ${h.statement}`);
      rechecked.push({ key: h.key, statement: h.statement, check: h.check, verdict: result.verdict, evidence: `after the fix: ${result.evidence}` });
    }
    verified = rechecked.every((h) => h.verdict === 'refuted');
    events.push(...fresh.events.map((e) => ({ ...e, step: 'fix' as const })));
    events.push({
      at: clock.now().toISOString(),
      step: 'fix' as const,
      kind: 'note',
      message: verified ? 'fix verified: no confirmed hypothesis holds on fresh evidence' : 'fix NOT verified: some hypotheses still hold',
    });
    return {
      summary: { status: 'finished', verified },
      evidence: { findings, hypotheses: rechecked, fix: { summary, commit, diffArtifactId, verified }, events },
    };
  }
  return {
    summary: { status: 'finished' },
    evidence: { fix: { summary, commit, diffArtifactId, verified: null }, events },
  };
};
