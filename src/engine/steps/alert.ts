/**
 * Step 1 — take the alert: keep what was ingested (Alertmanager JSON, a text report,
 * flags) as evidence, and ask the playbook's alert prompts.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isSecretName } from '../../core/secret-names.js';
import type { StepFn } from '../types.js';
import { askStepPrompts } from './prompts.js';
import { keepArtifact } from '../actions/keep-artifact.js';

export const runAlertStep: StepFn = async (env, stepRunId) => {
  const { clock } = env.ctx;
  const file = join(env.scratchDir, 'alert.json');
  writeFileSync(file, JSON.stringify(env.incident.alert, null, 2) + '\n');
  await keepArtifact(env, {
    stepRunId,
    actionId: 'alert',
    sourcePath: file,
    mediaType: 'application/json',
    label: 'alert as received',
    attributes: { role: 'alert' },
  });
  const asked = await askStepPrompts(env, 'alert', env.playbook.playbook.steps.alert.prompts);
  const { severity, service, title } = env.incident;
  // A secret answer is never kept (prompts.ts): not in the timeline either.
  const answers = Object.fromEntries(Object.entries(asked).filter(([key]) => !isSecretName(key)));
  return {
    summary: { status: 'finished' },
    evidence: { events: [{ at: clock.now().toISOString(), step: 'alert', kind: 'alert-taken', severity, service, title, answers }] },
  };
};
